export { findVerticalColumns, type FindVerticalColumnsOptions } from './find-vertical-columns.ts';
export type { ColumnFinder, VerticalColumn, VerticalColumnKind } from './vertical-column.ts';
export { cropColumns, type ColumnCrop } from './crop-columns.ts';
