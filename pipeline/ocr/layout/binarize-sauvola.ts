import type { GreyRaster } from '../../stages/skew-raster.ts';

/** Sauvola's sensitivity: how far below the local mean ink must be, scaled by local contrast. */
const SAUVOLA_K = 0.2;
/** Sauvola's dynamic range of the standard deviation for 8-bit images. */
const SAUVOLA_R = 128;

/**
 * Sauvola's local binarisation: a pixel is ink (1) when it is darker than
 * `mean · (1 + k · (std / R − 1))` over the `window` × `window` square around it. Unlike one
 * global threshold it follows uneven paper (stains, a darker gutter, a fading lamp); on blank
 * paper the threshold sits well below the paper's grey, so paper grain stays white.
 * Means come from integral images, so the cost does not depend on the window.
 */
export function binarizeSauvola(page: GreyRaster, window: number): Uint8Array {
  const { data, width, height } = page;
  const stride = width + 1;
  const sum = new Float64Array(stride * (height + 1));
  const squares = new Float64Array(stride * (height + 1));
  for (let y = 0; y < height; y += 1) {
    let rowSum = 0;
    let rowSquares = 0;
    for (let x = 0; x < width; x += 1) {
      const value = data[y * width + x]!;
      rowSum += value;
      rowSquares += value * value;
      const i = (y + 1) * stride + x + 1;
      sum[i] = sum[i - stride]! + rowSum;
      squares[i] = squares[i - stride]! + rowSquares;
    }
  }
  const half = Math.max(1, Math.floor(window / 2));
  const ink = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const top = Math.max(0, y - half);
    const bottom = Math.min(height, y + half + 1);
    for (let x = 0; x < width; x += 1) {
      const left = Math.max(0, x - half);
      const right = Math.min(width, x + half + 1);
      const count = (bottom - top) * (right - left);
      const a = top * stride + left;
      const b = top * stride + right;
      const c = bottom * stride + left;
      const d = bottom * stride + right;
      const mean = (sum[d]! - sum[b]! - sum[c]! + sum[a]!) / count;
      const variance = (squares[d]! - squares[b]! - squares[c]! + squares[a]!) / count - mean * mean;
      const threshold = mean * (1 + SAUVOLA_K * (Math.sqrt(Math.max(0, variance)) / SAUVOLA_R - 1));
      if (data[y * width + x]! < threshold) ink[y * width + x] = 1;
    }
  }
  return ink;
}
