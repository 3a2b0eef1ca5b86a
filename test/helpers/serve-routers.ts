import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { pino } from 'pino';
import { errorHandler, notFoundHandler } from '../../repository/index.ts';

export interface ServedRouters {
  /** `http://127.0.0.1:PORT`. */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Routers on a loopback express app ended by the product's JSON 404 and error handler: what a
 * router-level test serves (the whole product is `startAppOnFreePort`).
 */
export async function serveRouters(...handlers: RequestHandler[]): Promise<ServedRouters> {
  const app = express();
  app.use(express.json());
  app.use(...handlers);
  app.use(notFoundHandler);
  app.use(errorHandler(pino({ level: 'silent' })));
  const server = app.listen(0, '127.0.0.1');
  // Longer than the clients' idle timeout, as the product's server (scripts/app/application.ts).
  server.keepAliveTimeout = 65_000;
  await once(server, 'listening');
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
