import { randomUUID } from 'node:crypto';
import { FlowProducer, Queue, UnrecoverableError, WaitingError, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppError, ConflictError, NotFoundError, UpstreamError } from '../../storage/index.ts';
import type {
  AddJobOptions,
  FailedJob,
  FlowJob,
  JobCounts,
  JobHandler,
  JobHandlers,
  JobPayloads,
  JobQueue,
  StartWorkerOptions,
} from './job-queue.port.ts';
import {
  checkDelay,
  checkHandlers,
  checkJobId,
  checkJobName,
  checkPage,
  checkPayload,
  checkPositiveInt,
  failureReason,
  isRetryable,
  LeaseLostError,
  noHandlerMessage,
  QUEUE_DEFAULTS,
  retryDelay,
  settlesWithin,
  WorkerStoppingError,
} from './job-rules.ts';

export interface BullmqJobQueueOptions {
  /** `REDIS_URL`, e.g. `redis://:password@redis.local:6379/0`. */
  redisUrl: string;
  /** Prefix of every Redis key (default `thuvien`); tests use a unique one. */
  prefix?: string;
  /** Default `pipeline`; must not contain `:`. */
  queueName?: string;
  /** Runs per job before it fails for good (default 3). */
  attempts?: number;
  /** Base of the exponential backoff between runs (default 2 s: 2 s, 4 s, 8 s…). */
  backoffMs?: number;
  /** Base of the backoff after an `UpstreamError` (a service down; default 15 s: 15 s, 30 s…). */
  outageBackoffMs?: number;
  /** BullMQ `lockDuration`: a running job's lock, renewed every half (default 30 s). */
  leaseMs?: number;
  /**
   * How often a worker looks for jobs whose lock expired (default 30 s). Use one value for
   * every worker of a queue: a check by any worker holds off the others for its interval.
   */
  stalledIntervalMs?: number;
  /** Times a job may be taken back from a dead worker before it fails (default 1, BullMQ's). */
  maxStalledCount?: number;
  /** Completed jobs kept for dashboards: at most this many (default 1000) … */
  keepCompletedCount?: number;
  /** … and at most this old (default 24 h). */
  keepCompletedMs?: number;
  /** Failed jobs kept for operators (default 10 000). */
  keepFailedCount?: number;
  /** What `close()` gives running jobs before handing them back (default 10 s). */
  stopTimeoutMs?: number;
  /** After aborting running jobs, how long `stopWorker` waits for their handlers (default 5 s). */
  abortGraceMs?: number;
  /** Every job name of the payload map: `startWorker` refuses handlers missing one. */
  jobNames?: readonly string[];
  logger: Logger;
}

/** The backoff type of our jobs: BullMQ asks the worker's `backoffStrategy` (see `retryDelay`). */
const RETRY_BACKOFF = 'by-error';

/** BullMQ states in which a job with the same id blocks a new one. */
const PENDING_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);
const FINISHED_STATES = new Set(['completed', 'failed']);

interface WorkerState {
  worker: Worker;
  /** Connection template the worker duplicates (BullMQ wants `maxRetriesPerRequest: null`). */
  connection: Redis;
  running: Map<string, { controller: AbortController; stopRequested: boolean }>;
  stopped?: Promise<void>;
}

/**
 * BullMQ on Redis: the production queue. Any number of worker processes on any number of
 * machines share one Redis; jobs carry BullMQ's retries (exponential backoff), and a failed
 * job keeps its reason.
 *
 * Crash recovery is BullMQ's: a running job holds a lock (`leaseMs`) that its worker renews;
 * when the worker dies the lock expires and the stalled-job checker of any live worker moves
 * the job back to waiting (at most `maxStalledCount` times, then it fails). Graceful stop:
 * `worker.close()` stops fetching and waits; at the deadline the handlers' signals are
 * aborted and each aborted job is moved back to waiting (`moveToWait` + `WaitingError`),
 * which uses up no attempt.
 *
 * Deduplication by `jobId` checks the job's state before adding, so two concurrent `add`s of
 * a new id may both report `true` (BullMQ still keeps one job).
 */
export class BullmqJobQueue<M extends JobPayloads<M>> implements JobQueue<M> {
  readonly adapter = 'bullmq' as const;
  readonly #redisUrl: string;
  readonly #location: string;
  readonly #prefix: string;
  readonly #queueName: string;
  readonly #client: Redis;
  readonly #queue: Queue;
  readonly #flows: FlowProducer;
  readonly #jobOptions: JobsOptions;
  readonly #delays: { backoffMs: number; outageBackoffMs: number };
  readonly #leaseMs: number;
  readonly #stalledIntervalMs: number;
  readonly #maxStalledCount: number;
  readonly #stopTimeoutMs: number;
  readonly #abortGraceMs: number;
  readonly #jobNames: readonly string[] | undefined;
  readonly #logger: Logger;
  #lastRedisError: Error | undefined;
  #worker: WorkerState | undefined;
  #closed: Promise<void> | undefined;

  constructor(options: BullmqJobQueueOptions) {
    this.#redisUrl = options.redisUrl;
    this.#location = describeRedis(options.redisUrl);
    this.#prefix = options.prefix ?? 'thuvien';
    this.#queueName = options.queueName ?? QUEUE_DEFAULTS.queueName;
    this.#leaseMs = checkPositiveInt(options.leaseMs ?? QUEUE_DEFAULTS.leaseMs, 'leaseMs');
    this.#stalledIntervalMs = checkPositiveInt(options.stalledIntervalMs ?? 30_000, 'stalledIntervalMs');
    this.#maxStalledCount = options.maxStalledCount ?? 1;
    this.#stopTimeoutMs = options.stopTimeoutMs ?? QUEUE_DEFAULTS.stopTimeoutMs;
    this.#abortGraceMs = options.abortGraceMs ?? QUEUE_DEFAULTS.abortGraceMs;
    this.#jobNames = options.jobNames;
    this.#logger = options.logger.child({ component: 'job-queue', adapter: 'bullmq', queue: this.#queueName });
    this.#delays = {
      backoffMs: checkPositiveInt(options.backoffMs ?? QUEUE_DEFAULTS.backoffMs, 'backoffMs'),
      outageBackoffMs: checkPositiveInt(options.outageBackoffMs ?? QUEUE_DEFAULTS.outageBackoffMs, 'outageBackoffMs'),
    };
    this.#jobOptions = {
      attempts: checkPositiveInt(options.attempts ?? QUEUE_DEFAULTS.attempts, 'attempts'),
      // Our own strategy (the worker's `backoffStrategy`): the delay depends on the error.
      backoff: { type: RETRY_BACKOFF, delay: this.#delays.backoffMs },
      // Completed jobs go after a while (dedup only needs pending ones); failed ones stay for operators.
      removeOnComplete: {
        count: options.keepCompletedCount ?? 1000,
        age: Math.ceil((options.keepCompletedMs ?? 24 * 3_600_000) / 1000),
      },
      removeOnFail: { count: options.keepFailedCount ?? 10_000 },
    };

    // One connection for producing and reading (shared by Queue and FlowProducer, closed by
    // us). Commands fail fast while Redis is away instead of queueing up in memory.
    this.#client = new Redis(options.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    this.#client.on('error', (error: Error) => {
      this.#lastRedisError = error;
    });
    this.#client.on('ready', () => {
      this.#lastRedisError = undefined;
    });
    this.#queue = new Queue(this.#queueName, {
      connection: this.#client,
      prefix: this.#prefix,
      defaultJobOptions: this.#jobOptions,
    });
    this.#flows = new FlowProducer({ connection: this.#client, prefix: this.#prefix });
    const logError = throttledErrorLog(this.#logger);
    this.#queue.on('error', logError);
    this.#flows.on('error', logError);
  }

  describe(): string {
    return `${this.#location}, queue ${this.#prefix}:${this.#queueName}`;
  }

  async ping(): Promise<void> {
    try {
      await this.#connected(5_000);
      await this.#client.ping();
    } catch (error) {
      const reason = (this.#lastRedisError ?? (error as Error)).message;
      throw new UpstreamError(`${capitalise(this.#location)} did not answer (${reason}): check that it is running and reachable`, {
        cause: error,
      });
    }
  }

  async add<K extends keyof M & string>(name: K, payload: M[K], options: AddJobOptions = {}): Promise<boolean> {
    this.#checkOpen();
    checkJobName(name);
    checkPayload(name, payload);
    const delay = checkDelay(options.delayMs);
    const jobId = options.jobId === undefined ? randomUUID() : checkJobId(options.jobId);
    return this.#run(async () => {
      if (options.jobId !== undefined && !(await this.#makeRoomFor(jobId))) return false;
      await this.#queue.add(name, payload, { ...this.#jobOptions, jobId, ...(delay > 0 ? { delay } : {}) });
      return true;
    });
  }

  async addFlow<P extends keyof M & string, C extends keyof M & string>(
    parent: FlowJob<P, M[P]>,
    children: FlowJob<C, M[C]>[],
  ): Promise<boolean> {
    if (children.length === 0) return this.add(parent.name, parent.payload, { jobId: parent.jobId });
    this.#checkOpen();
    for (const job of [parent, ...children]) {
      checkJobName(job.name);
      checkPayload(job.name, job.payload);
      if (job.jobId !== undefined) checkJobId(job.jobId);
    }
    return this.#run(async () => {
      if (parent.jobId !== undefined && !(await this.#makeRoomFor(parent.jobId))) return false;
      for (const child of children) {
        if (child.jobId !== undefined && !(await this.#makeRoomFor(child.jobId))) {
          throw new ConflictError(
            `Job '${child.jobId}' is already waiting or running: it cannot also be a child of job '${parent.jobId ?? parent.name}'`,
          );
        }
      }
      await this.#flows.add({
        name: parent.name,
        queueName: this.#queueName,
        data: parent.payload,
        opts: { ...this.#jobOptions, jobId: parent.jobId ?? randomUUID() },
        children: children.map((child) => ({
          name: child.name,
          queueName: this.#queueName,
          data: child.payload,
          // A child that fails for good no longer holds its parent back.
          opts: { ...this.#jobOptions, jobId: child.jobId ?? randomUUID(), ignoreDependencyOnFailure: true },
        })),
      });
      return true;
    });
  }

  async startWorker(handlers: JobHandlers<M>, options: StartWorkerOptions): Promise<void> {
    this.#checkOpen();
    if (this.#worker !== undefined) throw new ConflictError(`A worker already runs on queue ${this.#queueName}: stop it first`);
    const checked = checkHandlers(handlers as Record<string, unknown>, this.#jobNames);
    const concurrency = checkPositiveInt(options.concurrency, 'concurrency');
    const running: WorkerState['running'] = new Map();
    const connection = new Redis(this.#redisUrl, { lazyConnect: true, maxRetriesPerRequest: null });
    const worker = new Worker(
      this.#queueName,
      // Three parameters: BullMQ passes its own signal only to processors that declare it.
      (job: Job, token: string | undefined, signal: AbortSignal | undefined) => this.#process(checked, running, job, token, signal),
      {
        connection,
        prefix: this.#prefix,
        concurrency,
        lockDuration: this.#leaseMs,
        stalledInterval: this.#stalledIntervalMs,
        maxStalledCount: this.#maxStalledCount,
        settings: { backoffStrategy: (failedAttempts, _type, error) => retryDelay(error, failedAttempts, this.#delays) },
        autorun: false,
      },
    );
    worker.on('error', throttledErrorLog(this.#logger));
    worker.on('stalled', (jobId) => this.#logger.warn({ jobId }, 'took back a job whose worker stopped before finishing it'));
    // BullMQ keeps running a job whose lock it could not renew (another worker may have it by
    // now): abort it, as the in-process runner does.
    worker.on('lockRenewalFailed', (jobIds) => {
      for (const jobId of jobIds) running.get(jobId)?.controller.abort(new LeaseLostError(jobId));
    });
    this.#worker = { worker, connection, running };
    try {
      await worker.waitUntilReady();
    } catch (error) {
      this.#worker = undefined;
      await worker.close(true).catch(() => undefined);
      connection.disconnect();
      throw this.#translate(error);
    }
    worker.run().catch((error: unknown) => this.#logger.error({ err: error }, 'worker stopped on an error'));
    this.#logger.info({ concurrency }, 'worker started');
  }

  stopWorker(timeoutMs: number): Promise<void> {
    const state = this.#worker;
    if (state === undefined) return Promise.resolve();
    state.stopped ??= this.#stop(state, timeoutMs);
    return state.stopped;
  }

  async counts(): Promise<JobCounts> {
    this.#checkOpen();
    return this.#run(async () => {
      const counts = await this.#queue.getJobCounts(
        'waiting',
        'prioritized',
        'active',
        'delayed',
        'waiting-children',
        'failed',
        'completed',
      );
      const count = (state: string) => counts[state] ?? 0;
      return {
        waiting: count('waiting') + count('prioritized'),
        active: count('active'),
        delayed: count('delayed'),
        'waiting-children': count('waiting-children'),
        failed: count('failed'),
        completed: count('completed'),
      };
    });
  }

  async failedJobs(page?: { limit?: number; offset?: number }): Promise<FailedJob[]> {
    this.#checkOpen();
    const { limit, offset } = checkPage(page);
    return this.#run(async () => {
      const jobs = await this.#queue.getFailed(offset, offset + limit - 1);
      return jobs
        .filter((job): job is Job & { id: string } => job?.id !== undefined)
        .map((job) => ({
          id: job.id,
          name: job.name,
          payload: job.data as unknown,
          reason: job.failedReason ?? '',
          attempts: job.attemptsMade,
          failedAt: new Date(job.finishedOn ?? job.timestamp),
        }));
    });
  }

  async retryFailed(jobId: string): Promise<void> {
    this.#checkOpen();
    await this.#run(async () => {
      const job = await this.#queue.getJob(jobId);
      if (job === undefined) throw new NotFoundError(`Job '${jobId}' not found: it may have been removed`);
      const state = await job.getState();
      if (state !== 'failed') throw new ConflictError(`Job '${jobId}' is ${state}, not failed: only failed jobs can be retried`);
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    });
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.stopWorker(this.#stopTimeoutMs);
      await this.#flows.close().catch((error: unknown) => this.#logger.warn({ err: error }, 'closing the flow producer failed'));
      await this.#queue.close().catch((error: unknown) => this.#logger.warn({ err: error }, 'closing the queue failed'));
      await closeClient(this.#client);
    })();
    return this.#closed;
  }

  /** The processor BullMQ calls: runs the handler; maps errors to BullMQ's retry rules. */
  async #process(
    handlers: ReadonlyMap<string, JobHandler<unknown>>,
    running: WorkerState['running'],
    job: Job,
    token: string | undefined,
    bullmqSignal: AbortSignal | undefined,
  ): Promise<void> {
    const jobId = job.id ?? '';
    const attempt = job.attemptsMade + 1;
    const logger = this.#logger.child({ jobId, job: job.name, attempt });
    const handler = handlers.get(job.name);
    if (handler === undefined) {
      logger.error(noHandlerMessage(job.name));
      throw new UnrecoverableError(noHandlerMessage(job.name));
    }
    const run = { controller: new AbortController(), stopRequested: false };
    running.set(jobId, run);
    const signal = bullmqSignal === undefined ? run.controller.signal : AbortSignal.any([run.controller.signal, bullmqSignal]);
    try {
      await handler(job.data, { jobId, name: job.name, attempt, signal, logger });
      logger.debug('job completed');
    } catch (error) {
      if (run.stopRequested) {
        // Graceful stop: back to waiting, no attempt used; WaitingError tells BullMQ we moved it.
        await job.moveToWait(token);
        logger.info('job handed back: the worker is stopping');
        throw new WaitingError();
      }
      const reason = failureReason(error);
      const attempts = job.opts.attempts ?? 1;
      if (!isRetryable(error)) {
        logger.error({ err: error }, `job failed for good (not retryable): ${reason}`);
        throw withCause(new UnrecoverableError(reason), error);
      }
      if (attempt >= attempts) logger.error({ err: error }, `job failed for good: ${reason}`);
      else logger.warn({ err: error }, `job failed, will retry: ${reason}`);
      throw error instanceof Error ? error : new Error(reason);
    } finally {
      running.delete(jobId);
    }
  }

  async #stop(state: WorkerState, timeoutMs: number): Promise<void> {
    const closing = state.worker.close();
    if (!(await settlesWithin(closing, Math.max(0, timeoutMs)))) {
      this.#logger.info({ jobs: [...state.running.keys()] }, 'stop timeout reached: aborting running jobs and handing them back');
      for (const run of state.running.values()) {
        run.stopRequested = true;
        run.controller.abort(new WorkerStoppingError());
      }
      if (!(await settlesWithin(closing, this.#abortGraceMs))) {
        this.#logger.warn(
          { jobs: [...state.running.keys()] },
          'handlers ignored the abort: their jobs go back to the queue when this process exits and their lock expires',
        );
        state.connection.disconnect();
        if (this.#worker === state) this.#worker = undefined;
        return;
      }
    }
    await closing.catch((error: unknown) => this.#logger.warn({ err: error }, 'closing the worker failed'));
    state.connection.disconnect();
    if (this.#worker === state) this.#worker = undefined;
    this.#logger.info('worker stopped');
  }

  /**
   * Prepares `jobId` for a new job: `false` when a job with that id is pending; a finished one
   * is removed so the new job can take its id.
   */
  async #makeRoomFor(jobId: string): Promise<boolean> {
    const state = await this.#queue.getJobState(jobId);
    if (PENDING_STATES.has(state)) return false;
    if (FINISHED_STATES.has(state)) {
      const removed = await this.#queue.remove(jobId, { removeChildren: false });
      if (removed !== 1) return false;
    }
    return true;
  }

  /** Resolves once the shared connection is ready; rejects with the next connection error. */
  #connected(timeoutMs: number): Promise<void> {
    const client = this.#client;
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'wait') return client.connect();
    if (client.status === 'end') return Promise.reject(new Error('Connection is closed'));
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        client.off('ready', onReady);
        client.off('error', onError);
        client.off('end', onEnd);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onReady = () => done();
      const onError = (error: Error) => done(error);
      const onEnd = () => done(new Error('Connection is closed'));
      const timer = setTimeout(() => done(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
      client.once('ready', onReady);
      client.once('error', onError);
      client.once('end', onEnd);
    });
  }

  #checkOpen(): void {
    if (this.#closed !== undefined) throw new UpstreamError(`The job queue ${this.#queueName} has been closed`);
  }

  async #run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw this.#translate(error);
    }
  }

  /** Redis and BullMQ errors become `UpstreamError`s naming the server; ours pass through. */
  #translate(error: unknown): AppError {
    if (error instanceof AppError) return error;
    const reason = failureReason(error);
    // While Redis is away commands fail at once ("Stream isn't writeable…"): name the real cause.
    if (this.#client.status !== 'ready') {
      const cause = this.#lastRedisError?.message ?? `connection ${this.#client.status}`;
      return new UpstreamError(`${capitalise(this.#location)} did not answer (${cause}): check that it is running and reachable, then try again`, {
        cause: error,
      });
    }
    return new UpstreamError(`Job queue on ${this.#location} failed: ${reason}`, { cause: error });
  }
}

/** `Redis at host:port` (never the password). */
function describeRedis(redisUrl: string): string {
  try {
    const url = new URL(redisUrl);
    const database = url.pathname.replace(/^\//, '');
    return `Redis at ${url.hostname}:${url.port || '6379'}${database === '' || database === '0' ? '' : ` (database ${database})`}`;
  } catch {
    return 'Redis (unparsable REDIS_URL)';
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function withCause<E extends Error>(error: E, cause: unknown): E {
  Object.defineProperty(error, 'cause', { value: cause, configurable: true, writable: true });
  return error;
}

/** Logs connection errors, once per distinct message per minute (ioredis repeats them on every retry). */
function throttledErrorLog(logger: Logger): (error: Error) => void {
  const lastLogged = new Map<string, number>();
  return (error: Error) => {
    const now = Date.now();
    const last = lastLogged.get(error.message);
    if (last !== undefined && now - last < 60_000) return;
    lastLogged.set(error.message, now);
    logger.warn({ err: error }, `job queue connection error: ${error.message}`);
  };
}

async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}
