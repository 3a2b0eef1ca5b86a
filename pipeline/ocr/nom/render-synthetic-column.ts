import type { GreyRaster } from '../../stages/skew-raster.ts';
import { codePoints } from '../../text/code-points.ts';
import type { FontGlyphRenderer } from './font-glyph-renderer.ts';
import type { InkImage } from './ink-image.ts';

/**
 * A column of `text` drawn from one font face, characters stacked in their em squares
 * (`emPixels` apart, plus `gap` pixels) with `pad` pixels of paper around, as a grey raster
 * (0 = black). Characters the face lacks are left blank and reported, so callers can skip them.
 * `degrade` is applied to the whole column's ink before it becomes grey.
 */
export async function renderSyntheticColumn(
  text: string,
  renderer: FontGlyphRenderer,
  options: { emPixels: number; gap?: number; pad?: number; degrade?: (ink: InkImage) => InkImage },
): Promise<{ column: GreyRaster; missing: string[] }> {
  const chars = codePoints(text.normalize('NFC'));
  const gap = options.gap ?? 0;
  const pad = options.pad ?? 2;
  const em = options.emPixels;
  const width = em + 2 * pad;
  const height = chars.length * (em + gap) - gap + 2 * pad;
  let ink: InkImage = { data: new Float32Array(width * height), width, height };
  const missing: string[] = [];
  for (const [n, char] of chars.entries()) {
    const glyph = await renderer.render(char, em);
    if (!glyph) {
      missing.push(char);
      continue;
    }
    const top = pad + n * (em + gap);
    for (let y = 0; y < glyph.height; y++) {
      for (let x = 0; x < glyph.width; x++) ink.data[(top + y) * width + pad + x] = glyph.data[y * glyph.width + x] ?? 0;
    }
  }
  if (options.degrade) ink = options.degrade(ink);
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(255 * (1 - Math.min(1, Math.max(0, ink.data[i] ?? 0))));
  return { column: { data, width, height }, missing };
}
