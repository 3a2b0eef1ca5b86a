import sharp from 'sharp';

import { InvalidInputError } from '../../../storage/index.ts';
import type { GreyRaster } from '../../stages/skew-raster.ts';
import type { OcrImage } from '../ocr-engine.port.ts';

/**
 * Decodes the first page of an image to 8-bit grey (0 = black), transparency flattened onto
 * white, pixels as stored (no EXIF rotation, as the OCR port promises for boxes).
 *
 * @throws InvalidInputError when the image cannot be decoded.
 */
export async function readGreyImage(image: OcrImage): Promise<GreyRaster> {
  const input = Buffer.isBuffer(image) ? image : image.path;
  try {
    const { data, info } = await sharp(input, { page: 0 })
      .flatten({ background: '#ffffff' })
      .toColourspace('b-w')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const grey = new Uint8Array(info.width * info.height);
    for (let i = 0; i < grey.length; i++) grey[i] = data[i * info.channels] ?? 255;
    return { data: grey, width: info.width, height: info.height };
  } catch (error) {
    const what = Buffer.isBuffer(image) ? `The image (${image.length} bytes)` : `The image file "${image.path}"`;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new InvalidInputError(`${what} cannot be read as an image (${reason}); upload a TIFF, PNG or JPEG scan again.`, { cause: error });
  }
}
