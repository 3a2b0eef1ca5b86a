import path from 'node:path';

/** The 8 real skewed scans of sbrunner/deskew (fixtures README). */
export const DESKEW_FIXTURES = path.resolve(import.meta.dirname, '../../../../shared/fixtures/deskew');

/**
 * Angles published with the scans, good to ±0.5° only. sbrunner/deskew counts content turned
 * CLOCKWISE as positive; `estimateSkew` the opposite, so `expected` is the published angle negated.
 */
const PUBLISHED: Record<number, number> = { 1: -1, 2: -2, 3: -6, 4: 7, 5: 3, 6: -3, 7: 3, 8: 15 };

export interface DeskewFixture {
  name: string;
  file: string;
  /** As published (positive = content turned clockwise). */
  published: number;
  /** In our convention (positive = content turned counter-clockwise). */
  expected: number;
}

export function deskewFixtures(): DeskewFixture[] {
  return Object.entries(PUBLISHED).map(([n, published]) => ({
    name: `deskew-${n}.png`,
    file: path.join(DESKEW_FIXTURES, `deskew-${n}.png`),
    published,
    expected: -published,
  }));
}

/** 40 angles in ±10°: eight small ones, and 32 spread by a fixed pseudo-random sequence. */
export function syntheticSkewAngles(): number[] {
  const angles = [-0.7, -0.5, -0.3, -0.1, 0.1, 0.3, 0.5, 0.7];
  let state = 20261121;
  while (angles.length < 40) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    angles.push(Math.round(((state / 2 ** 32) * 20 - 10) * 100) / 100);
  }
  return angles;
}
