import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Keeps reads under a byte rate shared by everything that calls `take`: the fixity audit
 * re-reads every object, and must leave the disk and the network to ingest and readers.
 */
export class ByteRate {
  readonly #bytesPerSecond: number;
  #next = 0;

  /** `bytesPerSecond` ≤ 0 or Infinity: no limit. */
  constructor(bytesPerSecond: number) {
    this.#bytesPerSecond = bytesPerSecond;
  }

  /** Waits until `bytes` more may be read. */
  async take(bytes: number): Promise<void> {
    if (!(this.#bytesPerSecond > 0) || !Number.isFinite(this.#bytesPerSecond)) return;
    const now = performance.now();
    const start = Math.max(now, this.#next);
    this.#next = start + (bytes / this.#bytesPerSecond) * 1000;
    if (start > now) await sleep(start - now);
  }
}
