import { inkThreshold } from './skew-binarise.ts';
import type { GreyRaster } from './skew-raster.ts';
import { collectInkPoints } from './skew-ink-points.ts';
import { searchSkew, type LineDirection } from './skew-search.ts';

/** Skew of the text on a page. */
export interface SkewEstimate {
  /**
   * Degrees the page content is rotated counter-clockwise (text lines rising to the right are
   * positive). Turning the image clockwise by this much (sharp `rotate(angle)`) straightens it.
   */
  angle: number;
  /** 0–1. Text pages score 0.6–0.98; blank pages, noise and specks below 0.2. */
  confidence: number;
  /** Whether rows (Quốc ngữ) or columns (Hán-Nôm) gave the estimate. */
  direction: LineDirection;
}

export interface RasterSkewOptions {
  /** Largest skew searched, degrees either way (default 15). */
  maxAngle?: number;
  /** Pixels to leave out (1 = ignore), e.g. the scanner border mask. Same size as the raster. */
  ignore?: Uint8Array;
}

/**
 * Estimates the skew of a greyscale working raster: binarise (Otsu, guarded against paper tint),
 * take the ink pixels, search the projection-profile criterion for rows and for columns.
 */
export function estimateRasterSkew(raster: GreyRaster, options: RasterSkewOptions = {}): SkewEstimate {
  const threshold = inkThreshold(raster);
  const points = collectInkPoints(raster, threshold, options.ignore ? { ignore: options.ignore } : {});
  const result = searchSkew(points, options.maxAngle === undefined ? {} : { maxAngle: options.maxAngle });
  // Round to a thousandth of a degree: finer digits are noise, and stable numbers diff well.
  return {
    angle: Math.round(result.angle * 1000) / 1000 || 0,
    confidence: Math.round(result.confidence * 1000) / 1000,
    direction: result.direction,
  };
}
