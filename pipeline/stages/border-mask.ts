import type { GreyRaster } from './skew-raster.ts';

/**
 * Marks the dark pixels (`grey < darkLevel`) that are connected, through other dark pixels
 * (4-neighbourhood), to the edge of the raster: the black or grey frame a scanner leaves around
 * a page, torn or shadowed page edges, the scanner lid. Ink inside the page is not connected
 * to the edge and stays unmarked. Returns 1 for border, 0 otherwise.
 */
export function edgeConnectedDarkMask(raster: GreyRaster, darkLevel: number): Uint8Array {
  const { data, width, height } = raster;
  const mask = new Uint8Array(width * height);
  const queue = new Int32Array(width * height);
  let head = 0;
  let tail = 0;
  const seed = (i: number): void => {
    if (mask[i] === 0 && data[i]! < darkLevel) {
      mask[i] = 1;
      queue[tail++] = i;
    }
  };
  for (let x = 0; x < width; x++) {
    seed(x);
    seed((height - 1) * width + x);
  }
  for (let y = 0; y < height; y++) {
    seed(y * width);
    seed(y * width + width - 1);
  }
  while (head < tail) {
    const i = queue[head++]!;
    const x = i % width;
    if (x > 0) seed(i - 1);
    if (x < width - 1) seed(i + 1);
    if (i >= width) seed(i - width);
    if (i < (height - 1) * width) seed(i + width);
  }
  return mask;
}

/**
 * Grows a 0/1 mask by `radius` pixels in every direction (square structuring element),
 * with running sums along rows then columns: O(pixels) whatever the radius.
 */
export function dilateMask(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (radius <= 0) return mask.slice();
  const rows = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const base = y * width;
    let count = 0;
    for (let x = 0; x < Math.min(radius, width); x++) count += mask[base + x]!;
    for (let x = 0; x < width; x++) {
      if (x + radius < width) count += mask[base + x + radius]!;
      if (x - radius - 1 >= 0) count -= mask[base + x - radius - 1]!;
      rows[base + x] = count > 0 ? 1 : 0;
    }
  }
  const out = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) {
    let count = 0;
    for (let y = 0; y < Math.min(radius, height); y++) count += rows[y * width + x]!;
    for (let y = 0; y < height; y++) {
      if (y + radius < height) count += rows[(y + radius) * width + x]!;
      if (y - radius - 1 >= 0) count -= rows[(y - radius - 1) * width + x]!;
      out[y * width + x] = count > 0 ? 1 : 0;
    }
  }
  return out;
}

/**
 * The largest 4-connected region of pixels outside `mask`: the page itself (paper and the ink on
 * it). Light holes in a torn or crumpled border are separate, smaller regions and are left out.
 * Returns 1 for page pixels.
 */
export function largestUnmaskedRegion(mask: Uint8Array, width: number, height: number): Uint8Array {
  const labels = new Int32Array(width * height);
  const queue = new Int32Array(width * height);
  const last = (height - 1) * width;
  let bestLabel = 0;
  let bestSize = 0;
  let label = 0;
  for (let start = 0; start < labels.length; start++) {
    if (mask[start] !== 0 || labels[start] !== 0) continue;
    label++;
    let head = 0;
    let tail = 0;
    labels[start] = label;
    queue[tail++] = start;
    while (head < tail) {
      const i = queue[head++]!;
      const x = i % width;
      let j = i - 1;
      if (x > 0 && mask[j] === 0 && labels[j] === 0) {
        labels[j] = label;
        queue[tail++] = j;
      }
      j = i + 1;
      if (x < width - 1 && mask[j] === 0 && labels[j] === 0) {
        labels[j] = label;
        queue[tail++] = j;
      }
      j = i - width;
      if (i >= width && mask[j] === 0 && labels[j] === 0) {
        labels[j] = label;
        queue[tail++] = j;
      }
      j = i + width;
      if (i < last && mask[j] === 0 && labels[j] === 0) {
        labels[j] = label;
        queue[tail++] = j;
      }
    }
    if (tail > bestSize) {
      bestSize = tail;
      bestLabel = label;
    }
  }
  const page = new Uint8Array(width * height);
  if (bestLabel === 0) return page;
  for (let i = 0; i < labels.length; i++) if (labels[i] === bestLabel) page[i] = 1;
  return page;
}

/** Bounding box [x0, x1) × [y0, y1) of a set of pixels. */
export interface Extent {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Bounding box of the 8-connected components of `pixels` (1 = set) that have at least
 * `minArea` pixels: the extent of real marks, ignoring dust. Null when there are none.
 */
export function componentsExtent(pixels: Uint8Array, width: number, height: number, minArea: number): Extent | null {
  const seen = new Uint8Array(width * height);
  const queue = new Int32Array(width * height);
  let extent: Extent | null = null;
  for (let start = 0; start < pixels.length; start++) {
    if (pixels[start] === 0 || seen[start] !== 0) continue;
    let head = 0;
    let tail = 0;
    seen[start] = 1;
    queue[tail++] = start;
    let x0 = width;
    let y0 = height;
    let x1 = -1;
    let y1 = -1;
    while (head < tail) {
      const i = queue[head++]!;
      const x = i % width;
      const y = (i - x) / width;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (pixels[j] !== 0 && seen[j] === 0) {
            seen[j] = 1;
            queue[tail++] = j;
          }
        }
      }
    }
    if (tail < minArea) continue;
    if (extent === null) extent = { x0, y0, x1: x1 + 1, y1: y1 + 1 };
    else {
      extent.x0 = Math.min(extent.x0, x0);
      extent.y0 = Math.min(extent.y0, y0);
      extent.x1 = Math.max(extent.x1, x1 + 1);
      extent.y1 = Math.max(extent.y1, y1 + 1);
    }
  }
  return extent;
}
