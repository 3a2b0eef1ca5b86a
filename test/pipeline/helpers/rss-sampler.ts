/**
 * Samples this process's resident set size every `intervalMs` (libvips works on libuv
 * threads, so the event loop keeps ticking while sharp runs). A memory bound, not a timer.
 */
export interface RssSampler {
  /** Largest growth over the baseline seen so far, in bytes. */
  peakGrowth(): number;
  /** Stops sampling; returns the baseline, the peak and the peak growth in bytes. */
  stop(): { baseline: number; peak: number; growth: number; samples: number };
}

export function sampleRss(intervalMs = 50): RssSampler {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  let samples = 0;
  const sample = (): void => {
    samples += 1;
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, intervalMs);
  return {
    peakGrowth: () => {
      sample();
      return peak - baseline;
    },
    stop: () => {
      clearInterval(timer);
      sample();
      return { baseline, peak, growth: peak - baseline, samples };
    },
  };
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}
