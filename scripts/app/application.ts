import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { bootstrapAdmin, FixityAuditor, Harvester, RecordWriter, scheduleFixityAudits, scheduleHarvests, scheduleRecordWrites, sweepExpiredSignIns } from '../../repository/index.ts';
import { ConfigurationError } from '../../storage/index.ts';
import type { Config } from '../config.ts';
import { createHttpApp } from './http-app.ts';
import { openServices, type Services } from './open-services.ts';
import { createPipelineRuntime } from './pipeline-runtime.ts';

/** Between two rounds of the record writer when it has nothing to do: how far the store's records may lag. */
const RECORD_WRITE_INTERVAL_MS = 1000;

/** The server process: HTTP, and the job runner when it runs jobs itself. */
export interface Application {
  server: Server;
  /** Loopback URL of the listening server (the real port when PORT is 0). */
  url: string;
  services: Services;
  /** Stops taking requests and jobs, lets running ones finish (bounded), closes everything. */
  close(): Promise<void>;
}

export async function startApplication(config: Config, logger: Logger): Promise<Application> {
  const services = await openServices(config, logger);
  try {
    await bootstrapAdmin(services.database, { password: config.auth.bootstrapAdminPassword, token: config.auth.bootstrapAdminToken }, logger);
  } catch (error) {
    await services.close();
    throw error;
  }
  const pipeline = createPipelineRuntime(config, services, logger);
  const shutdown = new AbortController();
  const auditor = new FixityAuditor({ database: services.database, store: services.store, logger: logger.child({ component: 'fixity' }), bytesPerSecond: config.fixity.bytesPerSecond });
  const harvester = new Harvester({ database: services.database, logger: logger.child({ component: 'harvest' }), requestTimeoutMs: config.harvest.requestTimeoutMs, shutdown: shutdown.signal });
  const server = createHttpApp(config, services, logger, shutdown.signal, auditor, harvester).listen(config.port, config.host);
  // Longer than clients' and proxies' idle timeouts, so the server never closes a kept-alive
  // connection just as a client sends the next request on it (seen as "fetch failed").
  server.keepAliveTimeout = 65_000;
  try {
    await once(server, 'listening');
  } catch (error) {
    await services.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw code === 'EADDRINUSE'
      ? new ConfigurationError(`port ${config.port} on ${config.host} is already in use: stop the other program or set PORT`)
      : error;
  }
  if (config.serverRunsJobs) {
    await services.queue.startWorker(pipeline.handlers, { concurrency: config.workerConcurrency });
  }
  const { port } = server.address() as AddressInfo;
  const stopSweeping = sweepExpiredSignIns(services.database, logger.child({ component: 'sign-ins' }));
  const stopAuditing = scheduleFixityAudits(auditor, config.fixity, logger.child({ component: 'fixity' }));
  const stopHarvesting = scheduleHarvests(harvester, config.harvest.intervalMs, logger.child({ component: 'harvest' }));
  const records = new RecordWriter({ database: services.database, store: services.store, logger: logger.child({ component: 'records' }) });
  const stopRecording = scheduleRecordWrites(records, RECORD_WRITE_INTERVAL_MS, logger.child({ component: 'records' }));

  let closing: Promise<void> | undefined;
  const close = async () => {
    const forced = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
    forced.unref();
    shutdown.abort();
    stopSweeping();
    server.closeIdleConnections();
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    await services.queue.stopWorker(config.shutdownTimeoutMs);
    await serverClosed;
    await stopAuditing();
    await stopHarvesting();
    await stopRecording();
    // What the last jobs changed goes into the store's records before the store closes.
    await records.flush(config.shutdownTimeoutMs).catch((error: unknown) => logger.warn({ err: error }, 'some records are behind the database; the next start writes them'));
    clearTimeout(forced);
    await pipeline.close();
    await services.close();
  };
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    services,
    close: () => (closing ??= close()),
  };
}
