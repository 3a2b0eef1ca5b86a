/**
 * `npm run backup -- <target-dir>`: copies the database and every stored object of the
 * configured setup (same environment variables as `npm start`) into a new folder
 * `<target-dir>/backup-<time>`, checking each object against the database's sha256 ledger.
 * A folder without `manifest.json` is an unfinished backup. Exit code 1 when the backup could
 * not be made, or was made but found objects missing or changed (the log names them).
 */
import { parseArgs } from 'node:util';
import { ConfigurationError, isAppError } from '../storage/index.ts';
import { createLogger } from './app/logger.ts';
import { runBackup } from './backup/run-backup.ts';
import { loadConfig } from './config.ts';

const USAGE = 'usage: npm run backup -- <target-dir>';

async function main(): Promise<void> {
  let logger = createLogger('info', 'thu-vien-so-backup');
  try {
    const config = loadConfig(process.env);
    logger = createLogger(config.logLevel, 'thu-vien-so-backup');
    const [targetDir, ...extra] = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: {} }).positionals;
    if (targetDir === undefined || extra.length > 0) throw new ConfigurationError(`name one folder to write the backup into (${USAGE})`);

    const started = performance.now();
    const { folder, manifest } = await runBackup(config, targetDir, logger);
    const { objects, database } = manifest;
    const summary = {
      folder,
      setup: manifest.setup,
      databaseBytes: database.size,
      objects: objects.count,
      objectBytes: objects.bytes,
      unrecorded: objects.unrecorded,
      missing: objects.missing,
      mismatched: objects.mismatched,
      seconds: Math.round(performance.now() - started) / 1000,
    };
    if (objects.missing + objects.mismatched > 0) {
      logger.error(summary, 'backup finished, but objects were missing or changed (see the errors above): the restore of this backup will report them; restore them from an earlier backup');
      process.exitCode = 1;
    } else {
      logger.info(summary, 'backup finished');
    }
  } catch (error) {
    logger.fatal(isAppError(error) ? { code: error.code } : { err: error }, `backup failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

await main();
