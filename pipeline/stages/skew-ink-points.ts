import type { GreyRaster } from './skew-raster.ts';

/** Ink pixel centres relative to the middle of the raster they came from. */
export interface InkPoints {
  xs: Float32Array;
  ys: Float32Array;
  count: number;
  /** Half the diagonal of the raster: no point lies further from the middle. */
  radius: number;
}

/** A deterministic offset in [−0.5, 0.5) for pixel `i` (integer hash, lowbias32). */
function jitter(i: number, salt: number): number {
  let h = (i ^ salt) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296 - 0.5;
}

/**
 * Collects the ink pixels (`grey <= threshold`) of a raster, skipping those flagged in
 * `ignore` (e.g. scanner borders). Keeps at most `maxPoints`, evenly spread, so the cost of
 * the search does not grow with dark pages. Each point is moved by a fixed pseudo-random
 * sub-pixel offset: without it the pixel lattice itself projects into sharp profiles at
 * rational slopes (tan θ = 1/4 at 14.04°, …) and at 0°, and dense pages "find" those angles.
 */
export function collectInkPoints(
  raster: GreyRaster,
  threshold: number,
  options: { ignore?: Uint8Array; maxPoints?: number } = {},
): InkPoints {
  const { data, width, height } = raster;
  const ignore = options.ignore;
  const maxPoints = options.maxPoints ?? 600_000;
  let total = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i]! <= threshold && (ignore === undefined || ignore[i] === 0)) total++;
  }
  const stride = Math.max(1, total / maxPoints);
  const count = Math.min(total, Math.floor(total / stride));
  const xs = new Float32Array(count);
  const ys = new Float32Array(count);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  let seen = 0;
  let next = 0;
  let k = 0;
  for (let y = 0; y < height && k < count; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      if (data[i]! > threshold || (ignore !== undefined && ignore[i] !== 0)) continue;
      if (seen >= next) {
        xs[k] = x - cx + jitter(i, 0x9e3779b9);
        ys[k] = y - cy + jitter(i, 0x85ebca6b);
        k++;
        next += stride;
        if (k >= count) break;
      }
      seen++;
    }
  }
  return { xs, ys, count: k, radius: Math.hypot(width, height) / 2 };
}
