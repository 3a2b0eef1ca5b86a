import type { VerticalColumn } from './vertical-column.ts';

/**
 * The columns in the order their text is written out: main columns as found (right to left,
 * top to bottom), each followed by the notes that annotate it, in the order found. A note read
 * before any main column (a page opening with a note) thus follows the main column it
 * annotates; notes annotating nothing (a page of notes only) keep their order.
 */
export function columnsInLineOrder(columns: readonly VerticalColumn[]): VerticalColumn[] {
  const notesOf = new Map<number, VerticalColumn[]>();
  for (const column of columns) {
    if (column.kind !== 'note' || column.annotates === undefined) continue;
    const notes = notesOf.get(column.annotates);
    if (notes === undefined) notesOf.set(column.annotates, [column]);
    else notes.push(column);
  }
  return columns.flatMap((column, index) => {
    if (column.kind === 'main') return [column, ...(notesOf.get(index) ?? [])];
    return column.annotates === undefined ? [column] : [];
  });
}
