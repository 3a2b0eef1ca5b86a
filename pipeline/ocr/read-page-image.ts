import sharp, { type Metadata } from 'sharp';

import { InvalidInputError } from '../../storage/index.ts';
import type { GreyRaster } from '../stages/skew-raster.ts';
import type { OcrImage } from './ocr-engine.port.ts';

/** Used when the file records no plausible resolution. */
const DEFAULT_DPI = 300;

export interface ImageInfo {
  width: number;
  height: number;
  /** From the file when plausible (70–2400), otherwise 300. */
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

/** The first page of `image` in 8-bit grey, with the header read first (a bad file fails there). */
export async function readGreyImage(image: OcrImage): Promise<GreyRaster> {
  return decodeGreyPage(image, await readImageInfo(image));
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
