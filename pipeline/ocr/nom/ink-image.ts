import type { GreyRaster } from '../../stages/skew-raster.ts';

/** A float image of ink coverage, row-major: 0 = paper, 1 = full ink. */
export interface InkImage {
  data: Float32Array;
  width: number;
  height: number;
}

/** The grey levels of paper and ink in a raster, split by Otsu's threshold. */
export interface InkLevels {
  paper: number;
  ink: number;
}

/**
 * Paper and ink grey levels by Otsu's method (the threshold maximising between-class variance),
 * returned as the mean of each class so that `toInkImage` can map grey to coverage smoothly:
 * thin woodblock strokes at ≈ 30 px per character are mostly grey edge pixels.
 */
export function inkLevels(raster: GreyRaster): InkLevels {
  const histogram = new Float64Array(256);
  for (const v of raster.data) histogram[v] = (histogram[v] ?? 0) + 1;
  const total = raster.data.length;
  let sumAll = 0;
  for (let v = 0; v < 256; v++) sumAll += v * (histogram[v] ?? 0);
  let weightDark = 0;
  let sumDark = 0;
  let best = -1;
  let threshold = 127;
  for (let t = 0; t < 256; t++) {
    weightDark += histogram[t] ?? 0;
    if (weightDark === 0) continue;
    const weightLight = total - weightDark;
    if (weightLight === 0) break;
    sumDark += t * (histogram[t] ?? 0);
    const meanDark = sumDark / weightDark;
    const meanLight = (sumAll - sumDark) / weightLight;
    const between = weightDark * weightLight * (meanDark - meanLight) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  let inkSum = 0;
  let inkCount = 0;
  let paperSum = 0;
  let paperCount = 0;
  for (let v = 0; v < 256; v++) {
    const n = histogram[v] ?? 0;
    if (v <= threshold) {
      inkSum += v * n;
      inkCount += n;
    } else {
      paperSum += v * n;
      paperCount += n;
    }
  }
  const paper = paperCount > 0 ? paperSum / paperCount : 255;
  const ink = inkCount > 0 ? inkSum / inkCount : 0;
  // A blank raster has no ink class worth the name: keep a contrast floor so it maps to ≈ 0.
  return paper - ink < 32 ? { paper: 255, ink: 0 } : { paper, ink };
}

/** Grey (0 = black) to ink coverage, linear between the paper and ink levels, clamped to 0–1. */
export function toInkImage(raster: GreyRaster, levels: InkLevels = inkLevels(raster)): InkImage {
  const data = new Float32Array(raster.width * raster.height);
  const span = levels.paper - levels.ink;
  for (let i = 0; i < data.length; i++) {
    const v = ((levels.paper - (raster.data[i] ?? 255)) / span);
    data[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return { data, width: raster.width, height: raster.height };
}

/** Rows `top` (inclusive) to `bottom` (exclusive) of an ink image. */
export function inkRows(image: InkImage, top: number, bottom: number): InkImage {
  const y0 = Math.max(0, Math.min(image.height, top));
  const y1 = Math.max(y0, Math.min(image.height, bottom));
  return { data: image.data.slice(y0 * image.width, y1 * image.width), width: image.width, height: y1 - y0 };
}
