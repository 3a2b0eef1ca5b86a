import type { InkImage } from './ink-image.ts';

/** Where a glyph's ink lies in its image (pixels, end exclusive). */
export interface InkBounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** How a glyph's aspect ratio survives normalisation: kept, stretched to the square, or in between (adaptive). */
export type GlyphAspect = 'keep' | 'fill' | 'adaptive';

/** Coverage a pixel needs to count as ink when finding a glyph's extent. */
const BOUNDS_INK = 0.35;

/**
 * The extent of the ink, ignoring edge rows and columns with less than one pixel's worth of
 * ink (specks, the neighbour column's serifs). Undefined when the image is blank.
 */
export function inkBounds(image: InkImage): InkBounds | undefined {
  const { width, height, data } = image;
  const rows = new Float64Array(height);
  const cols = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x] ?? 0;
      if (v >= BOUNDS_INK) {
        rows[y] = (rows[y] ?? 0) + v;
        cols[x] = (cols[x] ?? 0) + v;
      }
    }
  }
  const span = (profile: Float64Array): [number, number] | undefined => {
    let a = 0;
    while (a < profile.length && (profile[a] ?? 0) < 1) a++;
    let b = profile.length;
    while (b > a && (profile[b - 1] ?? 0) < 1) b--;
    return b > a ? [a, b] : undefined;
  };
  const ys = span(rows);
  const xs = span(cols);
  if (!ys || !xs) return undefined;
  return { x0: xs[0], y0: ys[0], x1: xs[1], y1: ys[1] };
}

/**
 * A glyph scaled so that its ink's longer side spans `size − 2 · margin` pixels, centred on a
 * `size` × `size` square; the shorter side as `aspect` says (kept: a flat 一 stays flat). Resampling averages the source
 * area under each target pixel (bilinear when enlarging), so tiny crops and large renders give
 * comparable images. A blank image gives a blank square.
 */
export function normalizeGlyph(image: InkImage, size: number, margin: number, aspect: GlyphAspect = 'keep'): InkImage {
  const out = new Float32Array(size * size);
  const bounds = inkBounds(image);
  if (!bounds) return { data: out, width: size, height: size };
  const boxW = bounds.x1 - bounds.x0;
  const boxH = bounds.y1 - bounds.y0;
  const inner = size - 2 * margin;
  const ratio = Math.min(boxW, boxH) / Math.max(boxW, boxH);
  // The shorter side's share of the square: as is, full, or Liu's aspect-ratio-adaptive sqrt(sin(π/2 · r)).
  const shortShare = aspect === 'keep' ? ratio : aspect === 'fill' ? 1 : Math.sqrt(Math.sin((Math.PI / 2) * ratio));
  const scaleX = (boxW >= boxH ? inner : inner * shortShare) / boxW;
  const scaleY = (boxH > boxW ? inner : inner * shortShare) / boxH;
  const offX = (size - boxW * scaleX) / 2;
  const offY = (size - boxH * scaleY) / 2;
  // Each target pixel samples a grid of source points: averaging when shrinking, bilinear otherwise.
  const step = Math.max(1, Math.ceil(1 / Math.min(scaleX, scaleY)));
  for (let ty = 0; ty < size; ty++) {
    for (let tx = 0; tx < size; tx++) {
      let sum = 0;
      for (let sy = 0; sy < step; sy++) {
        for (let sx = 0; sx < step; sx++) {
          const u = (tx + (sx + 0.5) / step - offX) / scaleX + bounds.x0 - 0.5;
          const v = (ty + (sy + 0.5) / step - offY) / scaleY + bounds.y0 - 0.5;
          sum += bilinear(image, u, v, bounds);
        }
      }
      out[ty * size + tx] = sum / (step * step);
    }
  }
  return { data: out, width: size, height: size };
}

function bilinear(image: InkImage, u: number, v: number, bounds: InkBounds): number {
  if (u < bounds.x0 - 1 || v < bounds.y0 - 1 || u > bounds.x1 || v > bounds.y1) return 0;
  const x0 = Math.floor(u);
  const y0 = Math.floor(v);
  const fx = u - x0;
  const fy = v - y0;
  const at = (x: number, y: number): number =>
    x < bounds.x0 || y < bounds.y0 || x >= bounds.x1 || y >= bounds.y1 ? 0 : (image.data[y * image.width + x] ?? 0);
  return (
    at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy) + at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy
  );
}
