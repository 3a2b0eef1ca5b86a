import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { text } from 'node:stream/consumers';
import type { Logger } from 'pino';
import { NotFoundError, recordKey, type ObjectStore } from '../../storage/index.ts';
import type { Database } from '../database/database.port.ts';
import type { Row } from './catalogue-rows.ts';
import { buildItemRecord, COLLECTION_RECORD_FORMAT, itemRecordSchema, LIBRARY_RECORD_FORMAT, type ItemRecord } from './item-record.ts';
import { RecordOutboxRepository, type ClaimedSubject } from './record-outbox.repository.ts';
import { readCollectionRow, readItemRows, readLibraryRow } from './read-record-rows.ts';

export interface RecordWriterOptions {
  database: Database;
  store: ObjectStore;
  logger: Logger;
  /** How long a claimed subject stays this writer's; far longer than one record write. */
  leaseMs?: number;
  /** After a failed write (store unreachable, full), how long before it is tried again. */
  retryMs?: number;
  batchSize?: number;
  clock?: () => Date;
}

export interface RecordRound {
  /** Subjects this round claimed. */
  claimed: number;
  written: number;
  failed: number;
}

/**
 * Keeps the object store's records (`records/…`, see storage/key-layout.ts) in step with the
 * database: takes the subjects the triggers noted in `record_outbox` and writes each one's
 * record from a fresh snapshot, atomically (one `put`), or deletes it when the row is gone.
 * Any number of writers may run against one database: a subject is claimed by one at a time.
 */
export class RecordWriter {
  readonly #database: Database;
  readonly #store: ObjectStore;
  readonly #logger: Logger;
  readonly #outbox: RecordOutboxRepository;
  readonly #owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly #leaseMs: number;
  readonly #retryMs: number;
  readonly #batchSize: number;
  readonly #clock: () => Date;

  constructor(options: RecordWriterOptions) {
    this.#database = options.database;
    this.#store = options.store;
    this.#logger = options.logger;
    this.#outbox = new RecordOutboxRepository(options.database.db);
    this.#leaseMs = options.leaseMs ?? 120_000;
    this.#retryMs = options.retryMs ?? 15_000;
    this.#batchSize = options.batchSize ?? 50;
    this.#clock = options.clock ?? (() => new Date());
  }

  /** One round: claims a batch of subjects and writes their records. */
  async writePending(): Promise<RecordRound> {
    const claimed = await this.#outbox.claim(this.#owner, this.#batchSize, this.#leaseMs);
    const round: RecordRound = { claimed: claimed.length, written: 0, failed: 0 };
    for (const subject of claimed) {
      try {
        await this.#write(subject);
        await this.#outbox.settle(subject, this.#owner);
        round.written += 1;
      } catch (error) {
        round.failed += 1;
        this.#logger.warn({ err: error, subject: `${subject.type}:${subject.id}` }, `the record of ${subject.type} ${subject.id} could not be written; trying again in ${this.#retryMs / 1000} s`);
        await this.#outbox.postpone(subject, this.#owner, this.#retryMs).catch(() => undefined);
      }
    }
    return round;
  }

  /**
   * Rounds until no record is behind (what a backup or a test wants before it reads the
   * store). Subjects another writer holds are waited for; throws after `timeoutMs`.
   */
  async flush(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const round = await this.writePending();
      if ((await this.#outbox.backlog()).subjects === 0) return;
      if (Date.now() > deadline) throw new Error(`records still behind the database after ${timeoutMs} ms (${round.failed} failed in the last round)`);
      if (round.claimed === 0 || round.failed > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** How many records are behind the database, and since when. */
  backlog(): Promise<{ subjects: number; oldest: Date | null }> {
    return this.#outbox.backlog();
  }

  async #write(subject: ClaimedSubject): Promise<void> {
    const key = recordKey(subject.type, subject.id);
    const record = await this.#build(subject, key);
    if (record === undefined) {
      await this.#store.delete(key);
      return;
    }
    await this.#store.put(key, Buffer.from(`${JSON.stringify(record, null, 1)}\n`), { contentType: 'application/json' });
  }

  async #build(subject: ClaimedSubject, key: string): Promise<object | undefined> {
    switch (subject.type) {
      case 'library':
        return wrap(await readLibraryRow(this.#database, subject.id), (library) => ({ format: LIBRARY_RECORD_FORMAT, id: subject.id, library }));
      case 'collection':
        return wrap(await readCollectionRow(this.#database, subject.id), (collection) => ({ format: COLLECTION_RECORD_FORMAT, id: subject.id, collection }));
      case 'item': {
        const rows = await readItemRows(this.#database, subject.id);
        return rows === undefined ? undefined : buildItemRecord(rows, await this.#previousItemRecord(key), this.#clock());
      }
    }
  }

  /** The item's record as stored, for its version history; undefined for a new item. */
  async #previousItemRecord(key: string): Promise<ItemRecord | undefined> {
    let raw: string;
    try {
      raw = await text(await this.#store.get(key));
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
    const parsed = itemRecordSchema.safeParse(parseJson(raw));
    if (parsed.success) return parsed.data;
    this.#logger.error({ key }, `the stored record ${key} is not an item record; it is replaced and its version history starts again`);
    return undefined;
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

const wrap = (row: Row | undefined, make: (row: Row) => object) => (row === undefined ? undefined : make(row));

/**
 * Runs record writers' rounds in the background: back to back while there is a backlog,
 * else every `intervalMs`. Returns the function that stops it after the round in progress.
 */
export function scheduleRecordWrites(writer: RecordWriter, intervalMs: number, logger: Logger): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const round = async () => {
    let next = intervalMs;
    try {
      const result = await writer.writePending();
      if (result.claimed > 0 && result.failed === 0) next = 0;
    } catch (error) {
      logger.warn({ err: error }, 'writing records failed; trying again');
    }
    if (!stopped) timer = setTimeout(() => (running = round()), next);
  };
  timer = setTimeout(() => (running = round()), intervalMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
