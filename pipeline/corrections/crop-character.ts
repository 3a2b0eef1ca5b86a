import sharp from 'sharp';
import { InvalidInputError } from '../../storage/index.ts';
import type { Box } from '../ocr/ocr-result.ts';

/** Margin around the box on each side, as a share of its longer side (at least 2 px): the template keeps the stroke ends. */
const MARGIN = 0.08;

/**
 * Cuts `box` (pixels of the OCR'd image, `ocrSize`) out of `image` (the same page at any size),
 * with a small margin, clamped to the image, as a greyscale PNG.
 */
export async function cropCharacter(image: Buffer, box: Box, ocrSize: { width: number; height: number }): Promise<{ png: Buffer; width: number; height: number }> {
  if (box.width <= 0 || box.height <= 0) throw new InvalidInputError(`The box at ${box.x},${box.y} is empty: it cannot be kept as a sample`);
  const { width, height } = await sharp(image).metadata();
  const scaleX = width / ocrSize.width;
  const scaleY = height / ocrSize.height;
  const margin = Math.max(2, Math.round(Math.max(box.width, box.height) * MARGIN));
  const left = clamp(Math.floor((box.x - margin) * scaleX), 0, width - 1);
  const top = clamp(Math.floor((box.y - margin) * scaleY), 0, height - 1);
  const right = clamp(Math.ceil((box.x + box.width + margin) * scaleX), left + 1, width);
  const bottom = clamp(Math.ceil((box.y + box.height + margin) * scaleY), top + 1, height);
  const region = { left, top, width: right - left, height: bottom - top };
  const png = await sharp(image).extract(region).greyscale().toColourspace('b-w').png().toBuffer();
  return { png, width: region.width, height: region.height };
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);
