/**
 * `npx tsx scripts/bench-ingest.ts [--pages N] [--dir FOLDER] [--big]`
 *
 * Ingests pages end to end on the embedded stack (PGlite, filesystem store, in-process jobs,
 * one process): upload over HTTP, process, wait until the item is digitised. Prints pages per
 * minute, the time per stage, and the process's peak memory (server and worker are the same
 * process here, so that is the worker's peak). Pages are generated 300-dpi A4 pages of
 * Vietnamese text with a small skew (or the image files of `--dir`); `--big` adds one
 * 10000×14000 px master.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import sharp from 'sharp';
import { renderTextPage, rotateContent } from '../test/pipeline/deskew-helpers/text-page.ts';
import { startApplication } from './app/application.ts';
import { loadConfig } from './config.ts';

/** The bench works as the first administrator, whom the product creates from this token. */
const ADMIN_TOKEN = `tvs_bench-ingest-${randomBytes(16).toString('hex')}`;
const AS_ADMIN = { authorization: `Bearer ${ADMIN_TOKEN}` };

const { values } = parseArgs({
  options: { pages: { type: 'string', default: '6' }, dir: { type: 'string' }, big: { type: 'boolean', default: false } },
});

async function generatedPages(count: number): Promise<Buffer[]> {
  const pages = [];
  for (let index = 0; index < count; index++) {
    const upright = await renderTextPage({ width: 2480, height: 3508, fontSize: 42, seed: index + 1 });
    const skewed = await rotateContent(upright, ((index % 5) - 2) * 0.7);
    pages.push(await sharp(skewed).withMetadata({ density: 300 }).tiff({ compression: 'deflate' }).toBuffer());
  }
  return pages;
}

async function bigMaster(): Promise<Buffer> {
  const page = await renderTextPage({ width: 2500, height: 3500, fontSize: 42, seed: 99 });
  return sharp(page)
    .resize(10_000, 14_000)
    .withMetadata({ density: 1200 })
    .jpeg({ quality: 85 })
    .toBuffer();
}

async function main(): Promise<void> {
  const pages = values.dir
    ? await Promise.all((await readdir(values.dir)).sort().map((name) => readFile(path.join(values.dir!, name))))
    : await generatedPages(Number(values.pages));
  if (values.big) pages.push(await bigMaster());

  const stageLog: { stage?: string; durationMs?: number; msg?: string }[] = [];
  const capture = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line.includes('durationMs')) stageLog.push(JSON.parse(line));
      callback();
    },
  });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-ingest-'));
  const application = await startApplication(
    loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN, BOOTSTRAP_ADMIN_PASSWORD: randomBytes(18).toString('base64url') }),
    pino({ level: 'info' }, capture),
  );
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    const api = `${application.url}/api`;
    const post = async (url: string, body: unknown) =>
      (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...AS_ADMIN }, body: JSON.stringify(body) })).json()) as {
        id: string;
      };
    const library = await post(`${api}/libraries`, { slug: 'bench', name: 'Thư viện đo', province: 'Hà Nội', kind: 'provincial' });
    const collection = await post(`${api}/collections`, { libraryId: library.id, slug: 'bench', title: 'Đo', category: 'other' });
    const item = await post(`${api}/items`, { collectionId: collection.id, identifier: 'BENCH-1', title: 'Đo tốc độ' });

    const uploadStart = performance.now();
    for (const [index, bytes] of pages.entries()) {
      const form = new FormData();
      form.append('file', new Blob([bytes]), `${String(index + 1).padStart(4, '0')}.tif`);
      const response = await fetch(`${api}/items/${item.id}/pages`, { method: 'POST', headers: AS_ADMIN, body: form });
      if (response.status !== 202) throw new Error(`upload ${index + 1}: ${response.status} ${await response.text()}`);
    }
    const uploadMs = performance.now() - uploadStart;

    const processStart = performance.now();
    await fetch(`${api}/items/${item.id}/process`, { method: 'POST', headers: AS_ADMIN });
    let status = '';
    while (!['digitised', 'failed'].includes(status)) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = ((await (await fetch(`${api}/items/${item.id}`, { headers: AS_ADMIN })).json()) as { status: string }).status;
    }
    const processMs = performance.now() - processStart;
    if (status !== 'digitised') throw new Error('the item failed: see the page failure reasons');

    const perStage = new Map<string, number[]>();
    for (const entry of stageLog) {
      const stage = entry.stage ?? (entry.msg === 'item digitised' ? 'package (PDF + manifest)' : undefined);
      if (stage && entry.durationMs !== undefined) perStage.set(stage, [...(perStage.get(stage) ?? []), entry.durationMs]);
    }
    const totalStageMs = [...perStage.values()].flat().reduce((sum, ms) => sum + ms, 0);
    console.log(`pages: ${pages.length}${values.big ? ' (last one 10000×14000 px)' : ''}, cores: ${os.availableParallelism()}`);
    console.log(`upload: ${(uploadMs / 1000).toFixed(1)} s; processing until digitised: ${(processMs / 1000).toFixed(1)} s`);
    console.log(`throughput: ${((pages.length / processMs) * 60_000).toFixed(1)} pages/min`);
    console.log('stage                      total s   mean s/page   share');
    for (const [stage, durations] of perStage) {
      const total = durations.reduce((sum, ms) => sum + ms, 0);
      console.log(
        `${stage.padEnd(26)} ${(total / 1000).toFixed(1).padStart(7)}   ${(total / durations.length / 1000).toFixed(2).padStart(11)}   ${((100 * total) / totalStageMs).toFixed(1).padStart(5)}%`,
      );
    }
    console.log(`peak RSS of the process (server + worker): ${(peakRss / 1024 ** 2).toFixed(0)} MiB`);
  } finally {
    clearInterval(sampler);
    await application.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
