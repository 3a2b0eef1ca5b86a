import sharp from 'sharp';

import { seededRandom } from '../../pipeline/ocr/seeded-random.ts';
import { rotateContent } from '../../test/pipeline/deskew-helpers/text-page.ts';

export interface Degradation {
  /** Gaussian blur sigma in pixels; 0 = none (sharp needs at least 0.3). */
  blur: number;
  /** Standard deviation of Gaussian grey-level noise, 0–255 scale; 0 = none. */
  noise: number;
  /** Degrees the content is turned counter-clockwise before the page is "scanned". */
  angle: number;
  /** Seed of the noise: the same seed gives the same pixels. */
  seed: number;
}

/** One standard normal deviate from two uniform ones (Box–Muller). */
function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/** A clean greyscale page made to look scanned: turned, blurred, noisy. Returns a greyscale PNG. */
export async function degradePage(png: Buffer, degradation: Degradation): Promise<Buffer> {
  const turned = degradation.angle === 0 ? png : await rotateContent(png, degradation.angle);
  const blurred = degradation.blur >= 0.3 ? sharp(turned).blur(degradation.blur) : sharp(turned);
  const { data, info } = await blurred.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  if (degradation.noise > 0) {
    const next = seededRandom(degradation.seed);
    // Clamped: a Buffer stores values modulo 256, which would turn bright paper black.
    for (let i = 0; i < data.length; i += 1) {
      data[i] = Math.min(255, Math.max(0, Math.round(data[i]! + degradation.noise * gaussian(next))));
    }
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).png().toBuffer();
}
