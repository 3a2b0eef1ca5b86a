import path from 'node:path';
import type { Logger } from 'pino';
import type { Database } from '../../repository/index.ts';
import { ConflictError, type ObjectStore } from '../../storage/index.ts';
import type { Config } from '../config.ts';
import { auditAllObjects, type AuditSummary } from './audit-all-objects.ts';
import { readManifest, type BackupManifest } from './backup-manifest.ts';
import { openObjectStore } from '../app/open-services.ts';
import { assertToolInstalled } from './postgres-tools.ts';
import { restoreDatabase } from './restore-database.ts';
import { restoreObjects } from './restore-objects.ts';
import { verifyBackup } from './verify-backup.ts';

export interface RestoreOutcome {
  manifest: BackupManifest;
  objectsRestored: number;
  bytesRestored: number;
  audit: AuditSummary;
}

/**
 * Restores a backup folder into the configured setup, then audits every object of the
 * restored ledger. Refuses before changing anything when the backup is unfinished or
 * damaged, a tool is missing, or (without `force`) the target store or database holds data.
 * The store is never emptied: with `force`, objects are replaced and others left alone.
 */
export async function runRestore(config: Config, backupDir: string, force: boolean, logger: Logger): Promise<RestoreOutcome> {
  const folder = path.resolve(backupDir);
  const manifest = await readManifest(folder);
  logger.info({ folder, startedAt: manifest.startedAt, setup: manifest.setup, objects: manifest.objects.count }, 'restore: verifying the backup');
  await verifyBackup(folder, manifest);
  if (manifest.database.kind === 'pg-dump-custom') await assertToolInstalled('pg_restore');

  let store: ObjectStore | undefined;
  let database: Database | undefined;
  try {
    store = await openObjectStore(config);
    if (!force && (await store.list('', { limit: 1 })).objects.length > 0) {
      throw new ConflictError(`The object store (${store.describe()}) already holds objects: restore into an empty one, or add --force to replace the backup's objects in it`);
    }
    database = await restoreDatabase(config, folder, manifest.database, { force, logger });
    const restored = await restoreObjects(store, folder, logger);
    logger.info({ objects: restored.count, bytes: restored.bytes, store: store.describe() }, 'restore: objects stored; auditing');
    const audit = await auditAllObjects(database, store, logger);
    return { manifest, objectsRestored: restored.count, bytesRestored: restored.bytes, audit };
  } finally {
    await database?.close();
    await store?.close();
  }
}
