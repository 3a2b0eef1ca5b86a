/** A skew estimate against the angle the page is known to have, both in degrees. */
export interface AngleSample {
  expected: number;
  estimated: number;
}

export interface AngleErrorSummary {
  samples: number;
  /** Absolute errors in degrees; 0 for an empty set. */
  mean: number;
  median: number;
  max: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Mean, median and largest absolute error of skew estimates (both angles in one sign convention). */
export function summariseAngleErrors(samples: readonly AngleSample[]): AngleErrorSummary {
  const errors = samples.map((sample) => Math.abs(sample.estimated - sample.expected));
  return {
    samples: errors.length,
    mean: errors.length === 0 ? 0 : errors.reduce((sum, error) => sum + error, 0) / errors.length,
    median: median(errors),
    max: errors.length === 0 ? 0 : Math.max(...errors),
  };
}
