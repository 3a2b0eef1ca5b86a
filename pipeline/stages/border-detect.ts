import { findContentBox, type ContentBoxOptions } from './border-content-box.ts';
import { edgeConnectedDarkMask } from './border-mask.ts';
import { greyQuantile } from './skew-binarise.ts';
import type { GreyRaster, PixelBox } from './skew-raster.ts';

/** Dark scanner border found on a working raster. */
export interface ScannerBorder {
  /** Box to keep, in raster pixels; null when there is no border to crop (or it was refused). */
  box: PixelBox | null;
  /** Why a border that was found is not cropped, when it is not. */
  refused: string | null;
  /** 1 where a raster pixel is border (dark and connected to the raster's edge). */
  mask: Uint8Array;
  /** Border pixels in the whole raster. */
  borderPixels: number;
}

/**
 * Finds the dark frame around a scanned page: pixels darker than half the paper's grey level
 * (its 90th percentile) that connect to the edge of the image, and the box that crops it away
 * without cutting content (see `findContentBox`).
 */
export function detectScannerBorder(raster: GreyRaster, options: ContentBoxOptions = {}): ScannerBorder {
  const paper = greyQuantile(raster, 0.9);
  const darkLevel = paper / 2;
  const mask = edgeConnectedDarkMask(raster, darkLevel);
  let borderPixels = 0;
  for (let i = 0; i < mask.length; i++) borderPixels += mask[i]!;
  const decision = borderPixels === 0 ? ({ kind: 'none' } as const) : findContentBox(raster, mask, darkLevel, options);
  return {
    box: decision.kind === 'crop' ? decision.box : null,
    refused: decision.kind === 'refused' ? decision.reason : null,
    mask,
    borderPixels,
  };
}
