import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { embeddedDatabaseDir, openDatabase, type Database } from '../../repository/index.ts';
import type { ObjectStore } from '../../storage/index.ts';
import type { Config } from '../config.ts';
import { BACKUP_FILES, writeManifest, type BackupManifest, type DatabaseDump } from './backup-manifest.ts';
import { copyObjects, type CopyReport } from './copy-objects.ts';
import { dumpDatabase } from './dump-database.ts';
import { openObjectStore } from '../app/open-services.ts';
import { assertEmbeddedDatabaseIdle } from './pglite-data-dir.ts';
import { assertToolInstalled } from './postgres-tools.ts';

export interface BackupOutcome {
  folder: string;
  manifest: BackupManifest;
}

/**
 * One backup of the configured setup into a new folder `<targetDir>/backup-<time>`: the
 * database first, then every object (objects written meanwhile by a live server are extra,
 * never missing), the manifest last. Refuses before writing anything when the embedded
 * database is in use or pg_dump is missing; removes the folder again when it fails part way.
 */
export async function runBackup(config: Config, targetDir: string, logger: Logger): Promise<BackupOutcome> {
  const startedAt = new Date();
  const embedded = config.databaseUrl === undefined;
  if (embedded) await assertEmbeddedDatabaseIdle(embeddedDatabaseDir(config.dataDir));
  else await assertToolInstalled('pg_dump');

  const folder = path.join(path.resolve(targetDir), `backup-${startedAt.toISOString().replaceAll(':', '-')}`);
  await mkdir(path.join(folder, BACKUP_FILES.partial), { recursive: true });
  logger.info({ folder }, 'backup started');

  let store: ObjectStore | undefined;
  let database: Database | undefined;
  let dump: DatabaseDump;
  let objects: CopyReport;
  try {
    store = await openObjectStore(config);
    const open = () => openDatabase({ databaseUrl: config.databaseUrl, schema: config.databaseSchema, dataDir: config.dataDir, logger });
    if (embedded) {
      // PGlite dumps the directory itself: open our adapter on it only afterwards.
      dump = await dumpDatabase(config, config.databaseSchema ?? 'public', folder);
      database = await open();
    } else {
      database = await open();
      dump = await dumpDatabase(config, database.schema, folder);
    }
    logger.info({ file: dump.file, bytes: dump.size, sha256: dump.sha256 }, 'backup: database written');
    objects = await copyObjects(store, database, folder, logger);
  } catch (error) {
    // Useless without its manifest; only a crash can leave one behind (recognisable: no manifest).
    await rm(folder, { recursive: true, force: true });
    throw error;
  } finally {
    await database?.close();
    await store?.close();
  }

  const manifest: BackupManifest = {
    format: 'thu-vien-so-backup/1',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    setup: { database: embedded ? 'embedded' : 'server', store: store.adapter },
    database: dump,
    objects: { list: BACKUP_FILES.objectList, ...objects },
  };
  await writeManifest(folder, manifest);
  await rm(path.join(folder, BACKUP_FILES.partial), { recursive: true, force: true });
  return { folder, manifest };
}
