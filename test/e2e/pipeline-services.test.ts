import test from 'ava';
import { startServicesApp } from '../helpers/services-app.ts';
import { testServices } from '../helpers/test-services.ts';
import { runPipelineScenario } from './pipeline-scenario.ts';

test('services (PostgreSQL, S3 on s3rver, BullMQ on Redis): upload → digitised with master, skew, OCR, PDF, manifest', async (t) => {
  // Other test files run pipelines on the same Redis: a queue prefix of its own keeps their workers off these jobs.
  const prefix = `e2e_${process.pid}_${Date.now().toString(36)}`;
  const app = await startServicesApp('e2e_services', { redisUrl: testServices().redisUrl }, { REDIS_PREFIX: prefix });
  try {
    const { database, store, queue } = app.application.services;
    t.is(database.adapter, 'postgres');
    t.is(store.adapter, 's3');
    t.is(queue.adapter, 'bullmq');
    await runPipelineScenario(t, { url: app.url, store });
  } finally {
    await app.close();
  }
});
