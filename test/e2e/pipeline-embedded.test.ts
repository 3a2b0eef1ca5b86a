import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { TEST_ADMIN_TOKEN } from '../helpers/running-app.ts';
import { pino } from 'pino';
import { startApplication } from '../../scripts/app/application.ts';
import { loadConfig } from '../../scripts/config.ts';
import { runPipelineScenario } from './pipeline-scenario.ts';

test('embedded (PGlite, filesystem store, in-process jobs): upload → digitised with master, skew, OCR, PDF, manifest', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'e2e-embedded-'));
  const config = loadConfig({
    BOOTSTRAP_ADMIN_TOKEN: TEST_ADMIN_TOKEN, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', WORKER_CONCURRENCY: '2' });
  const application = await startApplication(config, pino({ level: 'warn' }));
  try {
    t.is(application.services.database.adapter, 'pglite');
    t.is(application.services.store.adapter, 'filesystem');
    t.is(application.services.queue.adapter, 'in-process');
    await runPipelineScenario(t, { url: application.url, store: application.services.store });
  } finally {
    await application.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
