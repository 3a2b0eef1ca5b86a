import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { startApplication, type Application } from '../../scripts/app/application.ts';
import { loadConfig } from '../../scripts/config.ts';
import { TEST_ADMIN_TOKEN } from './running-app.ts';
import { testServices } from './test-services.ts';

export interface ServicesApp {
  application: Application;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Its DATA_DIR (spool and work folders). */
  dataDir: string;
  /** Stops the app, drops its schema and removes its data folder. */
  close(): Promise<void>;
}

/**
 * The product in its production setup (PostgreSQL in a schema of its own, BullMQ on
 * `redisUrl`, S3 at `s3Endpoint` in a bucket of its own), running jobs in the server process
 * (`WORKER_CONCURRENCY` 2), started as `npm start` would be.
 */
export async function startServicesApp(
  prefix: string,
  services: { redisUrl: string; s3Endpoint?: string },
  env: Record<string, string> = {},
): Promise<ServicesApp> {
  const shared = testServices();
  const unique = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  const config = loadConfig({
    BOOTSTRAP_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    WORKER_CONCURRENCY: '2',
    FIXITY_INTERVAL_MINUTES: '0',
    DATABASE_URL: shared.databaseUrl,
    DATABASE_SCHEMA: unique,
    REDIS_URL: services.redisUrl,
    S3_ENDPOINT: services.s3Endpoint ?? shared.s3Endpoint,
    S3_ACCESS_KEY: shared.s3AccessKey,
    S3_SECRET_KEY: shared.s3SecretKey,
    S3_BUCKET: unique.replaceAll('_', '-'),
    ...env,
  });
  const dropSchema = async () => {
    const admin = new pg.Client({ connectionString: shared.databaseUrl });
    await admin.connect();
    try {
      await admin.query(`drop schema if exists ${unique} cascade`);
    } finally {
      await admin.end();
    }
  };
  let application: Application;
  try {
    application = await startApplication(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
  } catch (error) {
    await dropSchema().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    application,
    url: application.url,
    dataDir,
    close: async () => {
      try {
        await application.close();
      } finally {
        await dropSchema();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
