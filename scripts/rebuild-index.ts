/**
 * `npm run rebuild-index`: recreates the catalogue (libraries, collections, items, pages,
 * search texts, the object ledger) in the configured database, which must hold none yet,
 * from the records in the object store alone (README "Self-describing storage").
 * `npm run rebuild-index -- --check`: rebuilds into a database in memory instead and compares
 * it, table by table, with the configured one; changes nothing but writing records that are
 * behind. Same environment variables as `npm start`. Exit code 1 when a record could not be
 * used, or (with --check) when the two catalogues differ.
 */
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import {
  compareCatalogues,
  embeddedDatabaseDir,
  IN_MEMORY,
  migrateToLatest,
  openDatabase,
  PgliteDatabase,
  rebuildIndex,
  RecordWriter,
  type Database,
} from '../repository/index.ts';
import { ConfigurationError, isAppError, type ObjectStore } from '../storage/index.ts';
import { createLogger } from './app/logger.ts';
import { openObjectStore } from './app/open-services.ts';
import { assertEmbeddedDatabaseIdle } from './backup/pglite-data-dir.ts';
import { loadConfig, type Config } from './config.ts';

const USAGE = 'usage: npm run rebuild-index [-- --check]';

async function withServices<T>(config: Config, logger: Logger, work: (database: Database, store: ObjectStore) => Promise<T>): Promise<T> {
  if (config.databaseUrl === undefined) await assertEmbeddedDatabaseIdle(embeddedDatabaseDir(config.dataDir));
  const store = await openObjectStore(config);
  try {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, schema: config.databaseSchema, dataDir: config.dataDir, logger });
    try {
      await migrateToLatest(database, logger);
      return await work(database, store);
    } finally {
      await database.close();
    }
  } finally {
    await store.close();
  }
}

async function check(database: Database, store: ObjectStore, logger: Logger): Promise<boolean> {
  // A server stopped abruptly may have left records behind: bring them up to date first.
  await new RecordWriter({ database, store, logger }).flush();
  const rebuilt = await PgliteDatabase.open(IN_MEMORY, { logger });
  try {
    await migrateToLatest(rebuilt, logger);
    const report = await rebuildIndex({ database: rebuilt, store, logger });
    const differences = await compareCatalogues(database, rebuilt);
    for (const difference of differences) {
      logger.error(difference, `check: table ${difference.table} differs from its records at row ${difference.position}`);
    }
    const summary = { ...report, problems: report.problems.length, differences: differences.length };
    if (differences.length > 0 || report.problems.length > 0) {
      logger.error(summary, 'check failed: the database and the records in the object store differ (see the errors above)');
      return false;
    }
    logger.info(summary, 'check passed: the records in the object store rebuild exactly this database');
    return true;
  } finally {
    await rebuilt.close();
  }
}

async function rebuild(database: Database, store: ObjectStore, logger: Logger): Promise<boolean> {
  const report = await rebuildIndex({ database, store, logger });
  const summary = { ...report, problems: report.problems.length };
  if (report.problems.length > 0) {
    logger.error(summary, 'rebuild finished, but some records could not be used (see the errors above); users are not in the store: the first start creates the administrator again');
    return false;
  }
  logger.info(summary, 'rebuild finished; users are not in the store: the first start creates the administrator again');
  return true;
}

async function main(): Promise<void> {
  let logger = createLogger('info', 'thu-vien-so-rebuild-index');
  try {
    const config = loadConfig(process.env);
    logger = createLogger(config.logLevel, 'thu-vien-so-rebuild-index');
    const { values, positionals } = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { check: { type: 'boolean', default: false } } });
    if (positionals.length > 0) throw new ConfigurationError(`unexpected ${positionals.join(' ')} (${USAGE})`);
    const ok = await withServices(config, logger, (database, store) => (values.check ? check(database, store, logger) : rebuild(database, store, logger)));
    if (!ok) process.exitCode = 1;
  } catch (error) {
    logger.fatal(isAppError(error) ? { code: error.code } : { err: error }, `rebuild-index failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

await main();
