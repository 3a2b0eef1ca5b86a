import type { EvaluationRow } from './evaluation-suite.ts';

const HEADER = ['suite', 'profile', 'dataset', 'n', 'CER', 'edits S/I/D', 'sequence accuracy', 'deskew error mean/median/max', 'time'];

function percent(part: number, whole: number): string {
  return `${whole === 0 ? '—' : `${((part / whole) * 100).toFixed(1)}%`} (${part}/${whole})`;
}

/** One row of cells per evaluation row: `—` where a measure does not apply. */
function cells(row: EvaluationRow): string[] {
  const common = [row.suite, row.profile ?? '—', row.dataset, String(row.n)];
  const time = `${row.seconds.toFixed(1)} s`;
  if (row.kind === 'ocr') {
    const { summary } = row;
    const { substitutions, insertions, deletions } = summary.edits;
    return [
      ...common,
      summary.cer.toFixed(4),
      `${substitutions}/${insertions}/${deletions}`,
      percent(summary.exactSequences, summary.sequences),
      '—',
      time,
    ];
  }
  const { mean, median, max } = row.summary;
  return [...common, '—', '—', '—', `${mean.toFixed(3)}° / ${median.toFixed(3)}° / ${max.toFixed(3)}°`, time];
}

/** The rows as a plain-text table with aligned columns, for a terminal. */
export function formatTextTable(rows: readonly EvaluationRow[]): string {
  const table = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, column) => Math.max(...table.map((line) => [...line[column]!].length)));
  const numeric = new Set([3, 4]);
  return table
    .map((line) =>
      line.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd(),
    )
    .join('\n');
}

/** The rows as a Markdown table, for the README. */
export function formatMarkdownTable(rows: readonly EvaluationRow[]): string {
  const line = (values: readonly string[]): string => `| ${values.map((value) => value.replace(/\|/gu, '\\|')).join(' | ')} |`;
  return [line(HEADER), line(HEADER.map((_, column) => (column === 3 || column === 4 ? '--:' : '---'))), ...rows.map((row) => line(cells(row)))].join('\n');
}

/** Every sample of every row, one per line: per-column CER, per-page CER, per-image skew error. */
export function formatSamples(rows: readonly EvaluationRow[]): string {
  const lines: string[] = [];
  for (const row of rows) {
    lines.push(`${row.suite} / ${row.dataset}`);
    if (row.kind === 'ocr') {
      for (const sample of row.samples) {
        lines.push(`  ${sample.name}  CER ${sample.cer.toFixed(4)} (${sample.errors}/${sample.referenceLength})  exact ${sample.exactSequences}/${sample.sequences}`);
      }
    } else {
      for (const sample of row.samples) {
        lines.push(`  ${sample.name}  expected ${sample.expected}°  estimated ${sample.estimated.toFixed(3)}°  |error| ${sample.error.toFixed(3)}°`);
      }
    }
  }
  return lines.join('\n');
}
