import sharp from 'sharp';

import type { OrientationDetector, OrientationEstimate } from './orientation-osd.ts';
import type { GreyRaster } from './skew-raster.ts';

/**
 * Runs orientation detection on a working raster, first straightening it by `skewAngle`
 * (degrees counter-clockwise, see `SkewEstimate`) so the detector sees level lines. `dpi` is the
 * raster's resolution (the source's, divided by the shrink), recorded in the PNG so Tesseract
 * can size its expectations (it assumes 70 dpi, with a warning, when it finds no usable value).
 */
export async function detectRasterOrientation(
  raster: GreyRaster,
  skewAngle: number,
  detector: OrientationDetector,
  dpi: number,
): Promise<OrientationEstimate | null> {
  let image = sharp(Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength), {
    raw: { width: raster.width, height: raster.height, channels: 1 },
  });
  if (skewAngle !== 0) image = image.rotate(skewAngle, { background: '#ffffff' });
  const png = await image
    .toColourspace('b-w')
    .withDensity(Math.max(72, Math.round(dpi)))
    .png({ compressionLevel: 1 })
    .toBuffer();
  return detector.detect(png);
}
