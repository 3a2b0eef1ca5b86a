import { ConfigurationError, InvalidInputError, isAppError } from '../../storage/index.ts';
import type { JobHandler } from './job-queue.port.ts';

/**
 * Rules both adapters apply the same way, so that the contract suite sees one behaviour:
 * job id and delay validation, which errors are retried, the failure reason, backoff,
 * handler checks, paging.
 */

/** Defaults of the options every adapter shares. */
export const QUEUE_DEFAULTS = Object.freeze({
  queueName: 'pipeline',
  attempts: 3,
  backoffMs: 2_000,
  /**
   * Base of the backoff after a failure of a service the job needs (object store, database,
   * Redis): 15 s, then 30 s, so that three attempts span a restart of that service.
   */
  outageBackoffMs: 15_000,
  /** How long a running job stays claimed without renewal (BullMQ lock, in-process lease). */
  leaseMs: 30_000,
  /** `close()` gives running jobs this long before handing them back. */
  stopTimeoutMs: 10_000,
  /** After the abort, how long `stopWorker` waits for handlers to notice it. */
  abortGraceMs: 5_000,
});

const JOB_ID = /^[A-Za-z0-9._/-]{1,200}$/;

/**
 * Accepts ids made of letters, digits, `.`, `_`, `-`, `/` (1–200 characters), not all digits
 * (BullMQ numbers the jobs it names itself and refuses `:` in ids). Throws `InvalidInputError`.
 */
export function checkJobId(jobId: string): string {
  if (typeof jobId !== 'string' || !JOB_ID.test(jobId) || /^\d+$/.test(jobId)) {
    throw new InvalidInputError(
      `Job id '${String(jobId)}' is not allowed: use 1–200 letters, digits, '.', '_', '-' or '/', not only digits (e.g. 'page-42/ocr')`,
    );
  }
  return jobId;
}

/** A whole number of milliseconds ≥ 0; throws `InvalidInputError`. */
export function checkDelay(delayMs: number | undefined): number {
  if (delayMs === undefined) return 0;
  if (!Number.isInteger(delayMs) || delayMs < 0) {
    throw new InvalidInputError(`Job delay must be a whole number of milliseconds ≥ 0, got ${String(delayMs)}`);
  }
  return delayMs;
}

/** Checks a job name the way BullMQ stores it (any non-empty text). */
export function checkJobName(name: string): string {
  if (typeof name !== 'string' || name.trim() === '') throw new InvalidInputError('Job name must not be empty');
  return name;
}

/** Checks the payload is a JSON object (what both backends store). */
export function checkPayload(name: string, payload: unknown): void {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new InvalidInputError(`The payload of job '${name}' must be a plain object`);
  }
}

/** Positive whole numbers for options; throws `ConfigurationError` naming the option. */
export function checkPositiveInt(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ConfigurationError(`Job queue option ${what} must be a whole number ≥ 1, got ${String(value)}`);
  }
  return value;
}

/**
 * The handler for each job name, checked once at start-up: every name in `jobNames` has one
 * and every entry is a function. Throws `ConfigurationError` listing the offenders.
 */
export function checkHandlers(
  handlers: Readonly<Record<string, unknown>>,
  jobNames: readonly string[] | undefined,
): ReadonlyMap<string, JobHandler<unknown>> {
  const missing = (jobNames ?? []).filter((name) => typeof handlers[name] !== 'function');
  const notFunctions = Object.entries(handlers)
    .filter(([, handler]) => typeof handler !== 'function')
    .map(([name]) => name);
  const wrong = [...new Set([...missing, ...notFunctions])];
  if (wrong.length > 0) {
    throw new ConfigurationError(`No handler for job ${wrong.map((name) => `'${name}'`).join(', ')}: every job name needs a handler function`);
  }
  return new Map(Object.entries(handlers) as [string, JobHandler<unknown>][]);
}

/** The message an operator reads for a job with no handler in the worker that took it. */
export function noHandlerMessage(name: string): string {
  return `No handler for job '${name}' in this worker: run the same version of the product on every worker`;
}

/** True when trying again can help: everything but an `AppError` marked not retryable. */
export function isRetryable(error: unknown): boolean {
  return !(isAppError(error) && !error.retryable);
}

/** The failure reason kept with a job: the error's message (never empty). */
export function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim() === '' ? (error instanceof Error ? error.name : 'Unknown error') : message;
}

/** Exponential backoff: after the n-th failed attempt (1-based) wait `base · 2^(n−1)` ms. */
export function backoffDelay(baseMs: number, failedAttempts: number): number {
  return baseMs * 2 ** Math.max(0, failedAttempts - 1);
}

/**
 * The wait before the next run after the n-th failed attempt (1-based): exponential from
 * `backoffMs`, or from `outageBackoffMs` when a service the job needs failed (`UpstreamError`:
 * the object store, database or Redis down or restarting). Seconds of backoff would use up
 * every attempt of every running job within one restart of the store, failing their pages.
 */
export function retryDelay(error: unknown, failedAttempts: number, delays: { backoffMs: number; outageBackoffMs: number }): number {
  const delay = backoffDelay(delays.backoffMs, failedAttempts);
  if (!(isAppError(error) && error.code === 'UPSTREAM')) return delay;
  return Math.max(delay, backoffDelay(delays.outageBackoffMs, failedAttempts));
}

/** Validates a page of `failedJobs`. */
export function checkPage(page: { limit?: number; offset?: number } = {}): { limit: number; offset: number } {
  const limit = page.limit ?? 50;
  const offset = page.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new InvalidInputError(`limit must be a whole number from 1 to 1000, got ${String(limit)}`);
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw new InvalidInputError(`offset must be a whole number ≥ 0, got ${String(offset)}`);
  }
  return { limit, offset };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Resolves `true` if `promise` settles within `ms`, `false` otherwise (it keeps running). */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const, () => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The reason a worker aborts a job's signal when it stops and the job's time is up. */
export class WorkerStoppingError extends Error {
  constructor() {
    super('The worker is stopping: this job is handed back and will run again');
    this.name = 'WorkerStoppingError';
  }
}

/** The reason a job's signal aborts when the queue gave its lease to another run. */
export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`Job ${jobId} lost its lease (the worker was too slow to renew it): another run owns it now`);
    this.name = 'LeaseLostError';
  }
}
