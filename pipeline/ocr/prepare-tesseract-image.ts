import sharp, { type Metadata } from 'sharp';

import { InvalidInputError } from '../../storage/index.ts';
import type { GreyRaster } from '../stages/skew-raster.ts';
import type { ImageTransform } from './image-transform.ts';
import type { OcrImage } from './ocr-engine.port.ts';

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
/** Used when the file records no plausible resolution. */
const DEFAULT_DPI = 300;

export interface ImageInfo {
  width: number;
  height: number;
  /** From the file when plausible (70–2400), otherwise 300. */
  dpi: number;
}

export interface PreparedImage {
  /** Binary PGM (P5), 8-bit greyscale: Leptonica reads it without decompression. */
  data: Buffer;
  /** From the raster handed in to the prepared image. */
  transform: ImageTransform;
  layout: TesseractReading;
  dpi: number;
}

/**
 * Reads the header of the first page of `image` (cheap: nothing is decoded).
 *
 * @throws InvalidInputError when the file is missing or not a readable image.
 */
export async function readImageInfo(image: OcrImage): Promise<ImageInfo> {
  let metadata: Metadata;
  try {
    metadata = await sharp(sharpInput(image), { page: 0 }).metadata();
  } catch (error) {
    throw unreadable(image, error);
  }
  const { width, height, density } = metadata;
  if (width === undefined || height === undefined || width < 1 || height < 1) {
    throw new InvalidInputError(`${describe(image)} has no pixel dimensions; check that it is a page image.`);
  }
  const dpi = density !== undefined && density >= 70 && density <= 2400 ? Math.round(density) : DEFAULT_DPI;
  return { width, height, dpi };
}

/** The layout to use for a page of `width` × `height` pixels in the given reading direction. */
export function chooseLayout(direction: 'horizontal' | 'vertical-rl', width: number, height: number): TesseractLayout {
  if (direction === 'horizontal') return 'page';
  return height >= COLUMN_ASPECT * width ? 'vertical-column' : 'vertical-page';
}

/**
 * Decodes the first page of `image` to 8-bit grey, transparency flattened onto white.
 *
 * @throws InvalidInputError when the image cannot be decoded, or decodes to another size than its header says.
 */
export async function decodeGreyPage(image: OcrImage, info: ImageInfo): Promise<GreyRaster> {
  let raster: GreyRaster;
  try {
    const { data, info: output } = await sharp(sharpInput(image), { page: 0 })
      .flatten({ background: '#ffffff' })
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (output.channels !== 1) throw new Error(`expected 1 channel after greyscale conversion, got ${output.channels}`);
    raster = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: output.width, height: output.height };
  } catch (error) {
    throw unreadable(image, error);
  }
  if (raster.width !== info.width || raster.height !== info.height) {
    // The header and the decoded page disagree (a damaged file); boxes could not be mapped back.
    throw new InvalidInputError(
      `${describe(image)} decodes to ${raster.width}×${raster.height} pixels but its header says ${info.width}×${info.height}; the file looks damaged.`,
    );
  }
  return raster;
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

function sharpInput(image: OcrImage): string | Buffer {
  return Buffer.isBuffer(image) ? image : image.path;
}

function describe(image: OcrImage): string {
  return Buffer.isBuffer(image) ? `The image (${image.length} bytes)` : `The image file "${image.path}"`;
}

function unreadable(image: OcrImage, cause: unknown): InvalidInputError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new InvalidInputError(
    `${describe(image)} cannot be read as an image (${reason}); upload a TIFF, PNG or JPEG page scan again.`,
    { cause },
  );
}
