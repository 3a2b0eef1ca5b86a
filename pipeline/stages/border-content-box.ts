import { componentsExtent, dilateMask, largestUnmaskedRegion } from './border-mask.ts';
import type { GreyRaster, PixelBox } from './skew-raster.ts';

export interface ContentBoxOptions {
  /** Stop once no edge line of the box crosses more than this fraction of border pixels (default 0.01). */
  tolerance?: number;
  /** Dark specks this close to the border are border debris, not content (default 1 % of the long side, at least 2). */
  haloRadius?: number;
  /** Marks smaller than this many pixels are dust, not content (default 8 at a 2000 px long side, scaled by area). */
  minMarkArea?: number;
  /** Paper always kept around the content (default 0.5 % of the long side). */
  margin?: number;
  /** Give up (no crop) if a side would lose more than this fraction of the page (default 0.35). */
  maxSideFraction?: number;
}

/**
 * What to do about the border: nothing (no border, or none that a crop could remove), crop to
 * `box`, or nothing because the crop to `box` would cut away too much of the page.
 */
export type ContentBoxDecision =
  | { kind: 'none' }
  | { kind: 'crop'; box: PixelBox }
  | { kind: 'refused'; box: PixelBox; reason: string };

/** Summed-area table of a 0/1 image: `sum(x0, y0, x1, y1)` counts the ones in [x0, x1) × [y0, y1). */
function summedArea(values: Uint8Array, width: number, height: number): (x0: number, y0: number, x1: number, y1: number) => number {
  const stride = width + 1;
  const table = new Int32Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += values[y * width + x]!;
      table[(y + 1) * stride + x + 1] = table[y * stride + x + 1]! + row;
    }
  }
  return (x0, y0, x1, y1) => table[y1 * stride + x1]! - table[y0 * stride + x1]! - table[y1 * stride + x0]! + table[y0 * stride + x0]!;
}

/**
 * The box to keep inside a dark scanner frame.
 *
 * 1. Content: the marks (dark pixels, `< darkLevel`, in components of at least `minMarkArea`)
 *    on the page region (the largest region outside the border `mask`, so light holes in a torn
 *    border do not count) and further than `haloRadius` from the border (the specks a torn or
 *    shadowed edge sheds). Its bounding box plus `margin` is the least the crop keeps.
 * 2. Starting from the full raster, one line at a time is shaved off the side whose edge line
 *    crosses the most border, until no edge crosses more than `tolerance`, or the sides that
 *    still do have reached the content. The corners of a skewed page on a dark scanner bed go
 *    to whichever side costs least; a crop never cuts content (what frame is left beside a page
 *    number in the margin stays there, and the skew estimate ignores it through the mask).
 *
 * Refuses when a side would lose more than `maxSideFraction` of the page (a dark photograph is
 * not a scanner border).
 */
export function findContentBox(
  raster: GreyRaster,
  mask: Uint8Array,
  darkLevel: number,
  options: ContentBoxOptions = {},
): ContentBoxDecision {
  const { width, height, data } = raster;
  const longSide = Math.max(width, height);
  const tolerance = options.tolerance ?? 0.01;
  const haloRadius = options.haloRadius ?? Math.max(2, Math.round(0.01 * longSide));
  const minMarkArea = options.minMarkArea ?? Math.max(3, Math.round(8 * (longSide / 2000) ** 2));
  const margin = options.margin ?? Math.round(0.005 * longSide);
  const maxSideFraction = options.maxSideFraction ?? 0.35;

  const border = summedArea(mask, width, height);
  if (border(0, 0, width, height) === 0) return { kind: 'none' };

  const halo = dilateMask(mask, width, height, haloRadius);
  const page = largestUnmaskedRegion(mask, width, height);
  const marks = new Uint8Array(width * height);
  for (let i = 0; i < marks.length; i++) marks[i] = halo[i] === 0 && page[i] === 1 && data[i]! < darkLevel ? 1 : 0;
  const content = componentsExtent(marks, width, height, minMarkArea);
  // The crop may not pass these lines (a blank page in a frame keeps at least its middle).
  const limit = content
    ? {
        x0: Math.max(0, content.x0 - margin),
        y0: Math.max(0, content.y0 - margin),
        x1: Math.min(width, content.x1 + margin),
        y1: Math.min(height, content.y1 + margin),
      }
    : { x0: width >> 1, y0: height >> 1, x1: (width >> 1) + 1, y1: (height >> 1) + 1 };

  let x0 = 0;
  let y0 = 0;
  let x1 = width;
  let y1 = height;
  for (;;) {
    const h = y1 - y0;
    const w = x1 - x0;
    let worst = tolerance;
    let move: 'left' | 'right' | 'top' | 'bottom' | null = null;
    const consider = (side: typeof move, fraction: number): void => {
      if (fraction > worst) {
        worst = fraction;
        move = side;
      }
    };
    if (x0 < limit.x0) consider('left', border(x0, y0, x0 + 1, y1) / h);
    if (x1 > limit.x1) consider('right', border(x1 - 1, y0, x1, y1) / h);
    if (y0 < limit.y0) consider('top', border(x0, y0, x1, y0 + 1) / w);
    if (y1 > limit.y1) consider('bottom', border(x0, y1 - 1, x1, y1) / w);
    if (move === null) break;
    if (move === 'left') x0++;
    else if (move === 'right') x1--;
    else if (move === 'top') y0++;
    else y1--;
  }

  if (x0 === 0 && y0 === 0 && x1 === width && y1 === height) return { kind: 'none' };
  const box = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  const lost = Math.max(x0 / width, (width - x1) / width, y0 / height, (height - y1) / height);
  if (lost > maxSideFraction) {
    return { kind: 'refused', box, reason: `cropping would remove ${Math.round(lost * 100)}% of the page from one side` };
  }
  return { kind: 'crop', box };
}
