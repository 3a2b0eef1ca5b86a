/**
 * `npm run restore -- <backup-dir> [--force]`: puts a backup made by `npm run backup` back
 * into the configured setup (same environment variables as `npm start`; the object store may
 * be of the other kind than the backup's), then audits every object (fixity). Exit code 1
 * when the restore was refused or failed, or the audit found any object missing or changed.
 */
import { parseArgs } from 'node:util';
import { ConfigurationError, isAppError } from '../storage/index.ts';
import { createLogger } from './app/logger.ts';
import { runRestore } from './backup/run-restore.ts';
import { loadConfig } from './config.ts';

const USAGE = 'usage: npm run restore -- <backup-dir> [--force]';

async function main(): Promise<void> {
  let logger = createLogger('info', 'thu-vien-so-restore');
  try {
    const config = loadConfig(process.env);
    logger = createLogger(config.logLevel, 'thu-vien-so-restore');
    const { values, positionals } = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: { force: { type: 'boolean', default: false } },
    });
    const [backupDir, ...extra] = positionals;
    if (backupDir === undefined || extra.length > 0) throw new ConfigurationError(`name one backup folder (${USAGE})`);

    const started = performance.now();
    const { objectsRestored, bytesRestored, audit } = await runRestore(config, backupDir, values.force, logger);
    const summary = {
      objectsRestored,
      bytesRestored,
      recorded: audit.recorded,
      audited: audit.checked,
      failures: audit.failures,
      failureExamples: audit.failureExamples,
      seconds: Math.round(performance.now() - started) / 1000,
    };
    if (audit.failures > 0 || audit.checked < audit.recorded) {
      logger.error(summary, 'restore finished, but the fixity audit failed: the objects named are missing or changed; restore them from another backup (the administration page lists them)');
      process.exitCode = 1;
    } else {
      logger.info(summary, 'restore finished; every recorded object passed the fixity audit');
    }
  } catch (error) {
    logger.fatal(isAppError(error) ? { code: error.code } : { err: error }, `restore failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

await main();
