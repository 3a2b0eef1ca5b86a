import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ConflictError, isAppError, readJsonObject, recordFolder, type ObjectStore } from '../../storage/index.ts';
import type { Database } from '../database/database.port.ts';
import { CATALOGUE_TABLES, insertableColumns, insertRow, type CatalogueTable, type Row } from './catalogue-rows.ts';
import { collectionRecordSchema, itemRecordSchema, libraryRecordSchema, type ItemRecord } from './item-record.ts';
import { RecordOutboxRepository } from './record-outbox.repository.ts';

export interface RebuildProblem {
  /** The record or object concerned. */
  key: string;
  problem: string;
}

export interface RebuildReport {
  libraries: number;
  collections: number;
  items: number;
  pages: number;
  texts: number;
  objects: number;
  problems: RebuildProblem[];
}

export interface RebuildOptions {
  database: Database;
  store: ObjectStore;
  logger: Logger;
}

type Columns = Record<CatalogueTable, string[]>;

/**
 * Recreates the catalogue (libraries, collections, items, pages, search texts, the object
 * ledger) in an empty database from the records in the object store alone. Each item goes in
 * whole or not at all. A record that cannot be read or does not fit is reported and skipped,
 * never the end of the run. Users, sessions, the audit log, fixity history and the job queue
 * are not in the store and are not rebuilt.
 */
export async function rebuildIndex({ database, store, logger }: RebuildOptions): Promise<RebuildReport> {
  await refuseNonEmpty(database);
  const columns = Object.fromEntries(
    await Promise.all(CATALOGUE_TABLES.map(async ({ table }) => [table, await insertableColumns(database.db, table)] as const)),
  ) as Columns;
  const report: RebuildReport = { libraries: 0, collections: 0, items: 0, pages: 0, texts: 0, objects: 0, problems: [] };
  const problem = (key: string, text: string) => {
    report.problems.push({ key, problem: text });
    logger.error({ key, problem: text }, `rebuild: ${key}: ${text}`);
  };

  for await (const { key, record } of readRecords(store, 'library', libraryRecordSchema, problem)) {
    if (await insertOrReport(() => insertRow(database.db, 'libraries', columns.libraries, record.library), key, problem)) report.libraries += 1;
  }
  for await (const { key, record } of readRecords(store, 'collection', collectionRecordSchema, problem)) {
    if (await insertOrReport(() => insertRow(database.db, 'collections', columns.collections, record.collection), key, problem)) report.collections += 1;
  }
  for await (const { key, record } of readRecords(store, 'item', itemRecordSchema, problem)) {
    const texts = await readTexts(store, record, problem);
    const inserted = await insertOrReport(
      () =>
        database.db.transaction().execute(async (trx) => {
          await insertRow(trx, 'items', columns.items, record.item);
          for (const page of record.pages) await insertRow(trx, 'pages', columns.pages, page);
          for (const text of texts) await insertRow(trx, 'page_texts', columns.page_texts, text);
          for (const file of record.files) await insertRow(trx, 'stored_objects', columns.stored_objects, file);
        }),
      key,
      problem,
    );
    if (!inserted) continue;
    report.items += 1;
    report.pages += record.pages.length;
    report.texts += texts.length;
    report.objects += record.files.length;
    if (report.items % 100 === 0) logger.info({ items: report.items }, 'rebuild: items so far');
  }
  // The triggers noted every row just inserted; the records already say exactly that.
  await new RecordOutboxRepository(database.db).clear();
  return report;
}

async function refuseNonEmpty(database: Database): Promise<void> {
  const row = await sql<{ rows: number }>`select (select count(*) from libraries) + (select count(*) from collections) + (select count(*) from items) as rows`.execute(database.db);
  if ((row.rows[0]?.rows ?? 0) > 0) {
    throw new ConflictError(`The database (${database.describe()}) already holds a catalogue: rebuild into an empty one (a new DATA_DIR or DATABASE_SCHEMA), or use --check to compare`);
  }
}

/** The records under one folder, parsed and checked; unreadable ones are reported and skipped. */
async function* readRecords<S extends z.ZodType<{ id: string }>>(
  store: ObjectStore,
  subject: 'library' | 'collection' | 'item',
  schema: S,
  problem: (key: string, text: string) => void,
): AsyncGenerator<{ key: string; record: z.infer<S> }> {
  for await (const { key } of store.listAll(recordFolder(subject))) {
    let json: unknown;
    try {
      json = await readJsonObject(store, key);
    } catch (error) {
      problem(key, `cannot be read: ${(error as Error).message}`);
      continue;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      problem(key, `is not a ${subject} record: ${parsed.error.issues[0]?.message ?? 'unexpected content'}`);
      continue;
    }
    yield { key, record: parsed.data };
  }
}

/** The `page_texts` rows with their text, read from each page's text object and checked against its ledger sha256. */
async function readTexts(store: ObjectStore, record: ItemRecord, problem: (key: string, text: string) => void): Promise<Row[]> {
  const texts: Row[] = [];
  for (const row of record.texts) {
    const file = record.files.find((candidate) => candidate.page_id === row.page_id && candidate.kind === 'text');
    if (file === undefined) {
      problem(`records/items/${record.id}`, `page ${String(row.page_id)} has a search text but no text object; reprocess the page to restore its search`);
      continue;
    }
    const key = String(file.key);
    try {
      const bytes = await buffer(await store.get(key));
      if (createHash('sha256').update(bytes).digest('hex') !== file.sha256) {
        problem(key, 'does not match its recorded sha256; its page is left out of search until the page is reprocessed');
        continue;
      }
      texts.push({ ...row, text: bytes.toString('utf8').normalize('NFC') });
    } catch (error) {
      problem(key, `cannot be read: ${(error as Error).message}`);
    }
  }
  return texts;
}

async function insertOrReport(insert: () => Promise<unknown>, key: string, problem: (key: string, text: string) => void): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (error) {
    problem(key, `cannot be inserted: ${isAppError(error) ? error.message : (error as Error).message}`);
    return false;
  }
}
