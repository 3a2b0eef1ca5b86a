import { formatCsv } from './format-csv.ts';
import type { ProgressFigures, ProgressStatistics } from './progress-statistics.ts';

/** The byte order mark that makes Excel read the file as UTF-8 (Vietnamese diacritics). */
export const UTF8_BOM = '\uFEFF';

/**
 * The report's columns, in order. One header row of these English names (stable for
 * scripts and spreadsheets); no second, translated header row, which would break every tool
 * that reads the first row as the header.
 */
export const PROGRESS_CSV_COLUMNS = [
  'level',
  'libraryId',
  'libraryName',
  'collectionId',
  'collectionTitle',
  'holdings',
  'registered',
  'digitised',
  'percentDigitised',
  'targetPercent',
  'targetDate',
  'onTrack',
  'neededPerMonth',
  'achievedPerMonth',
  'pagesDigitised',
  'failuresWaiting',
] as const;

/**
 * The progress report as CSV (see `formatCsv`: RFC 4180, comma, CRLF), UTF-8 with a BOM.
 * For each library, in the order of `progressStatistics`: one row per collection
 * (`level` = `collection`) and then the library's total (`level` = `library`, collection
 * columns empty). Numbers are written as JSON writes them (`.` decimal point, no grouping);
 * `onTrack` is `true`, `false` or empty; null values are empty cells.
 */
export function progressReportCsv(statistics: ProgressStatistics): string {
  const rows: string[][] = [[...PROGRESS_CSV_COLUMNS]];
  for (const library of statistics.libraries) {
    for (const collection of library.collections) {
      rows.push(['collection', library.id, library.name, collection.id, collection.title, ...figures(collection)]);
    }
    rows.push(['library', library.id, library.name, '', '', ...figures(library)]);
  }
  return UTF8_BOM + formatCsv(rows);
}

function figures(value: ProgressFigures): string[] {
  return [
    value.holdings,
    value.registered,
    value.digitised,
    value.percentDigitised,
    value.targetPercent,
    value.targetDate,
    value.onTrack,
    value.neededPerMonth,
    value.achievedPerMonth,
    value.pagesDigitised,
    value.failuresWaiting,
  ].map((cell) => (cell === null ? '' : String(cell)));
}
