/**
 * `npm start`: the server (repository API, IIIF, web pages) on the adapters the
 * configuration selects; with no configuration, everything is embedded under DATA_DIR.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { isAppError } from '../storage/index.ts';
import { createHttpApp } from './app/http-app.ts';
import { createLogger } from './app/logger.ts';
import { openServices, type Services } from './app/open-services.ts';
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

  let services: Services;
  try {
    services = await openServices(config, logger);
  } catch (error) {
    logger.fatal(isAppError(error) ? { code: error.code } : { err: error }, `cannot start: ${(error as Error).message}`);
    process.exitCode = 1;
    return;
  }

  const server = createHttpApp(services, logger).listen(config.port, config.host);
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EADDRINUSE'
        ? `port ${config.port} on ${config.host} is already in use: stop the other program or set PORT`
        : (error as Error).message;
    logger.fatal({ code }, `cannot start: ${reason}`);
    await services.close();
    process.exitCode = 1;
    return;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  logger.info({ port, host: config.host, publicBaseUrl: config.publicBaseUrl }, 'listening');

  shutDownOnSignals(server, services, config, logger);
}

/** SIGTERM/SIGINT: stop accepting, let requests in flight finish (bounded), close adapters. */
function shutDownOnSignals(server: Server, services: Services, config: Config, logger: Logger): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const forced = setTimeout(() => {
      logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'requests still open at the shutdown deadline; closing them');
      server.closeAllConnections();
    }, config.shutdownTimeoutMs);
    forced.unref();
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    clearTimeout(forced);
    await services.close();
    logger.info('stopped');
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
}

await main();
