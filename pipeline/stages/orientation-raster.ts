import sharp from 'sharp';

import type { OrientationDetector, OrientationEstimate } from './orientation-osd.ts';
import type { GreyRaster } from './skew-raster.ts';

/** Long side of the image handed to Tesseract's OSD. */
const OSD_LONG_SIDE = 1200;

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
  // OSD needs letters, not detail: a page at most OSD_LONG_SIDE px long is read in half the time.
  const scale = Math.min(1, OSD_LONG_SIDE / Math.max(raster.width, raster.height));
  let image = sharp(Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength), {
    raw: { width: raster.width, height: raster.height, channels: 1 },
  });
  if (scale < 1) image = image.resize({ width: OSD_LONG_SIDE, height: OSD_LONG_SIDE, fit: 'inside' });
  if (skewAngle !== 0) image = image.rotate(skewAngle, { background: '#ffffff' });
  const png = await image
    .toColourspace('b-w')
    .withDensity(Math.max(72, Math.round(dpi * scale)))
    .png({ compressionLevel: 1 })
    .toBuffer();
  return detector.detect(png);
}
