import type { InkComponent } from './connected-components.ts';

/** Components smaller than this (pixels) are grain, not strokes, and do not vote. */
const MIN_VOTING_AREA = 4;

/**
 * A first estimate of the character size of a page: the median of the components' longer
 * side, each component weighted by its ink. The big strokes and radicals of the main text hold
 * most of the ink, so specks, dots and the small note characters barely move it. It comes out
 * somewhat below the true size (a character is often several components); callers refine it
 * from the columns once they are found.
 */
export function estimateCharacterSize(components: readonly InkComponent[]): number {
  const votes = components
    .filter((component) => component.area >= MIN_VOTING_AREA)
    .map((component) => ({ size: Math.max(component.x1 - component.x0, component.y1 - component.y0), weight: component.area }))
    .sort((a, b) => a.size - b.size);
  return weightedMedian(votes) ?? 0;
}

/** The value at the middle of the total weight; undefined for no values. */
export function weightedMedian(values: readonly { size: number; weight: number }[]): number | undefined {
  const total = values.reduce((sum, value) => sum + value.weight, 0);
  let seen = 0;
  for (const value of values) {
    seen += value.weight;
    if (seen >= total / 2) return value.size;
  }
  return undefined;
}
