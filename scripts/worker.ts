/**
 * `npm run worker`: a process that only runs pipeline jobs, for machines that add
 * processing power. Needs REDIS_URL (the jobs' queue), DATABASE_URL and S3_ENDPOINT shared
 * with the server; any number may run on any number of machines.
 */
import { ConfigurationError, isAppError } from '../storage/index.ts';
import { createLogger } from './app/logger.ts';
import { openServices } from './app/open-services.ts';
import { createPipelineRuntime } from './app/pipeline-runtime.ts';
import { loadConfig } from './config.ts';

async function main(): Promise<void> {
  let logger = createLogger('info', 'thu-vien-so-worker');
  try {
    const config = loadConfig(process.env);
    logger = createLogger(config.logLevel, 'thu-vien-so-worker');
    if (config.redisUrl === undefined) {
      throw new ConfigurationError(
        'REDIS_URL must be set for a separate worker: without Redis, jobs run inside the server (npm start)',
      );
    }
    const services = await openServices(config, logger);
    const pipeline = createPipelineRuntime(config, services, logger);
    await services.queue.startWorker(pipeline.handlers, { concurrency: config.workerConcurrency });
    logger.info({ concurrency: config.workerConcurrency, queue: services.queue.describe() }, 'worker running');

    let stopping = false;
    const stop = async (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'worker stopping: running jobs finish or are handed back');
      await services.queue.stopWorker(config.shutdownTimeoutMs);
      await pipeline.close();
      await services.close();
      logger.info('worker stopped');
    };
    process.once('SIGTERM', (signal) => void stop(signal));
    process.once('SIGINT', (signal) => void stop(signal));
  } catch (error) {
    logger.fatal(isAppError(error) ? { code: error.code } : { err: error }, `cannot start: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}

await main();
