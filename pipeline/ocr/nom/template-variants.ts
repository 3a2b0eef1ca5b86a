import { coarsen, gaussianBlur, morph } from './degrade-glyph.ts';
import type { InkImage } from './ink-image.ts';

/** Pixels per em of the clean render the variants start from. */
export const TEMPLATE_EM_PIXELS = 64;

/** Human-readable summary of `templateVariants`, written into the template file. */
export const TEMPLATE_RECIPE =
  'mean feature, per font face, of 5 renders at 64 px/em: clean; 1 px thicker + blur σ 1; 1 px thinner; sampled at 32 px/em; 1 px thicker sampled at 32 px/em + blur σ 0.7';

/**
 * Degraded versions of one clean glyph render, spanning what woodblock prints at ≈ 30 px per
 * character do to a font's strokes: thicker, thinner, coarsely sampled, blurred.
 */
export function templateVariants(clean: InkImage): InkImage[] {
  return [
    clean,
    gaussianBlur(morph(clean, 1), 1),
    morph(clean, -1),
    coarsen(clean, 2),
    gaussianBlur(coarsen(morph(clean, 1), 2), 0.7),
  ];
}
