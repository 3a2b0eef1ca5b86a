import { fileURLToPath } from 'node:url';
import type { Worker as ThreadWorker } from 'node:worker_threads';

import tesseract from 'tesseract.js';

import { InvalidInputError, UpstreamError } from '../../storage/index.ts';
import type { OcrLogger } from './ocr-logger.ts';

/** Options given to every tesseract.js worker: local data only, no cache, nothing fetched. */
export interface TesseractWorkerOptions {
  /** A local folder holding `{language}.traineddata.gz`. */
  langPath: string;
  cacheMethod: 'none';
  gzip: true;
}

export interface TesseractWorkerPoolOptions {
  /** Most workers alive at once, over all language combinations. */
  size: number;
  workerOptions: TesseractWorkerOptions;
  /** A worker that has not loaded its models by then is abandoned (UpstreamError). */
  startTimeoutMs: number;
  logger?: OcrLogger;
}

/** tesseract.js's worker script with a guard that ends the thread when start-up fails. */
const WORKER_SCRIPT = fileURLToPath(new URL('./tesseract-worker-thread.mjs', import.meta.url));

/** A started tesseract.js worker and the languages it holds. */
interface Slot {
  readonly languages: string;
  readonly worker: tesseract.Worker;
  /** Calls `onDeath` when the worker's thread dies (at once if it has); returns the function that stops watching. */
  readonly watchDeath: (onDeath: (error: UpstreamError) => void) => () => void;
}

interface Waiter {
  readonly languages: string;
  settled: boolean;
  resolve(slot: Slot): void;
  reject(error: unknown): void;
}

/**
 * A bounded pool of tesseract.js workers, each loaded with one language combination
 * (`vie`, `chi_tra_vert`, `vie+chi_tra`…). Workers start lazily, are reused for the same
 * combination, and at most `size` exist at once: when the pool is full, an idle worker of
 * another combination is stopped to make room, otherwise the job waits (first come, first
 * served). A worker whose job failed or was aborted is discarded rather than reused.
 */
export class TesseractWorkerPool {
  readonly #options: TesseractWorkerPoolOptions;
  readonly #idle: Slot[] = [];
  readonly #all = new Set<Slot>();
  readonly #waiters: Waiter[] = [];
  /** Workers alive or starting. */
  #count = 0;
  #closed = false;

  constructor(options: TesseractWorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new RangeError(`The OCR worker pool size must be a positive integer, got ${options.size}.`);
    }
    this.#options = options;
  }

  /**
   * Runs `task` on a worker loaded with `languages`, once one is free. The worker goes back to
   * the pool afterwards unless the task failed (other than with InvalidInputError) or was aborted.
   */
  async run<T>(languages: string, signal: AbortSignal | undefined, task: (worker: tesseract.Worker) => Promise<T>): Promise<T> {
    const slot = await this.#acquire(languages, signal);
    let reusable = false;
    try {
      const result = await raceAbort(untilDeath(slot, task(slot.worker)), signal);
      reusable = true;
      return result;
    } catch (error) {
      reusable = error instanceof InvalidInputError && !(signal?.aborted ?? false);
      throw error;
    } finally {
      this.#release(slot, reusable);
    }
  }

  /** Stops every worker; waiting jobs are rejected, running ones fail with UpstreamError. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) settle(waiter, undefined, closedError());
    this.#idle.splice(0);
    const slots = [...this.#all];
    this.#all.clear();
    this.#count = 0;
    await Promise.all(slots.map((slot) => this.#terminate(slot)));
  }

  #acquire(languages: string, signal: AbortSignal | undefined): Promise<Slot> {
    if (this.#closed) return Promise.reject(closedError());
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Slot>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        settle(waiter, undefined, signal?.reason);
      };
      const waiter: Waiter = {
        languages,
        settled: false,
        resolve: (slot) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(slot);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#dispatch();
    });
  }

  #release(slot: Slot, reusable: boolean): void {
    if (!this.#all.has(slot)) return; // closed meanwhile, already terminated
    if (reusable && !this.#closed) {
      this.#idle.push(slot);
    } else {
      this.#all.delete(slot);
      this.#count -= 1;
      void this.#terminate(slot);
    }
    this.#dispatch();
  }

  /** Serves waiters in order while a worker is idle or can be started. */
  #dispatch(): void {
    while (!this.#closed && this.#waiters.length > 0) {
      const waiter = this.#waiters[0]!;
      const idleIndex = this.#idle.findIndex((slot) => slot.languages === waiter.languages);
      if (idleIndex >= 0) {
        this.#waiters.shift();
        const [slot] = this.#idle.splice(idleIndex, 1);
        if (!settle(waiter, slot)) this.#idle.push(slot!);
        continue;
      }
      if (this.#count >= this.#options.size) {
        const victim = this.#idle.shift(); // the longest idle, of another language combination
        if (victim === undefined) return; // all busy: wait for a release
        this.#all.delete(victim);
        this.#count -= 1;
        void this.#terminate(victim);
      }
      this.#waiters.shift();
      this.#count += 1;
      this.#start(waiter.languages).then(
        (slot) => {
          if (this.#closed) {
            void this.#terminate(slot);
            settle(waiter, undefined, closedError());
            return;
          }
          this.#all.add(slot);
          if (!settle(waiter, slot)) this.#release(slot, true); // the waiter gave up meanwhile
        },
        (error: unknown) => {
          if (!this.#closed) this.#count -= 1;
          settle(waiter, undefined, error);
          this.#dispatch();
        },
      );
    }
  }

  async #start(languages: string): Promise<Slot> {
    const { workerOptions, startTimeoutMs, logger } = this.#options;
    const startedAt = Date.now();
    let starting = true;
    let failStart: (error: unknown) => void = () => undefined;
    const startFailed = new Promise<never>((_, reject) => {
      failStart = reject;
    });
    const created = tesseract.createWorker(languages, tesseract.OEM.LSTM_ONLY, {
      ...workerOptions,
      workerPath: WORKER_SCRIPT,
      // tesseract.js throws from its message handler (an uncaught exception) unless this is set.
      errorHandler: (error: unknown) => {
        if (starting) failStart(error);
        else logger?.debug?.({ languages, error: String(error) }, 'Tesseract worker reported an error');
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${startTimeoutMs} ms`)), startTimeoutMs);
    });
    try {
      const worker = await Promise.race([created, startFailed, timedOut]);
      logger?.debug?.({ languages, ms: Date.now() - startedAt }, 'Tesseract worker started');
      return { languages, worker, watchDeath: watchThread(worker, languages) };
    } catch (cause) {
      // A worker that answers late is stopped then; one whose start-up failed ends its own
      // thread (see tesseract-worker-thread.mjs).
      created.then((worker) => worker.terminate()).catch(() => undefined);
      logger?.warn({ languages, error: String(cause) }, 'Tesseract worker failed to start');
      throw new UpstreamError(
        `The OCR engine (Tesseract, ${languages}) did not start: ${String(cause)}. The job will be retried; if it keeps failing, check the language data in node_modules/@tesseract.js-data.`,
        { cause, details: { languages } },
      );
    } finally {
      starting = false;
      clearTimeout(timer);
    }
  }

  async #terminate(slot: Slot): Promise<void> {
    try {
      await slot.worker.terminate();
    } catch (error) {
      this.#options.logger?.warn({ languages: slot.languages, error: String(error) }, 'Tesseract worker did not stop cleanly');
    }
  }
}

/**
 * tesseract.js leaves a job pending forever when the worker's thread dies (it only listens for
 * errors before start-up), so the pool watches the thread itself. `worker.worker` is the Node
 * `Worker` in tesseract.js 7; if that ever changes, the watch is simply absent. Listeners, not a
 * promise every job races: a never-settling promise keeps every race's result (each page's
 * prepared image) reachable for the worker's whole life.
 */
function watchThread(worker: tesseract.Worker, languages: string): Slot['watchDeath'] {
  const thread = (worker as unknown as { worker?: Partial<Pick<ThreadWorker, 'once'>> }).worker;
  const listeners = new Set<(error: UpstreamError) => void>();
  let death: UpstreamError | undefined;
  thread?.once?.('exit', (code: number) => {
    death = new UpstreamError(`The OCR worker (Tesseract, ${languages}) stopped (exit code ${code}); the job will be retried.`);
    for (const listener of listeners) listener(death);
    listeners.clear();
  });
  return (onDeath) => {
    if (death !== undefined) {
      onDeath(death);
      return () => undefined;
    }
    listeners.add(onDeath);
    return () => listeners.delete(onDeath);
  };
}

/** `work`, or a rejection when the slot's worker dies first. */
function untilDeath<T>(slot: Slot, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stopWatching = slot.watchDeath(reject);
    work.then(resolve, reject).finally(stopWatching);
  });
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Settles a waiter once; false when it was already settled (aborted). */
function settle(waiter: Waiter, slot: Slot | undefined, error?: unknown): boolean {
  if (waiter.settled) return false;
  waiter.settled = true;
  if (slot !== undefined) waiter.resolve(slot);
  else waiter.reject(error);
  return true;
}

function closedError(): UpstreamError {
  return new UpstreamError('The OCR engine was closed (the worker process is shutting down); the job will be retried.');
}
