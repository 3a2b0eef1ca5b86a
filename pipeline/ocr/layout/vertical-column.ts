import type { GreyRaster, PixelBox } from '../../stages/skew-raster.ts';

/** What a column holds: the text proper, or an interlinear note (small characters, commentary). */
export type VerticalColumnKind = 'main' | 'note';

/** One column of vertical text found on a page, read top to bottom. */
export interface VerticalColumn {
  /** Smallest upright box holding the column's ink, in page pixels. */
  box: PixelBox;
  kind: VerticalColumnKind;
  /**
   * For a note: the index, in the same array, of the main column it annotates (the last main
   * column read before it; the first one after it when the page opens with a note). Absent for
   * main columns and on a page without main text.
   */
  annotates?: number;
}

/**
 * Finds the columns of a page of vertical text, in reading order: main columns right to left,
 * each followed by the notes read after it. The pixels of `page` are not changed.
 */
export type ColumnFinder = (page: GreyRaster) => VerticalColumn[];
