import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';
import { pino } from 'pino';
import { startApplication, type Application } from '../../scripts/app/application.ts';
import { loadConfig } from '../../scripts/config.ts';
import { freePort } from '../helpers/running-app.ts';
import { errorCode, harvestAll, NAMESPACE, OAI, oaiRequest, resumptionToken, seedCatalogue, texts } from './oai-fixture.ts';

const HARVESTER = fileURLToPath(new URL('harvest-with-http-oai.pl', import.meta.url));

async function start(dataDir: string): Promise<{ application: Application; baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: baseUrl,
    OAI_PAGE_SIZE: '3',
    OAI_REPOSITORY_IDENTIFIER: NAMESPACE,
    FIXITY_INTERVAL_MINUTES: '0',
  });
  return { application: await startApplication(config, pino({ level: 'silent' })), baseUrl };
}

test('a resumption token outlives a restart; HTTP::OAI harvests everything over 4 pages and counts as we do', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'oai-restart-'));
  try {
    const first = await start(dataDir);
    let token: string;
    let firstPage: string[];
    try {
      await seedCatalogue(first.application.services.database.db);
      const response = await oaiRequest(first.baseUrl, { verb: 'ListIdentifiers', metadataPrefix: 'oai_dc' });
      firstPage = texts(response.document, OAI, 'identifier');
      token = resumptionToken(response.document)!.textContent!;
    } finally {
      await first.application.close();
    }

    const second = await start(dataDir);
    try {
      const resumed = await oaiRequest(second.baseUrl, { verb: 'ListIdentifiers', resumptionToken: token });
      t.is(errorCode(resumed.document), undefined, resumed.text);
      t.is(resumptionToken(resumed.document)!.getAttribute('cursor'), '3');
      const rest = texts(resumed.document, OAI, 'identifier');
      t.is(rest.length, 3);
      t.deepEqual(rest.filter((identifier) => firstPage.includes(identifier)), [], 'continues where it stopped');

      const ours = (await harvestAll(second.baseUrl, 'ListRecords', { metadataPrefix: 'oai_dc' })).headers.map((header) => texts(header, OAI, 'identifier')[0]!);
      const { stdout } = await promisify(execFile)('perl', [HARVESTER, `${second.baseUrl}/oai`, 'oai_dc'], { timeout: 60_000 });
      const lines = stdout.trim().split('\n');
      t.is(lines.at(-1), 'pages 4');
      const theirs = lines.slice(0, -1).map((line) => line.split(' ')[1]!);
      t.true(lines.slice(0, -1).every((line) => line.startsWith('live ')));
      t.is(theirs.length, 10);
      t.deepEqual([...theirs].sort(), [...ours].sort());
    } finally {
      await second.application.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
