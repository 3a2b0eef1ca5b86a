import type { GreyRaster } from '../stages/skew-raster.ts';
import type { OcrLine } from './ocr-result.ts';

export interface ReadColumnsOptions {
  /** Resolution of the page the crops were cut from (Tesseract sizes its expectations by it). */
  dpi: number;
  signal?: AbortSignal;
}

/**
 * Reads crops that are each one column of vertical Hán-Nôm text, top to bottom, whatever their
 * shape (a note of one character is not taller than wide). What the combined `han-nom-vert`
 * profile asks of each engine so that it can compare their readings of the same column.
 */
export interface VerticalColumnReader {
  /**
   * One entry per crop, in order: the column as a line with boxes in the crop's pixels, or
   * `undefined` when nothing was read in it.
   */
  readColumns(crops: readonly GreyRaster[], options: ReadColumnsOptions): Promise<(OcrLine | undefined)[]>;
}
