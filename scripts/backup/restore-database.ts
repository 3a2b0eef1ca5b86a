import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { embeddedDatabaseDir, migrateToLatest, openDatabase, type Database } from '../../repository/index.ts';
import { ConfigurationError, ConflictError } from '../../storage/index.ts';
import type { Config } from '../config.ts';
import type { DatabaseDump } from './backup-manifest.ts';
import { assertEmbeddedDatabaseIdle, isEmptyOrMissing, loadPgliteDataDir } from './pglite-data-dir.ts';
import { runPostgresTool } from './postgres-tools.ts';
import { writeRestoreList } from './restore-list.ts';

export interface RestoreDatabaseOptions {
  /** Replace a database that holds data (else `ConflictError`). */
  force: boolean;
  logger: Logger;
}

/**
 * Puts the backup's database where the configuration points and returns it open and
 * migrated to this version. An embedded backup goes into `DATA_DIR/db`, a server backup into
 * the configured schema with `pg_restore --clean --if-exists` in one transaction; moving
 * between the two kinds is not supported. Refuses (`ConflictError`) a target that holds data
 * unless forced, before changing it.
 */
export async function restoreDatabase(config: Config, backupDir: string, dump: DatabaseDump, options: RestoreDatabaseOptions): Promise<Database> {
  const dumpFile = path.join(backupDir, dump.file);
  const configuredSchema = config.databaseSchema ?? 'public';
  const open = () => openDatabase({ databaseUrl: config.databaseUrl, schema: config.databaseSchema, dataDir: config.dataDir, logger: options.logger });
  let database: Database;
  if (dump.kind === 'pglite-data-dir') {
    if (config.databaseUrl !== undefined) throw crossKind('an embedded (PGlite) database', 'unset DATABASE_URL to restore it into DATA_DIR');
    assertSameSchema(dump.schema, configuredSchema);
    const directory = embeddedDatabaseDir(config.dataDir);
    await assertEmbeddedDatabaseIdle(directory);
    if (!options.force && !(await isEmptyOrMissing(directory))) throw holdsData(`the embedded database in ${directory}`);
    const movedTo = await loadPgliteDataDir(directory, dumpFile, new Date());
    if (movedTo !== undefined) options.logger.warn({ movedTo }, 'restore: the database that was there is kept aside; delete it once the restore is checked');
    database = await open();
  } else {
    if (config.databaseUrl === undefined) throw crossKind('a PostgreSQL server schema', 'set DATABASE_URL (and DATABASE_SCHEMA) to the server to restore into');
    database = await open();
    try {
      assertSameSchema(dump.schema, database.schema);
      if (!options.force && (await holdsTables(database))) throw holdsData(`${database.describe()} (schema ${database.schema})`);
      await createExtensions(database);
      await pgRestore(dumpFile, database.schema, config.databaseUrl);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  options.logger.info({ database: database.describe(), file: dump.file }, 'restore: database restored');
  try {
    await migrateToLatest(database, options.logger);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

async function pgRestore(dumpFile: string, schema: string, databaseUrl: string): Promise<void> {
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'thu-vien-so-restore-'));
  try {
    const listFile = path.join(tempDir, 'restore.list');
    await writeRestoreList(dumpFile, schema, listFile);
    await runPostgresTool('pg_restore', ['--clean', '--if-exists', '--single-transaction', '--no-owner', `--use-list=${listFile}`, dumpFile], databaseUrl);
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

/**
 * `pg_dump --schema` leaves out the extensions (they live in `public`, shared by every
 * schema), yet the restored indexes call `unaccent`: a fresh database needs them first, as the
 * first migration creates them.
 */
async function createExtensions(database: Database): Promise<void> {
  await sql`create extension if not exists unaccent with schema public`.execute(database.db);
  await sql`create extension if not exists pg_trgm with schema public`.execute(database.db);
}

async function holdsTables(database: Database): Promise<boolean> {
  const { rows } = await sql<{ tables: number }>`select count(*)::int as tables from pg_tables where schemaname = ${database.schema}`.execute(database.db);
  return (rows[0]?.tables ?? 0) > 0;
}

function assertSameSchema(backedUp: string, configured: string): void {
  if (backedUp === configured) return;
  throw new ConfigurationError(
    `This backup holds database schema '${backedUp}' but the configuration uses '${configured}': ${backedUp === 'public' ? 'unset DATABASE_SCHEMA' : `set DATABASE_SCHEMA=${backedUp}`} (a schema cannot be renamed on restore)`,
  );
}

function crossKind(what: string, todo: string): ConfigurationError {
  return new ConfigurationError(`This backup holds ${what}: ${todo} (moving between the embedded database and a server is not supported by restore)`);
}

function holdsData(what: string): ConflictError {
  return new ConflictError(`${what} already holds data: restore into an empty one, or add --force to replace it`);
}
