import sharp, { type Metadata } from 'sharp';

import { InvalidInputError } from '../../storage/index.ts';
import type { ImageTransform } from './image-transform.ts';
import { preparedSize } from './image-transform.ts';
import type { OcrImage } from './ocr-engine.port.ts';
import { removeRulingLines } from './remove-ruling-lines.ts';

/**
 * How a page is laid out for Tesseract:
 * - `page`: horizontal text, automatic page segmentation (PSM 3);
 * - `vertical-page`: a page (or block) of vertical columns, PSM 5 (one uniform block of
 *   vertical text), ruling lines removed first;
 * - `vertical-column`: a single column crop, turned 90° counter-clockwise and read as one
 *   horizontal line (PSM 7), which the vertical models read best.
 */
export type TesseractLayout = 'page' | 'vertical-page' | 'vertical-column';

/** Tesseract page segmentation mode per layout (Tesseract's `PageSegMode` numbers). */
export const PAGE_SEGMENTATION_MODE: Readonly<Record<TesseractLayout, string>> = {
  page: '3',
  'vertical-page': '5',
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
  transform: ImageTransform;
  layout: TesseractLayout;
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
 * Decodes the first page of `image` to 8-bit grey (transparency flattened onto white), applies
 * the layout's rotation, padding and clean-up, and encodes it for Tesseract.
 *
 * @throws InvalidInputError when the image cannot be decoded.
 */
export async function prepareTesseractImage(image: OcrImage, info: ImageInfo, layout: TesseractLayout): Promise<PreparedImage> {
  const rotatedCcw = layout === 'vertical-column';
  const transform: ImageTransform = { sourceWidth: info.width, sourceHeight: info.height, rotatedCcw, pad: PAD };
  let pipeline = sharp(sharpInput(image), { page: 0 }).flatten({ background: '#ffffff' }).toColourspace('b-w');
  if (rotatedCcw) pipeline = pipeline.rotate(-90);
  pipeline = pipeline.extend({ top: PAD, bottom: PAD, left: PAD, right: PAD, background: '#ffffff' });

  let pixels: Buffer;
  let width: number;
  let height: number;
  try {
    const { data, info: output } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (output.channels !== 1) throw new Error(`expected 1 channel after greyscale conversion, got ${output.channels}`);
    pixels = data;
    ({ width, height } = output);
  } catch (error) {
    throw unreadable(image, error);
  }
  const expected = preparedSize(transform);
  if (width !== expected.width || height !== expected.height) {
    // The header and the decoded page disagree (a damaged file); boxes could not be mapped back.
    throw new InvalidInputError(
      `${describe(image)} decodes to ${width}×${height} pixels (padded) but its header says ${info.width}×${info.height}; the file looks damaged.`,
    );
  }
  if (layout === 'vertical-page') removeRulingLines(pixels, width, height);

  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii');
  return { data: Buffer.concat([header, pixels]), transform, layout, dpi: info.dpi };
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
