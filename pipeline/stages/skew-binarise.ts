import type { GreyRaster } from './skew-raster.ts';

/**
 * Otsu's threshold of a greyscale raster: the grey level that best splits ink from paper
 * (maximum between-class variance). Pixels `<= threshold` are ink.
 */
export function otsuThreshold(raster: GreyRaster): number {
  const histogram = new Float64Array(256);
  const { data } = raster;
  for (let i = 0; i < data.length; i++) histogram[data[i]!]! += 1;
  const total = data.length;
  let sumAll = 0;
  for (let g = 0; g < 256; g++) sumAll += g * histogram[g]!;
  let weightDark = 0;
  let sumDark = 0;
  let best = 0;
  let bestVariance = -1;
  for (let g = 0; g < 255; g++) {
    weightDark += histogram[g]!;
    if (weightDark === 0) continue;
    const weightLight = total - weightDark;
    if (weightLight === 0) break;
    sumDark += g * histogram[g]!;
    const meanDark = sumDark / weightDark;
    const meanLight = (sumAll - sumDark) / weightLight;
    const variance = weightDark * weightLight * (meanDark - meanLight) ** 2;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = g;
    }
  }
  return best;
}

/** The `q`-quantile (0–1) of the grey levels of a raster. */
export function greyQuantile(raster: GreyRaster, q: number): number {
  const histogram = new Float64Array(256);
  const { data } = raster;
  for (let i = 0; i < data.length; i++) histogram[data[i]!]! += 1;
  const target = q * data.length;
  let seen = 0;
  for (let g = 0; g < 256; g++) {
    seen += histogram[g]!;
    if (seen >= target) return g;
  }
  return 255;
}

/**
 * The ink threshold used by the skew estimate: Otsu's level, but never so high that a light
 * paper tint counts as ink. A page whose ink barely differs from its paper gets a threshold
 * below every pixel, so it yields no ink at all (and a low confidence) rather than noise.
 */
export function inkThreshold(raster: GreyRaster, minContrast = 48): number {
  const paper = greyQuantile(raster, 0.9);
  const otsu = otsuThreshold(raster);
  const darkest = greyQuantile(raster, 0.0002);
  if (paper - darkest < minContrast) return -1;
  return Math.min(otsu, paper - minContrast / 2);
}
