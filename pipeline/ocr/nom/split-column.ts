import type { GreyRaster, PixelBox } from '../../stages/skew-raster.ts';
import { columnCuts } from './column-cuts.ts';
import { toInkImage } from './ink-image.ts';

/**
 * Splits a column known to hold `count` characters (a corrected transcription) into `count`
 * row bands, choosing among the candidate cuts the ones that make the bands most even over the
 * inked height. This is how corrected text becomes per-character crops for new templates.
 * Returns full-width boxes in the column's pixels, top to bottom.
 */
export function splitColumn(column: GreyRaster, count: number): PixelBox[] {
  if (count <= 0) return [];
  const ink = toInkImage(column);
  const { cuts, profile } = columnCuts(ink);
  let top = 0;
  while (top < profile.length && (profile[top] ?? 0) < 0.5) top++;
  let bottom = profile.length;
  while (bottom > top && (profile[bottom - 1] ?? 0) < 0.5) bottom--;
  const pitch = Math.max(1, (bottom - top) / count);
  // Cuts to choose from: the candidates, plus the even grid in case two characters touch.
  const points = [...new Set([...cuts, ...Array.from({ length: count + 1 }, (_, k) => Math.round(top + k * pitch))])].sort((a, b) => a - b);
  const n = points.length;
  // cost[k][j]: best cost of k bands ending at points[j], bands starting at the first point ≤ top.
  const cost: Float64Array[] = Array.from({ length: count + 1 }, () => new Float64Array(n).fill(Infinity));
  const back: Int32Array[] = Array.from({ length: count + 1 }, () => new Int32Array(n).fill(-1));
  const deviation = (a: number, b: number): number => {
    const from = Math.max(a, top);
    const to = Math.min(b, bottom);
    return ((to - from) / pitch - 1) ** 2;
  };
  points.forEach((p, j) => {
    if (p <= top) (cost[0] as Float64Array)[j] = (top - p) * 1e-3;
  });
  for (let k = 1; k <= count; k++) {
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < j; i++) {
        const previous = (cost[k - 1] as Float64Array)[i] as number;
        if (previous === Infinity) continue;
        const c = previous + deviation(points[i] as number, points[j] as number);
        if (c < ((cost[k] as Float64Array)[j] as number)) {
          (cost[k] as Float64Array)[j] = c;
          (back[k] as Int32Array)[j] = i;
        }
      }
    }
  }
  let end = -1;
  let endCost = Infinity;
  points.forEach((p, j) => {
    const c = ((cost[count] as Float64Array)[j] as number) + (p >= bottom ? (p - bottom) * 1e-3 : Infinity);
    if (c < endCost) {
      endCost = c;
      end = j;
    }
  });
  const boxes: PixelBox[] = [];
  for (let k = count, j = end; k > 0 && j >= 0; k--) {
    const i = (back[k] as Int32Array)[j] as number;
    const from = points[i] as number;
    const to = points[j] as number;
    boxes.unshift({ x: 0, y: from, width: column.width, height: to - from });
    j = i;
  }
  return boxes;
}
