import type { Box } from './ocr-result.ts';

/**
 * What the engine did to the source image before handing it to Tesseract: optionally turned it
 * 90° counter-clockwise, then added `pad` white pixels on every side. Boxes that Tesseract
 * reports in the prepared image go back to source pixels through `toSourceBox`.
 */
export interface ImageTransform {
  sourceWidth: number;
  sourceHeight: number;
  rotatedCcw: boolean;
  pad: number;
}

/** Corners as Tesseract reports them: `x1`, `y1` exclusive. */
export interface CornerBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Size of the prepared image. */
export function preparedSize(transform: ImageTransform): { width: number; height: number } {
  const { sourceWidth, sourceHeight, rotatedCcw, pad } = transform;
  return rotatedCcw
    ? { width: sourceHeight + 2 * pad, height: sourceWidth + 2 * pad }
    : { width: sourceWidth + 2 * pad, height: sourceHeight + 2 * pad };
}

/**
 * Maps a box of the prepared image to the source image, clipped to the source (a box that lay
 * wholly in the padding collapses to an empty box on the nearest edge).
 *
 * Turning 90° counter-clockwise sends source pixel (x, y) to (y, W − 1 − x), so a prepared box
 * [u0, u1) × [v0, v1) came from x ∈ [W − v1, W − v0), y ∈ [u0, u1).
 */
export function toSourceBox(box: CornerBox, transform: ImageTransform): Box {
  const { sourceWidth: width, sourceHeight: height, rotatedCcw, pad } = transform;
  const u0 = box.x0 - pad;
  const u1 = box.x1 - pad;
  const v0 = box.y0 - pad;
  const v1 = box.y1 - pad;
  const [x0, x1, y0, y1] = rotatedCcw ? [width - v1, width - v0, u0, u1] : [u0, u1, v0, v1];
  const left = clamp(Math.min(x0, x1), 0, width);
  const right = clamp(Math.max(x0, x1), 0, width);
  const top = clamp(Math.min(y0, y1), 0, height);
  const bottom = clamp(Math.max(y0, y1), 0, height);
  return { x: left, y: top, width: right - left, height: bottom - top };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
