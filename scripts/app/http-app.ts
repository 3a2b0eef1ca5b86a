import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { errorHandler, healthRoutes, notFoundHandler } from '../../repository/index.ts';
import type { Services } from './open-services.ts';

/** The express application: routes of every folder mounted on one server. */
export function createHttpApp(services: Services, logger: Logger): Express {
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
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

function adapterCheck(service: { adapter: string; describe(): string; ping(): Promise<void> }) {
  return { adapter: service.adapter, describe: () => service.describe(), ping: () => service.ping() };
}
