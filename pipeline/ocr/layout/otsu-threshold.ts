import type { GreyRaster } from '../../stages/skew-raster.ts';

/**
 * Otsu's global threshold of an 8-bit grey image: the grey level that best separates its
 * histogram into two classes (greatest between-class variance). Pixels at or below it are ink.
 */
export function otsuThreshold(page: GreyRaster): number {
  const histogram = new Float64Array(256);
  for (const value of page.data) histogram[value]! += 1;
  const total = page.data.length;
  let sumAll = 0;
  for (let level = 0; level < 256; level += 1) sumAll += level * histogram[level]!;
  let weightBelow = 0;
  let sumBelow = 0;
  let best = 0;
  let threshold = 127;
  for (let level = 0; level < 256; level += 1) {
    weightBelow += histogram[level]!;
    if (weightBelow === 0) continue;
    const weightAbove = total - weightBelow;
    if (weightAbove === 0) break;
    sumBelow += level * histogram[level]!;
    const meanBelow = sumBelow / weightBelow;
    const meanAbove = (sumAll - sumBelow) / weightAbove;
    const between = weightBelow * weightAbove * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      threshold = level;
    }
  }
  return threshold;
}
