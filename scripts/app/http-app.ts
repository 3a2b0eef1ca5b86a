import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import path from 'node:path';
import { manifestRoutes } from '../../iiif/index.ts';
import { viewerRoutes } from '../../iiif/viewer/viewer.routes.ts';
import { QueueItemProcessing, StorePageIngest } from '../../pipeline/index.ts';
import { createRepositories, errorHandler, healthRoutes, itemRoutes, notFoundHandler } from '../../repository/index.ts';
import type { Config } from '../config.ts';
import type { Services } from './open-services.ts';

/** The express application: routes of every folder mounted on one server. */
export function createHttpApp(config: Config, services: Services, logger: Logger, shutdown: AbortSignal): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    pinoHttp({
      logger,
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      autoLogging: { ignore: (req) => req.url === '/health' },
    }),
  );
  app.use(express.json({ limit: '1mb' }));
  app.use(
    healthRoutes([
      { name: 'storage', ...adapterCheck(services.store) },
      { name: 'database', ...adapterCheck(services.database) },
      { name: 'queue', ...adapterCheck(services.queue) },
    ]),
  );
  app.use(
    itemRoutes({
      repositories: createRepositories(services.database.db),
      store: services.store,
      ingest: new StorePageIngest(services.database, services.store),
      processing: new QueueItemProcessing(services.database, services.queue),
      publicBaseUrl: config.publicBaseUrl,
      spoolDir: path.join(config.dataDir, 'tmp', 'uploads'),
      uploadLimits: { maxFileBytes: config.uploadMaxBytes, maxFiles: 500 },
      progressPollMs: 1000,
      shutdown,
    }),
    manifestRoutes(services.database, services.store),
    viewerRoutes({ publicBaseUrl: config.publicBaseUrl }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

function adapterCheck(service: { adapter: string; describe(): string; ping(): Promise<void> }) {
  return { adapter: service.adapter, describe: () => service.describe(), ping: () => service.ping() };
}
