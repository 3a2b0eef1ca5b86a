import type { Logger } from 'pino';
import type { Database } from '../../repository/index.ts';
import { ConflictError, InvalidInputError, UpstreamError } from '../../storage/index.ts';
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
import { JobStore, type ClaimedJob, type NewStoredJob } from './job.store.ts';

export interface InProcessJobQueueOptions {
  /** The product's database, migrated (table `jobs`). The queue never closes it. */
  database: Database;
  /** Jobs of other queue names in the same table are not touched. Default `pipeline`. */
  queueName?: string;
  /** Runs per job before it fails for good (default 3). */
  attempts?: number;
  /** Base of the exponential backoff between runs (default 2 s: 2 s, 4 s, 8 s…). */
  backoffMs?: number;
  /** Base of the backoff after an `UpstreamError` (a service down; default 15 s: 15 s, 30 s…). */
  outageBackoffMs?: number;
  /** How long a claimed job stays claimed without renewal (default 30 s; renewed every third). */
  leaseMs?: number;
  /** How often an idle worker looks for due jobs (default 250 ms; adds in this process wake it at once). */
  pollIntervalMs?: number;
  /** How often a worker takes back jobs with expired leases and prunes old completed jobs (default 5 s). */
  sweepIntervalMs?: number;
  /** Completed jobs are deleted this long after they finished (default 24 h). */
  keepCompletedMs?: number;
  /** What `close()` gives running jobs before handing them back (default 10 s). */
  stopTimeoutMs?: number;
  /** After aborting running jobs, how long `stopWorker` waits for their handlers (default 5 s). */
  abortGraceMs?: number;
  /** Every job name of the payload map: `startWorker` refuses handlers missing one. */
  jobNames?: readonly string[];
  logger: Logger;
}

const CRASH_REASON =
  'The worker running this job stopped before it finished (process killed, crashed or hung: its lease expired)';

interface RunningJob {
  job: ClaimedJob;
  controller: AbortController;
  /** The worker is stopping and aborted this run: a failure hands the job back. */
  stopRequested: boolean;
  /** The job was taken from this run (handed back by the stop, or lease lost): its outcome is ignored. */
  released: boolean;
  renewing: boolean;
  done: Promise<void>;
}

interface WorkerState {
  handlers: ReadonlyMap<string, JobHandler<unknown>>;
  concurrency: number;
  running: Map<string, RunningJob>;
  stopping: boolean;
  loop: Promise<void>;
  sweeper: NodeJS.Timeout;
  stopped?: Promise<void>;
  wake(): void;
  idle(ms: number): Promise<void>;
}

/**
 * The embedded default: jobs persisted in the product's database (PGlite or PostgreSQL) and
 * run by a worker inside this process. Survives restarts: jobs added before a crash or stop
 * are still there, and runs cut short by a dead process are taken back when their lease
 * expires. Several processes on one PostgreSQL server may share a queue (claims skip rows
 * locked by others).
 *
 * Crash recovery: a claimed job carries a lease (`lease_until`) that its run renews every
 * third of `leaseMs`. A worker takes back expired leases at start and every `sweepIntervalMs`:
 * the job waits again, or fails when that run was its last attempt (a job that kills its
 * process every time must not loop for ever). Every outcome is written only if the run still
 * holds its lease token, so a late run of a job already taken back changes nothing.
 */
export class InProcessJobQueue<M extends JobPayloads<M>> implements JobQueue<M> {
  readonly adapter = 'in-process' as const;
  readonly #database: Database;
  readonly #store: JobStore;
  readonly #queueName: string;
  readonly #attempts: number;
  readonly #backoffMs: number;
  readonly #outageBackoffMs: number;
  readonly #leaseMs: number;
  readonly #pollIntervalMs: number;
  readonly #sweepIntervalMs: number;
  readonly #keepCompletedMs: number;
  readonly #stopTimeoutMs: number;
  readonly #abortGraceMs: number;
  readonly #jobNames: readonly string[] | undefined;
  readonly #logger: Logger;
  #worker: WorkerState | undefined;
  #closed: Promise<void> | undefined;

  constructor(options: InProcessJobQueueOptions) {
    this.#database = options.database;
    this.#queueName = options.queueName ?? QUEUE_DEFAULTS.queueName;
    this.#store = new JobStore(options.database, this.#queueName);
    this.#attempts = checkPositiveInt(options.attempts ?? QUEUE_DEFAULTS.attempts, 'attempts');
    this.#backoffMs = checkPositiveInt(options.backoffMs ?? QUEUE_DEFAULTS.backoffMs, 'backoffMs');
    this.#outageBackoffMs = checkPositiveInt(options.outageBackoffMs ?? QUEUE_DEFAULTS.outageBackoffMs, 'outageBackoffMs');
    this.#leaseMs = checkPositiveInt(options.leaseMs ?? QUEUE_DEFAULTS.leaseMs, 'leaseMs');
    this.#pollIntervalMs = checkPositiveInt(options.pollIntervalMs ?? 250, 'pollIntervalMs');
    this.#sweepIntervalMs = checkPositiveInt(options.sweepIntervalMs ?? 5_000, 'sweepIntervalMs');
    this.#keepCompletedMs = checkPositiveInt(options.keepCompletedMs ?? 24 * 3_600_000, 'keepCompletedMs');
    this.#stopTimeoutMs = options.stopTimeoutMs ?? QUEUE_DEFAULTS.stopTimeoutMs;
    this.#abortGraceMs = options.abortGraceMs ?? QUEUE_DEFAULTS.abortGraceMs;
    this.#jobNames = options.jobNames;
    this.#logger = options.logger.child({ component: 'job-queue', adapter: 'in-process', queue: this.#queueName });
  }

  describe(): string {
    return `jobs run inside this process, kept in ${this.#database.describe()} (queue ${this.#queueName})`;
  }

  async ping(): Promise<void> {
    this.#checkOpen();
    await this.#database.ping();
  }

  async add<K extends keyof M & string>(name: K, payload: M[K], options: AddJobOptions = {}): Promise<boolean> {
    this.#checkOpen();
    const added = await this.#store.add(this.#newJob(name, payload, options));
    if (added !== undefined) this.#worker?.wake();
    return added !== undefined;
  }

  async addFlow<P extends keyof M & string, C extends keyof M & string>(
    parent: FlowJob<P, M[P]>,
    children: FlowJob<C, M[C]>[],
  ): Promise<boolean> {
    this.#checkOpen();
    const added = await this.#store.addFlow(
      this.#newJob(parent.name, parent.payload, { jobId: parent.jobId }),
      children.map((child) => this.#newJob(child.name, child.payload, { jobId: child.jobId })),
    );
    if (added !== undefined) this.#worker?.wake();
    return added !== undefined;
  }

  async startWorker(handlers: JobHandlers<M>, options: StartWorkerOptions): Promise<void> {
    this.#checkOpen();
    if (this.#worker !== undefined) throw new ConflictError(`A worker already runs on queue ${this.#queueName}: stop it first`);
    const checked = checkHandlers(handlers as Record<string, unknown>, this.#jobNames);
    const concurrency = checkPositiveInt(options.concurrency, 'concurrency');
    await this.#sweep();

    let pendingWake = false;
    let wakeUp: (() => void) | undefined;
    const worker: WorkerState = {
      handlers: checked,
      concurrency,
      running: new Map(),
      stopping: false,
      loop: Promise.resolve(),
      sweeper: setInterval(() => void this.#sweep().catch((error: unknown) => this.#logSweepError(error)), this.#sweepIntervalMs),
      wake() {
        pendingWake = true;
        wakeUp?.();
      },
      idle(ms) {
        if (pendingWake) {
          pendingWake = false;
          return Promise.resolve();
        }
        return new Promise((resolve) => {
          const done = () => {
            clearTimeout(timer);
            wakeUp = undefined;
            pendingWake = false;
            resolve();
          };
          const timer = setTimeout(done, ms);
          wakeUp = done;
        });
      },
    };
    this.#worker = worker;
    worker.loop = this.#loop(worker);
    this.#logger.info({ concurrency }, 'worker started');
  }

  stopWorker(timeoutMs: number): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return Promise.resolve();
    worker.stopped ??= this.#stop(worker, timeoutMs);
    return worker.stopped;
  }

  async counts(): Promise<JobCounts> {
    this.#checkOpen();
    return this.#store.counts();
  }

  async failedJobs(page?: { limit?: number; offset?: number }): Promise<FailedJob[]> {
    this.#checkOpen();
    const { limit, offset } = checkPage(page);
    return this.#store.failedJobs(limit, offset);
  }

  async retryFailed(jobId: string): Promise<void> {
    this.#checkOpen();
    await this.#store.retryFailed(jobId);
    this.#worker?.wake();
  }

  close(): Promise<void> {
    this.#closed ??= this.stopWorker(this.#stopTimeoutMs);
    return this.#closed;
  }

  #checkOpen(): void {
    if (this.#closed !== undefined) throw new UpstreamError(`The job queue ${this.#queueName} has been closed`);
  }

  #newJob(name: string, payload: object, options: AddJobOptions): NewStoredJob {
    checkJobName(name);
    checkPayload(name, payload);
    return {
      ...(options.jobId === undefined ? {} : { id: checkJobId(options.jobId) }),
      name,
      payload,
      maxAttempts: this.#attempts,
      delayMs: checkDelay(options.delayMs),
    };
  }

  /** Claims due jobs while a slot is free; sleeps until woken or the poll interval passes. */
  async #loop(worker: WorkerState): Promise<void> {
    let failures = 0;
    while (!worker.stopping) {
      if (worker.running.size >= worker.concurrency) {
        await worker.idle(this.#pollIntervalMs);
        continue;
      }
      let job: ClaimedJob | undefined;
      try {
        job = await this.#store.claim(this.#leaseMs);
        failures = 0;
      } catch (error) {
        failures += 1;
        if (failures === 1 || failures % 20 === 0) {
          this.#logger.error({ err: error, failures }, 'cannot claim jobs from the database; retrying');
        }
        await worker.idle(Math.min(this.#pollIntervalMs * 2 ** Math.min(failures, 5), 10_000));
        continue;
      }
      if (job === undefined) {
        await worker.idle(this.#pollIntervalMs);
      } else if (worker.stopping) {
        await this.#store.handBack(job).catch((error: unknown) => this.#logger.warn({ err: error, jobId: job.id }, 'could not hand a job back'));
      } else {
        this.#start(worker, job);
      }
    }
  }

  #start(worker: WorkerState, job: ClaimedJob): void {
    const entry: RunningJob = {
      job,
      controller: new AbortController(),
      stopRequested: false,
      released: false,
      renewing: false,
      done: Promise.resolve(),
    };
    worker.running.set(job.id, entry);
    entry.done = this.#execute(worker, entry).finally(() => {
      worker.running.delete(job.id);
      worker.wake();
    });
  }

  async #execute(worker: WorkerState, entry: RunningJob): Promise<void> {
    const { job, controller } = entry;
    const logger = this.#logger.child({ jobId: job.id, job: job.name, attempt: job.attempts });
    const renewal = setInterval(() => void this.#renew(entry, logger), Math.max(1, Math.floor(this.#leaseMs / 3)));
    let failure: { error: unknown } | undefined;
    try {
      const handler = worker.handlers.get(job.name);
      if (handler === undefined) throw new InvalidInputError(noHandlerMessage(job.name));
      await handler(job.payload, { jobId: job.id, name: job.name, attempt: job.attempts, signal: controller.signal, logger });
    } catch (error) {
      failure = { error };
    } finally {
      clearInterval(renewal);
    }
    if (entry.released) return;
    try {
      await this.#record(entry, failure, logger);
    } catch (error) {
      logger.error({ err: error }, 'could not record the outcome of a job: it will run again once its lease expires');
    }
  }

  async #record(entry: RunningJob, failure: { error: unknown } | undefined, logger: Logger): Promise<void> {
    const { job } = entry;
    let owned: boolean;
    if (failure === undefined) {
      owned = await this.#store.complete(job);
      if (owned) logger.debug('job completed');
    } else if (entry.stopRequested) {
      owned = await this.#store.handBack(job);
      if (owned) logger.info('job handed back: the worker is stopping');
    } else {
      const reason = failureReason(failure.error);
      if (isRetryable(failure.error) && job.attempts < job.maxAttempts) {
        const delayMs = retryDelay(failure.error, job.attempts, { backoffMs: this.#backoffMs, outageBackoffMs: this.#outageBackoffMs });
        owned = await this.#store.retryLater(job, reason, delayMs);
        if (owned) logger.warn({ err: failure.error, retryInMs: delayMs }, `job failed, will retry: ${reason}`);
      } else {
        owned = await this.#store.fail(job, reason);
        if (owned) logger.error({ err: failure.error }, `job failed for good: ${reason}`);
      }
    }
    if (!owned) logger.warn('the job was taken back from this run (lease expired): its outcome is ignored');
  }

  async #renew(entry: RunningJob, logger: Logger): Promise<void> {
    if (entry.renewing || entry.released) return;
    entry.renewing = true;
    try {
      if (!(await this.#store.renewLease(entry.job, this.#leaseMs)) && !entry.released) {
        entry.released = true;
        entry.controller.abort(new LeaseLostError(entry.job.id));
        logger.warn('job lease lost: another run owns the job now; aborting this one');
      }
    } catch (error) {
      logger.warn({ err: error }, 'could not renew a job lease; will try again');
    } finally {
      entry.renewing = false;
    }
  }

  async #sweep(): Promise<void> {
    const { requeued, failed } = await this.#store.reclaimExpired(CRASH_REASON);
    if (requeued.length > 0 || failed.length > 0) {
      this.#logger.warn({ requeued, failed }, 'took back jobs whose worker stopped before finishing them');
      this.#worker?.wake();
    }
    await this.#store.pruneCompleted(this.#keepCompletedMs);
  }

  #logSweepError(error: unknown): void {
    this.#logger.error({ err: error }, 'cannot take back expired jobs or prune completed ones; will try again');
  }

  async #stop(worker: WorkerState, timeoutMs: number): Promise<void> {
    worker.stopping = true;
    clearInterval(worker.sweeper);
    worker.wake();
    await worker.loop;
    const allDone = () => Promise.all([...worker.running.values()].map((entry) => entry.done));
    if (!(await settlesWithin(allDone(), Math.max(0, timeoutMs)))) {
      const entries = [...worker.running.values()];
      this.#logger.info({ jobs: entries.map((entry) => entry.job.id) }, 'stop timeout reached: aborting running jobs and handing them back');
      for (const entry of entries) {
        entry.stopRequested = true;
        entry.controller.abort(new WorkerStoppingError());
      }
      if (!(await settlesWithin(allDone(), this.#abortGraceMs))) {
        for (const entry of worker.running.values()) {
          entry.released = true;
          const handedBack = await this.#store.handBack(entry.job).catch((error: unknown) => {
            this.#logger.error({ err: error, jobId: entry.job.id }, 'could not hand a job back: it will run again once its lease expires');
            return false;
          });
          if (handedBack) this.#logger.warn({ jobId: entry.job.id }, 'handler ignored the abort: job handed back while it still runs');
        }
      }
    }
    if (this.#worker === worker) this.#worker = undefined;
    this.#logger.info('worker stopped');
  }
}
