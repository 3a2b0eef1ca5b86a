import { formatCsv } from '../stats/format-csv.ts';
import { UTF8_BOM } from '../stats/progress-report-csv.ts';
import type { CatalogueEntry } from './catalogue-entry.ts';

/**
 * Joins the values of a repeatable Dublin Core element in one cell. A value that itself holds
 * ` | ` cannot be told apart: the JSON-LD export keeps every value separate.
 */
export const MULTI_VALUE_SEPARATOR = ' | ';

/** The catalogue CSV's columns, in order: one header row of these stable English names. */
export const CATALOGUE_CSV_COLUMNS = [
  'id',
  'identifier',
  'title',
  'creators',
  'date',
  'language',
  'subjects',
  'library',
  'province',
  'collection',
  'status',
  'digitisedAt',
  'pageCount',
  'accessLevel',
  'documentUrl',
  'manifestUrl',
] as const;

/** The header line, after the byte order mark that makes Excel read UTF-8 (as the progress report). */
export function catalogueCsvHeader(): string {
  return UTF8_BOM + formatCsv([[...CATALOGUE_CSV_COLUMNS]]);
}

/** One document as one CSV line (RFC 4180, CRLF; see `formatCsv`). */
export function catalogueCsvLine(entry: CatalogueEntry): string {
  const join = (values: readonly string[]) => values.join(MULTI_VALUE_SEPARATOR);
  return formatCsv([
    [
      entry.id,
      entry.identifier,
      entry.title,
      join(entry.creators),
      join(entry.dates),
      join(entry.languages),
      join(entry.subjects),
      entry.library.name,
      entry.library.province,
      entry.collection.title,
      entry.status,
      entry.digitisedAt ?? '',
      String(entry.pageCount),
      entry.accessLevel,
      entry.documentUrl,
      entry.manifestUrl ?? '',
    ],
  ]);
}
