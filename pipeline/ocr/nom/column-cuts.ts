import type { InkImage } from './ink-image.ts';

/** Where a column may be cut between characters, and the rhythm of its characters. */
export interface ColumnCuts {
  /** Candidate cut rows, ascending, always including 0 and the height: a cut at y splits rows < y from rows ≥ y. */
  cuts: number[];
  /** Estimated distance between character tops, pixels. */
  pitch: number;
  /** Ink per row (sum of coverage). */
  profile: Float64Array;
}

/** Cut candidates closer than this (pixels) collapse to the one with less ink. */
const MIN_CUT_GAP = 2;

/**
 * Candidate cuts of a vertical column from its horizontal projection profile: every local
 * minimum of the lightly smoothed ink-per-row curve, and the middle of every blank run. The
 * recogniser chooses among them, so over-proposing is cheap and missing a cut is not.
 * The pitch is the period (between 0.75 and 1.6 column ink widths) at which the profile best
 * correlates with itself: woodblock and type set characters on a regular grid.
 */
export function columnCuts(ink: InkImage): ColumnCuts {
  const { width, height, data } = ink;
  const profile = new Float64Array(height);
  const columnInk = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x] ?? 0;
      profile[y] = (profile[y] ?? 0) + v;
      columnInk[x] = (columnInk[x] ?? 0) + v;
    }
  }
  const smooth = new Float64Array(height);
  for (let y = 0; y < height; y++) {
    smooth[y] = 0.25 * (profile[y - 1] ?? profile[y] ?? 0) + 0.5 * (profile[y] ?? 0) + 0.25 * (profile[y + 1] ?? profile[y] ?? 0);
  }
  const blank = 0.5;
  const candidates: number[] = [0, height];
  let runStart = -1;
  for (let y = 0; y <= height; y++) {
    const isBlank = y < height && (smooth[y] ?? 0) < blank;
    if (isBlank && runStart < 0) runStart = y;
    if (!isBlank && runStart >= 0) {
      candidates.push(Math.round((runStart + y) / 2));
      runStart = -1;
    }
    if (y > 0 && y < height - 1) {
      const v = smooth[y] ?? 0;
      if (v <= (smooth[y - 1] ?? 0) && v <= (smooth[y + 1] ?? 0) && v >= blank) candidates.push(y);
    }
  }
  const inkAt = (y: number): number => (y <= 0 || y >= height ? -1 : (smooth[y] ?? 0));
  const sorted = [...new Set(candidates)].sort((a, b) => a - b);
  const cuts: number[] = [];
  for (const y of sorted) {
    const last = cuts[cuts.length - 1];
    if (last !== undefined && y - last < MIN_CUT_GAP && y !== height) {
      if (inkAt(y) < inkAt(last)) cuts[cuts.length - 1] = y;
      continue;
    }
    if (last !== undefined && y - last < MIN_CUT_GAP) cuts.pop();
    cuts.push(y);
  }
  return { cuts, pitch: estimatePitch(smooth, inkWidth(columnInk, height)), profile };
}

/** Width of the ink band: columns holding at least a fifth of the busiest column's ink. */
function inkWidth(columnInk: Float64Array, height: number): number {
  const peak = Math.max(...columnInk);
  if (peak <= 0) return Math.max(1, columnInk.length);
  let first = -1;
  let last = -1;
  columnInk.forEach((v, x) => {
    if (v >= peak / 5) {
      if (first < 0) first = x;
      last = x;
    }
  });
  return Math.min(height, Math.max(1, last - first + 1));
}

function estimatePitch(profile: Float64Array, width: number): number {
  const n = profile.length;
  let mean = 0;
  for (const v of profile) mean += v / n;
  const lo = Math.max(2, Math.floor(0.75 * width));
  const hi = Math.min(n - 1, Math.ceil(1.6 * width));
  let best = -Infinity;
  let pitch = 1.15 * width;
  for (let lag = lo; lag <= hi; lag++) {
    let sum = 0;
    for (let y = 0; y + lag < n; y++) sum += ((profile[y] ?? 0) - mean) * ((profile[y + lag] ?? 0) - mean);
    const score = sum / (n - lag);
    if (score > best) {
      best = score;
      pitch = lag;
    }
  }
  return pitch;
}
