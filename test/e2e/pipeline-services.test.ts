import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { TEST_ADMIN_TOKEN } from '../helpers/running-app.ts';
import pg from 'pg';
import { pino } from 'pino';
import { startApplication } from '../../scripts/app/application.ts';
import { loadConfig } from '../../scripts/config.ts';
import { testServices } from '../helpers/test-services.ts';
import { runPipelineScenario } from './pipeline-scenario.ts';

test('services (PostgreSQL, S3 on s3rver, BullMQ on Redis): upload → digitised with master, skew, OCR, PDF, manifest', async (t) => {
  const services = testServices();
  const unique = `e2e_${process.pid}_${Date.now().toString(36)}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'e2e-services-'));
  const config = loadConfig({
    BOOTSTRAP_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    WORKER_CONCURRENCY: '2',
    DATABASE_URL: services.databaseUrl,
    DATABASE_SCHEMA: unique,
    REDIS_URL: services.redisUrl,
    // Other test files run pipelines on the same Redis: their workers must not take these jobs.
    REDIS_PREFIX: unique,
    S3_ENDPOINT: services.s3Endpoint,
    S3_ACCESS_KEY: services.s3AccessKey,
    S3_SECRET_KEY: services.s3SecretKey,
    S3_BUCKET: unique.replaceAll('_', '-'),
  });
  const application = await startApplication(config, pino({ level: 'warn' }));
  try {
    t.is(application.services.database.adapter, 'postgres');
    t.is(application.services.store.adapter, 's3');
    t.is(application.services.queue.adapter, 'bullmq');
    await runPipelineScenario(t, { url: application.url, store: application.services.store });
  } finally {
    await application.close();
    const admin = new pg.Client({ connectionString: services.databaseUrl });
    await admin.connect();
    await admin.query(`drop schema if exists ${unique} cascade`);
    await admin.end();
    await rm(dataDir, { recursive: true, force: true });
  }
});
