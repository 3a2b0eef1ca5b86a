/** How hard to try a call to a backend: `attempts` in all, with exponential backoff between them. */
export interface RetryPolicy {
  /** Attempts in all, the first included (at least 1). */
  attempts: number;
  /** Delay before the second attempt; it doubles after each failure. */
  baseDelayMs: number;
  /** Upper bound for one delay. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  attempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 3000,
});

/**
 * Runs `attempt` until it succeeds, the error is not transient, or the attempts run out;
 * then rethrows the last error. Delays are `baseDelayMs * 2^(n-1)`, capped, with jitter
 * (between half and the full delay) so that many workers do not retry in step.
 */
export async function withRetry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  isTransient: (error: unknown) => boolean,
  policy: RetryPolicy,
  onRetry?: (error: unknown, attemptNumber: number, delayMs: number) => void,
): Promise<T> {
  for (let n = 1; ; n += 1) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= policy.attempts || !isTransient(error)) throw error;
      const full = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
      const delayMs = Math.round(full / 2 + (Math.random() * full) / 2);
      onRetry?.(error, n, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
