import type { GreyRaster } from '../stages/skew-raster.ts';
import type { ImageTransform } from './image-transform.ts';

/**
 * How a page is laid out for Tesseract:
 * - `page`: horizontal text, automatic page segmentation (PSM 3);
 * - `vertical-page`: a page of vertical columns: the layout finder (`findVerticalColumns`)
 *   cuts it into columns, and each is read as a `vertical-column`;
 * - `vertical-column`: a single column, turned 90° counter-clockwise and read as one
 *   horizontal line (PSM 7), which the vertical models read best.
 */
export type TesseractLayout = 'page' | 'vertical-page' | 'vertical-column';

/** The layouts an image is handed to Tesseract in (a vertical page goes column by column). */
export type TesseractReading = Exclude<TesseractLayout, 'vertical-page'>;

/** Tesseract page segmentation mode per reading (Tesseract's `PageSegMode` numbers). */
export const PAGE_SEGMENTATION_MODE: Readonly<Record<TesseractReading, string>> = {
  page: '3',
  'vertical-column': '7',
};

/** An image at least this many times taller than wide is a single column of vertical text. */
const COLUMN_ASPECT = 3;
/**
 * White border added around every image. Tesseract reads characters that touch the edge
 * badly; 12 px was best on single column crops. It also keeps the start of the encoded image
 * plain white, which tesseract.js scans for an EXIF orientation pattern.
 */
const PAD = 12;

export interface PreparedImage {
  /** Binary PGM (P5), 8-bit greyscale: Leptonica reads it without decompression. */
  data: Buffer;
  /** From the raster handed in to the prepared image. */
  transform: ImageTransform;
  layout: TesseractReading;
  dpi: number;
}

/** The layout to use for a page of `width` × `height` pixels in the given reading direction. */
export function chooseLayout(direction: 'horizontal' | 'vertical-rl', width: number, height: number): TesseractLayout {
  if (direction === 'horizontal') return 'page';
  return height >= COLUMN_ASPECT * width ? 'vertical-column' : 'vertical-page';
}

/**
 * Turns a grey raster into what Tesseract reads for `layout`: turned 90° counter-clockwise for a
 * column, a white border around it, encoded as PGM. The pixels of `raster` are not changed.
 */
export function prepareTesseractImage(raster: GreyRaster, layout: TesseractReading, dpi: number): PreparedImage {
  const rotatedCcw = layout === 'vertical-column';
  const transform: ImageTransform = { sourceWidth: raster.width, sourceHeight: raster.height, rotatedCcw, pad: PAD };
  const width = (rotatedCcw ? raster.height : raster.width) + 2 * PAD;
  const height = (rotatedCcw ? raster.width : raster.height) + 2 * PAD;
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii');
  const data = Buffer.alloc(header.length + width * height, 255);
  header.copy(data);
  const pixels = data.subarray(header.length);
  for (let y = 0; y < raster.height; y += 1) {
    for (let x = 0; x < raster.width; x += 1) {
      // Turning counter-clockwise sends (x, y) to (y, W − 1 − x); see image-transform.ts.
      const [u, v] = rotatedCcw ? [y, raster.width - 1 - x] : [x, y];
      pixels[(v + PAD) * width + u + PAD] = raster.data[y * raster.width + x]!;
    }
  }
  return { data, transform, layout, dpi };
}
