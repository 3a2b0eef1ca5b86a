import type { Logger } from 'pino';

/**
 * The job queue as the pipeline sees it, whatever runs it: BullMQ on Redis (any number of
 * worker processes on any number of machines) or the in-process runner over the product's
 * database (the embedded default).
 *
 * The port is generic over a payload map `M` (job name → payload type) and knows no job
 * names itself. Payloads travel as JSON: plain objects of strings, numbers, booleans,
 * arrays and nested objects only (no Dates, Buffers, class instances or `undefined`).
 *
 * Delivery is at least once: a handler may run again after a crash, a lost lease or a
 * stop, so handlers must be idempotent (design §4).
 */

/** What a handler gets besides its payload. */
export interface JobContext {
  /** The queue's id for this job (the `jobId` given to `add`, or a generated UUID). */
  jobId: string;
  name: string;
  /**
   * 1-based: 1 on the first run, 2 on the first retry… A run handed back by a graceful stop
   * does not count. A run cut short by a dead worker counts in the in-process runner (so a job
   * that kills its process every time ends up failed); BullMQ does not count it but fails a job
   * taken back from dead workers more than `maxStalledCount` times.
   */
  attempt: number;
  /**
   * Aborted when the worker stops and this job's time is up (the job is handed back and runs
   * again later) or when the queue lost the job's lease. Pass it to long operations; a handler
   * that notices it should throw promptly.
   */
  signal: AbortSignal;
  /** A child logger carrying the job id, name and attempt. */
  logger: Logger;
}

/**
 * Does one job. Resolves when done; throws to fail this attempt: an `AppError` with
 * `retryable === false` (e.g. `InvalidInputError`) fails the job at once, anything else is
 * retried with exponential backoff until the attempts run out. The error's message becomes
 * the failure reason an operator reads, so make it say what to do. Never catch errors just to
 * log them: rethrow.
 */
export type JobHandler<P> = (payload: P, context: JobContext) => Promise<void>;

/** One handler per job name. Build it as a literal `satisfies JobHandlers<Jobs>`. */
export type JobHandlers<M> = { [K in keyof M]: JobHandler<M[K]> };

/** A payload map: every job name maps to an object payload. */
export type JobPayloads<M> = { [K in keyof M]: object };

/** Job states as the dashboards count them. */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'waiting-children', 'failed', 'completed'] as const;
export type JobState = (typeof JOB_STATES)[number];
/**
 * `waiting`: ready to run; `delayed`: waiting for its retry backoff or requested delay;
 * `waiting-children`: a flow parent whose children are not all finished; `completed` counts
 * only the completed jobs still kept (they are pruned after a while).
 */
export type JobCounts = Record<JobState, number>;

export interface AddJobOptions {
  /**
   * Deduplication key and the job's id. While a job with this id is waiting, delayed, active
   * or waiting for children, adding it again is a no-op (`add` resolves `false`); once it has
   * completed or failed, adding it again replaces it and runs it anew (re-running one page).
   * 1–200 characters: letters, digits, `.`, `_`, `-`, `/`; not all digits. See `checkJobId`.
   */
  jobId?: string;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
}

export interface FlowJob<N extends string, P> {
  name: N;
  payload: P;
  /** As `AddJobOptions.jobId`. */
  jobId?: string;
}

export interface FailedJob {
  id: string;
  name: string;
  payload: unknown;
  /** The last error's message. */
  reason: string;
  /** Attempts made, the failed one included. */
  attempts: number;
  failedAt: Date;
}

export interface StartWorkerOptions {
  /** At most this many handlers run at once in this worker. */
  concurrency: number;
}

export interface JobQueue<M extends JobPayloads<M>> {
  readonly adapter: 'bullmq' | 'in-process';
  /** Where the jobs live, for logs and /health: never contains a password. */
  describe(): string;
  /** Round trip to the backend; throws `UpstreamError` when it does not answer. */
  ping(): Promise<void>;

  /**
   * Adds one job. Resolves `true` when it was queued, `false` when a job with the same `jobId`
   * is still waiting, delayed, active or waiting for children (nothing changes). Throws
   * `InvalidInputError` for a malformed `jobId` or `delayMs`.
   */
  add<K extends keyof M & string>(name: K, payload: M[K], options?: AddJobOptions): Promise<boolean>;

  /**
   * Adds a parent job that runs exactly once, after every child has finished — completed, or
   * failed for good (its retries used up or not retryable). Children run as ordinary jobs
   * (retries, backoff). Resolves `false` (adding nothing) when the parent's `jobId` is still
   * pending; throws `ConflictError` (adding nothing) when a child's `jobId` is. A finished
   * parent or child with the same id is replaced. With no children the parent runs at once.
   */
  addFlow<P extends keyof M & string, C extends keyof M & string>(
    parent: FlowJob<P, M[P]>,
    children: FlowJob<C, M[C]>[],
  ): Promise<boolean>;

  /**
   * Starts consuming jobs with these handlers. Throws `ConfigurationError` at once if a job
   * name the queue was opened with (`jobNames`) has no handler or a handler is not a function,
   * and `ConflictError` if a worker is already running on this queue object. A job whose name
   * has no handler in this worker fails without retry, its reason naming the job.
   */
  startWorker(handlers: JobHandlers<M>, options: StartWorkerOptions): Promise<void>;

  /**
   * Graceful stop: takes no more jobs, waits up to `timeoutMs` for the running ones to
   * finish, then aborts the rest (their `signal`) and hands them back to the queue, to be run
   * again by any worker without using up an attempt. Resolves once no handler of this worker
   * counts as running. A no-op when no worker runs.
   */
  stopWorker(timeoutMs: number): Promise<void>;

  counts(): Promise<JobCounts>;

  /** Failed jobs, most recently failed first. `limit` 1–1000 (default 50), `offset` ≥ 0. */
  failedJobs(page?: { limit?: number; offset?: number }): Promise<FailedJob[]>;

  /**
   * Runs a failed job again with a fresh set of attempts. Throws `NotFoundError` when there is
   * no such job, `ConflictError` when it is not failed.
   */
  retryFailed(jobId: string): Promise<void>;

  /**
   * Stops the worker if one runs (graceful, with the queue's `stopTimeoutMs`) and releases the
   * queue's connections. Idempotent. Does not close the database it was given.
   */
  close(): Promise<void>;
}
