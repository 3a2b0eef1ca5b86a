import { rename } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Database } from '../../repository/index.ts';
import { contentTypeFor, NotFoundError, RECORDS_PREFIX, type ObjectStore } from '../../storage/index.ts';
import { BACKUP_FILES, type BackupManifest } from './backup-manifest.ts';
import { writeHashed, type Fingerprint } from './hashed-file.ts';
import { ledgerEntries, type LedgerEntry } from './ledger-entries.ts';
import { ObjectListWriter } from './object-list.ts';

export type CopyReport = Omit<BackupManifest['objects'], 'list'>;

/** How many problems the manifest names; the log names them all. */
const EXAMPLES = 20;
/** Objects between two progress lines in the log. */
const PROGRESS_EVERY = 1000;

/**
 * Copies every object of the store into `<backupDir>/objects/<key>`, one at a time and
 * streaming, and checks each against the ledger as it goes: the store's listing and the
 * ledger are walked side by side in key order, so neither is ever held in memory. An object
 * whose bytes differ from its ledger row is copied as found and reported; a ledger row with no
 * object is reported. Every copied object gets a line in the object list.
 */
export async function copyObjects(store: ObjectStore, database: Database, backupDir: string, logger: Logger): Promise<CopyReport> {
  const tempDir = path.join(backupDir, BACKUP_FILES.partial);
  const listFile = path.join(tempDir, BACKUP_FILES.objectList);
  const list = new ObjectListWriter(listFile);
  const report: CopyReport = { listSha256: '', count: 0, bytes: 0, recorded: 0, records: 0, unrecorded: 0, missing: 0, mismatched: 0, problemExamples: [] };
  const problem = (key: string, kind: 'missing' | 'mismatched', fields: Record<string, unknown>) => {
    report[kind] += 1;
    if (report.problemExamples.length < EXAMPLES) report.problemExamples.push({ key, problem: kind });
    logger.error({ key, problem: kind, ...fields }, `backup: ${key} is ${kind === 'missing' ? 'in the ledger but not in the store' : 'not what the ledger recorded'}; run the fixity audit and restore it from an earlier backup`);
  };

  const ledger = ledgerEntries(database);
  let row = await ledger.next();
  const take = async (): Promise<LedgerEntry> => {
    const entry = row.value as LedgerEntry;
    report.recorded += 1;
    row = await ledger.next();
    return entry;
  };

  for await (const object of store.listAll('')) {
    while (!row.done && row.value.key < object.key) {
      const lost = await take();
      problem(lost.key, 'missing', { expectedSha256: lost.sha256 });
    }
    const recorded = !row.done && row.value.key === object.key ? await take() : undefined;
    const copied = await copyOne(store, object.key, path.join(backupDir, BACKUP_FILES.objects, object.key), tempDir);
    if (copied === undefined) {
      if (recorded !== undefined) problem(object.key, 'missing', { expectedSha256: recorded.sha256 });
      continue;
    }
    await list.add({ key: object.key, ...copied, contentType: recorded?.content_type ?? contentTypeFor(object.key) });
    report.count += 1;
    report.bytes += copied.size;
    if (report.count % PROGRESS_EVERY === 0) logger.info({ objects: report.count, bytes: report.bytes }, 'backup: objects copied so far');
    if (recorded === undefined && object.key.startsWith(RECORDS_PREFIX)) {
      report.records += 1;
    } else if (recorded === undefined) {
      report.unrecorded += 1;
      logger.warn({ key: object.key }, 'backup: object not in the ledger (copied all the same)');
    } else if (recorded.sha256 !== copied.sha256 || recorded.size !== copied.size) {
      problem(object.key, 'mismatched', { expectedSha256: recorded.sha256, actualSha256: copied.sha256, expectedSize: recorded.size, actualSize: copied.size });
    }
  }
  while (!row.done) {
    const lost = await take();
    problem(lost.key, 'missing', { expectedSha256: lost.sha256 });
  }
  report.listSha256 = await list.close();
  await rename(listFile, path.join(backupDir, BACKUP_FILES.objectList));
  return report;
}

/** `undefined` when the object was deleted since it was listed (a live server). */
async function copyOne(store: ObjectStore, key: string, target: string, tempDir: string): Promise<Fingerprint | undefined> {
  let body: Readable;
  try {
    body = await store.get(key);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
  return writeHashed(body, target, tempDir);
}
