import { readdir } from 'node:fs/promises';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { JobCounts } from '../../pipeline/index.ts';
import { PAGE_STAGES } from '../../repository/index.ts';
import { postJson } from '../helpers/post-json.ts';
import { startPrivateRedis } from '../helpers/private-redis.ts';
import { ADMIN_HEADERS } from '../helpers/running-app.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';
import { testServices } from '../helpers/test-services.ts';
import { startServicesApp, type ServicesApp } from '../helpers/services-app.ts';
import { smallTextPage } from '../helpers/small-text-page.ts';
import { assertStoreIntact } from '../helpers/store-intact.ts';
import { waitFor } from '../helpers/wait-for.ts';

interface PageView {
  id: string;
  seq: number;
  status: string;
  failureReason: string | null;
  stages: Record<string, { status: string; attempts: number } | undefined>;
}

interface ItemView {
  id: string;
  status: string;
  pages: PageView[];
}

/** Every file under a folder, relative paths. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

/** A library, a collection with OCR profile `vie`, and `count` items in it. */
async function registerItems(url: string, slug: string, count: number): Promise<string[]> {
  const api = `${url}/api`;
  const library = await postJson(`${api}/libraries`, { slug, name: 'Thư viện tỉnh Lâm Đồng', province: 'Lâm Đồng', kind: 'provincial' });
  const collection = await postJson(`${api}/collections`, {
    libraryId: library.id,
    slug: 'dia-chi',
    title: 'Địa chí',
    category: 'dia-chi',
    ocrProfile: 'vie',
  });
  const ids: string[] = [];
  for (let index = 1; index <= count; index++) {
    ids.push((await postJson(`${api}/items`, { collectionId: collection.id, identifier: `${slug}-${index}`, title: `Tài liệu ${index}` })).id);
  }
  return ids;
}

function uploadPage(url: string, itemId: string, name: string, bytes: Buffer): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  return fetch(`${url}/api/items/${itemId}/pages`, { method: 'POST', headers: ADMIN_HEADERS, body: form });
}

/** Uploads `count` distinct pages into an item, each accepted; returns the page ids. */
async function uploadPages(url: string, itemId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let seq = 1; seq <= count; seq++) {
    const response = await uploadPage(url, itemId, `${String(seq).padStart(4, '0')}.png`, await smallTextPage(`${itemId.slice(0, 8)} ${seq}`));
    if (response.status !== 202) throw new Error(`upload: ${response.status} ${await response.text()}`);
    ids.push(...((await response.json()) as { pageIds: string[] }).pageIds);
  }
  return ids;
}

function processItem(url: string, itemId: string): Promise<Response> {
  return fetch(`${url}/api/items/${itemId}/process`, { method: 'POST', headers: ADMIN_HEADERS });
}

async function itemView(url: string, itemId: string): Promise<ItemView> {
  return (await (await fetch(`${url}/api/items/${itemId}`, { headers: ADMIN_HEADERS })).json()) as ItemView;
}

/** Waits until every item is digitised or failed; returns their views. */
function settled(url: string, itemIds: string[], timeoutMs: number): Promise<ItemView[]> {
  return waitFor(
    `items ${itemIds.join(', ')} to be digitised or failed`,
    async () => {
      const views = await Promise.all(itemIds.map((id) => itemView(url, id)));
      return views.every((view) => view.status === 'digitised' || view.status === 'failed') ? views : undefined;
    },
    timeoutMs,
  );
}

/** Every item digitised with exactly the pages uploaded, each page done in every stage; the queue holds nothing failed or left over. */
async function assertAllDigitised(t: ExecutionContext, app: ServicesApp, expected: Map<string, string[]>, views: ItemView[]): Promise<void> {
  for (const view of views) {
    const failures = view.pages.filter((page) => page.status !== 'done').map((page) => `${page.seq}: ${page.status} ${page.failureReason ?? ''}`);
    t.is(view.status, 'digitised', `item ${view.id}: ${failures.join('; ')}`);
    t.deepEqual(view.pages.map((page) => page.id).sort(), [...(expected.get(view.id) ?? [])].sort(), `item ${view.id} has exactly the pages uploaded`);
    t.deepEqual(failures, [], `no page of item ${view.id} failed or stayed unfinished`);
    for (const page of view.pages) {
      t.deepEqual(
        PAGE_STAGES.map((stage) => page.stages[stage]?.status),
        PAGE_STAGES.map(() => 'done'),
        `every stage of page ${page.seq} of item ${view.id} is done`,
      );
    }
  }
  // The packaging job is still active for a moment after it marked its item digitised.
  const { queue } = app.application.services;
  const pending = (counts: JobCounts) => counts.waiting + counts.active + counts.delayed + counts['waiting-children'];
  const counts = await waitFor('the queue to empty', async () => {
    const now = await queue.counts();
    return pending(now) === 0 ? now : undefined;
  }, 10_000).catch(() => queue.counts());
  t.is(counts.failed, 0, 'no job failed for good');
  t.is(pending(counts), 0, `no job left over: ${JSON.stringify(counts)}`);
}

test.serial('Redis restarted in the middle of a run: jobs queued and running carry on; nothing lost, nothing duplicated, nothing corrupt', async (t) => {
  t.timeout(150_000);
  const started = Date.now();
  const redis = await startPrivateRedis({ persistent: true });
  let app: ServicesApp | undefined;
  try {
    app = await startServicesApp('e2e_redis_restart', { redisUrl: redis.url });
    const { url } = app;
    const [running, later] = (await registerItems(url, `redis-restart-${Date.now()}`, 2)) as [string, string];
    const expected = new Map([
      [running, await uploadPages(url, running, 8)],
      [later, await uploadPages(url, later, 3)],
    ]);
    t.is((await processItem(url, running)).status, 202);

    // The restart comes once a page is done and jobs are both running and waiting.
    const inStages = (pages: PageView[]) => pages.filter((page) => page.status === 'processing').map((page) => page.id);
    const before = await waitFor('a page done while others run and wait', async () => {
      const pages = (await itemView(url, running)).pages;
      const counts = await app!.application.services.queue.counts();
      const busy = inStages(pages);
      return pages.some((page) => page.status === 'done') && busy.length > 0 && counts.waiting > 0 ? busy : undefined;
    }, 90_000);
    await redis.stop();
    const interrupted = new Set([...before, ...inStages((await itemView(url, running)).pages)]);

    // While Redis is away, asking for processing is refused at once with what to check …
    const refused = await processItem(url, later);
    t.is(refused.status, 503);
    t.regex(((await refused.json()) as { error: { message: string } }).error.message, /Redis at 127\.0\.0\.1:\d+ did not answer .*check that it is running and reachable/);
    // … and Redis stays away until the jobs that were in their stages have finished them and must report it.
    await waitFor('the pages in their stages to finish while Redis is away', async () => {
      const pages = (await itemView(url, running)).pages;
      return [...interrupted].every((id) => pages.find((page) => page.id === id)?.status === 'done');
    }, 60_000);
    await redis.start();
    // The operator asks again once Redis is back (its connection comes back within seconds).
    await waitFor('processing to be accepted again', async () => (await processItem(url, later)).status === 202, 30_000);

    const views = await settled(url, [running, later], 100_000);
    await assertAllDigitised(t, app, expected, views);
    const reruns = views.flatMap((view) => view.pages.flatMap((page) => PAGE_STAGES.filter((stage) => page.stages[stage]?.attempts !== 1).map((stage) => `${page.seq} ${stage}`)));
    t.deepEqual(reruns, [], 'no stage ran twice: a restart of a persistent Redis costs no work');
    await assertStoreIntact(t, app.application.services);
    t.log(`${[...expected.values()].flat().length} pages digitised in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    await app?.close();
    await redis.close();
  }
});

/** What the scan station saw of one page upload. */
interface UploadTry {
  status: number;
  message?: string;
  ms: number;
}

/**
 * A scan station sending `count` pages, one whenever the scanner has made it (every
 * `everyMs`), each retried after 1, 2, 4 … (at most 4) s while the server answers 503.
 */
async function scanStation(url: string, itemId: string, count: number, everyMs: number, tries: UploadTry[], pageIds: string[]): Promise<void> {
  for (let seq = 1; seq <= count; seq++) {
    const bytes = await smallTextPage(`${itemId.slice(0, 8)} ${seq}`);
    for (let retry = 0; ; retry++) {
      const started = Date.now();
      const response = await uploadPage(url, itemId, `${String(seq).padStart(4, '0')}.png`, bytes);
      const body = (await response.json()) as { pageIds?: string[]; error?: { message: string } };
      tries.push({ status: response.status, message: body.error?.message, ms: Date.now() - started });
      if (response.status === 202) {
        pageIds.push(...(body.pageIds ?? []));
        break;
      }
      if (response.status !== 503) throw new Error(`upload of page ${seq}: ${response.status} ${JSON.stringify(body)}`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000 * 2 ** retry, 4_000)));
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

const OUTAGE_MS = 30_000;

test.serial('the S3 server stopped for 30 s during uploads and processing: uploads get a clear 503, jobs wait; work resumes when it returns; nothing lost, nothing duplicated, nothing corrupt', async (t) => {
  t.timeout(210_000);
  const started = Date.now();
  const redis = await startPrivateRedis();
  const s3 = await startTcpProxy(new URL(testServices().s3Endpoint));
  let app: ServicesApp | undefined;
  try {
    app = await startServicesApp('e2e_s3_outage', { redisUrl: redis.url, s3Endpoint: s3.url });
    const { url } = app;
    const [processed, scanned] = (await registerItems(url, `s3-outage-${Date.now()}`, 2)) as [string, string];
    const expected = new Map([[processed, await uploadPages(url, processed, 8)]]);
    t.is((await processItem(url, processed)).status, 202);
    await waitFor('a page done while others run and wait', async () => {
      const done = (await itemView(url, processed)).pages.some((page) => page.status === 'done');
      const counts = await app!.application.services.queue.counts();
      return done && counts.active > 0 && counts.waiting > 0;
    }, 90_000);

    // Meanwhile the station sends the pages of the other document, one every second.
    const tries: UploadTry[] = [];
    const scannedIds: string[] = [];
    const station = scanStation(url, scanned, 8, 1_000, tries, scannedIds);
    station.catch(() => undefined);

    // The store stops once the station's pages are arriving and jobs are still running.
    await waitFor('uploads and processing under way', async () => scannedIds.length > 0 && (await app!.application.services.queue.counts()).active > 0, 30_000);
    await s3.stop();
    const stoppedAt = Date.now();
    const refusedFrom = tries.length;
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await s3.start();
    const refused = tries.slice(refusedFrom).filter((attempt) => attempt.status !== 202);
    t.log(`store away ${Date.now() - stoppedAt} ms; ${refused.length} uploads refused meanwhile, each within ${Math.max(...refused.map((attempt) => attempt.ms))} ms`);

    // Uploads during the outage: refused at once (no hang) with a 503 that says what to check.
    t.true(refused.length > 0, 'the station tried to upload while the store was away');
    for (const attempt of refused) {
      t.is(attempt.status, 503);
      t.regex(attempt.message ?? '', /object store at http:\/\/127\.0\.0\.1:\d+ did not answer.*check that it is running and reachable/);
      t.true(attempt.ms < 10_000, `refused after ${attempt.ms} ms`);
    }

    await station;
    expected.set(scanned, scannedIds);
    t.is((await processItem(url, scanned)).status, 202);
    const views = await settled(url, [processed, scanned], 120_000);
    await assertAllDigitised(t, app, expected, views);
    t.is(scannedIds.length, 8, 'each page the station sent is one page, however often it was retried');
    const retried = views[0]!.pages.filter((page) => PAGE_STAGES.some((stage) => (page.stages[stage]?.attempts ?? 0) > 1));
    t.true(retried.length > 0, 'jobs did hit the outage and were run again');
    await assertStoreIntact(t, app.application.services);
    t.deepEqual(await filesUnder(path.join(app.dataDir, 'tmp')), [], 'no spooled upload or work file left behind');
    t.log(`${[...expected.values()].flat().length} pages digitised in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    await app?.close();
    await s3.close();
    await redis.close();
  }
});
