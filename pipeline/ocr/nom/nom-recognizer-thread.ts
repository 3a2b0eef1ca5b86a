import { Worker } from 'node:worker_threads';

import { UpstreamError } from '../../../storage/index.ts';
import type { GreyRaster } from '../../stages/skew-raster.ts';
import type { CorrectedCrop } from './corrected-templates.ts';
import type { NomColumnRecognizer } from './nom-column-recognizer.ts';
import type { NomThreadReply, NomThreadRequest, NomThreadSetup } from './nom-thread-messages.ts';
import type { NomCharacter, NomRecognizeOptions } from './recognize-nom-column.ts';

interface Pending {
  resolve(reply: NomThreadReply): void;
  reject(error: Error): void;
}

/**
 * Recognition on a worker thread of its own, so a server that reads Nôm pages in-process keeps
 * serving tiles while a column is decoded (about a second each). Requests are answered in order.
 * A thread that dies fails what it held with a retryable `UpstreamError`; the next request
 * starts a new one (with the corrections it was last given).
 */
export class NomRecognizerThread implements NomColumnRecognizer {
  readonly #setup: NomThreadSetup;
  #thread: Promise<Worker> | undefined;
  #corrections: readonly CorrectedCrop[] = [];
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #closed = false;

  constructor(options: { dataDir?: string; recognize?: NomRecognizeOptions } = {}) {
    this.#setup = { dataDir: options.dataDir, options: options.recognize };
  }

  async recognizeColumns(crops: readonly GreyRaster[], signal?: AbortSignal): Promise<NomCharacter[][]> {
    signal?.throwIfAborted();
    const reply = await this.#request((id) => ({ kind: 'read', id, crops: [...crops] }));
    signal?.throwIfAborted();
    if (reply.kind !== 'columns') throw new UpstreamError('The Nôm recogniser thread answered out of turn; the job will be retried.');
    return reply.columns;
  }

  async useCorrections(crops: readonly CorrectedCrop[]): Promise<void> {
    this.#corrections = crops;
    if (this.#thread !== undefined) await this.#request((id) => ({ kind: 'corrections', id, crops: [...crops] }));
  }

  async close(): Promise<void> {
    this.#closed = true;
    const thread = await this.#thread?.catch(() => undefined);
    await thread?.terminate();
  }

  async #request(message: (id: number) => NomThreadRequest): Promise<NomThreadReply> {
    if (this.#closed) throw new UpstreamError('The Nôm recogniser was closed (the worker is shutting down); the job will be retried.');
    const thread = await this.#start();
    const id = this.#nextId++;
    const reply = new Promise<NomThreadReply>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    thread.postMessage(message(id));
    const answer = await reply;
    if (answer.kind === 'failed') throw new UpstreamError(`The Nôm recogniser failed: ${answer.message}`);
    return answer;
  }

  #start(): Promise<Worker> {
    this.#thread ??= new Promise<Worker>((resolve, reject) => {
      const thread = new Worker(new URL('./nom-thread-entry.mjs', import.meta.url), { workerData: this.#setup });
      const fail = (error: Error) => {
        this.#thread = undefined;
        reject(error);
        for (const pending of this.#pending.values()) pending.reject(error);
        this.#pending.clear();
      };
      thread.on('message', (reply: NomThreadReply) => {
        if (reply.kind === 'ready') {
          resolve(thread);
          return;
        }
        if (reply.kind === 'failed' && reply.id === 0) return fail(new UpstreamError(`The Nôm recogniser could not start: ${reply.message}`));
        const pending = this.#pending.get(reply.id);
        this.#pending.delete(reply.id);
        pending?.resolve(reply);
      });
      thread.on('error', (error) => fail(new UpstreamError(`The Nôm recogniser thread failed: ${error.message}; the job will be retried.`, { cause: error })));
      thread.on('exit', (code) => {
        if (!this.#closed) fail(new UpstreamError(`The Nôm recogniser thread ended (exit ${code}); the job will be retried.`));
      });
    }).then(async (thread) => {
      if (this.#corrections.length > 0) {
        const id = this.#nextId++;
        const done = new Promise<NomThreadReply>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
        thread.postMessage({ kind: 'corrections', id, crops: [...this.#corrections] } satisfies NomThreadRequest);
        await done;
      }
      return thread;
    });
    return this.#thread;
  }
}
