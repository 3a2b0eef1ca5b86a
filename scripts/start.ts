/**
 * `npm start`: the server (repository API, IIIF, web pages) on the adapters the
 * configuration selects; with no configuration, everything is embedded under DATA_DIR.
 */
import { isAppError } from '../storage/index.ts';
import { startApplication } from './app/application.ts';
import { createLogger } from './app/logger.ts';
import { loadConfig, type Config } from './config.ts';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    createLogger('info').fatal((error as Error).message);
    process.exitCode = 1;
    return;
  }
  const logger = createLogger(config.logLevel);

  try {
    const application = await startApplication(config, logger);
    const port = Number(new URL(application.url).port);
    logger.info(
      { port, host: config.host, publicBaseUrl: config.publicBaseUrl, runsJobs: config.serverRunsJobs },
      'listening',
    );
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down');
      application.close().then(
        () => logger.info('stopped'),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exitCode = 1;
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (error) {
    logger.fatal(isAppError(error) ? { code: error.code } : { err: error }, `cannot start: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

await main();
