import { createHash, randomBytes } from 'node:crypto';
import { access, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import sharp from 'sharp';
import { QUEUE_DEFAULTS } from '../../pipeline/index.ts';
import { pageJobId } from '../../pipeline/jobs/pipeline-jobs.ts';
import { PAGE_STAGES, type Database, type PageStage, type PageStages } from '../../repository/index.ts';
import { openObjectStore, openServices, type Services } from '../../scripts/app/open-services.ts';
import { loadConfig } from '../../scripts/config.ts';
import { postJson } from '../helpers/post-json.ts';
import { ADMIN_HEADERS, TEST_ADMIN_TOKEN } from '../helpers/running-app.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { assertStoreIntact } from '../helpers/store-intact.ts';
import { testServices } from '../helpers/test-services.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { spawnWorkerProcess, type WorkerProcess } from '../helpers/worker-process.ts';

/** Where a kill can land: a page stage, or the packaging of a document (PDF, manifest, digitised). */
type CrashStage = PageStage | 'package';
const CRASH_STAGES: readonly CrashStage[] = [...PAGE_STAGES, 'package'];

interface ItemView {
  id: string;
  status: string;
  pages: { id: string; seq: number; status: string; stages: PageStages; master: { sha256: string } }[];
}

interface Upload {
  itemId: string;
  /** sha256 of each page file uploaded, in order. */
  files: string[];
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small page scan (600 × 800 at 300 dpi) of Vietnamese text that names the page, so that every page is another file. */
async function textPage(label: string): Promise<Buffer> {
  const lines = [label, 'Thư viện tỉnh lưu giữ tài liệu địa chí.', 'Đắk Nông có sách cũ được số hoá.', 'Người đọc tìm văn bản không dấu.'];
  const texts = lines.map((line, index) => `<text x="40" y="${90 + index * 60}">${line}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="800"><rect width="100%" height="100%" fill="#fff"/><g font-family="DejaVu Serif" font-size="26" fill="#000">${texts}</g></svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).greyscale().withMetadata({ density: 300 }).png().toBuffer();
}

async function getItem(url: string, itemId: string): Promise<ItemView> {
  const response = await fetch(`${url}/api/items/${itemId}`, { headers: ADMIN_HEADERS });
  if (response.status !== 200) throw new Error(`GET item ${itemId}: ${response.status} ${await response.text()}`);
  return (await response.json()) as ItemView;
}

/** A new library and collection (OCR profile `vie`); returns the collection's id. */
async function createCollection(url: string, slug: string): Promise<string> {
  const library = await postJson(`${url}/api/libraries`, { slug, name: 'Thư viện tỉnh', province: 'Đắk Nông', kind: 'provincial' });
  const collection = await postJson(`${url}/api/collections`, {
    libraryId: library.id, slug: 'dia-chi', title: 'Địa chí', category: 'dia-chi', ocrProfile: 'vie',
  });
  return collection.id;
}

async function createItem(url: string, collectionId: string, identifier: string): Promise<string> {
  return (await postJson(`${url}/api/items`, { collectionId, identifier, title: `Tài liệu ${identifier}` })).id;
}

/** POSTs page files to a document; resolves with the response (rejects when the server dies meanwhile). */
function uploadPages(url: string, itemId: string, pages: Buffer[]): Promise<Response> {
  const form = new FormData();
  for (const [index, page] of pages.entries()) form.append('file', new Blob([page]), `${index + 1}.png`);
  return fetch(`${url}/api/items/${itemId}/pages`, { method: 'POST', headers: ADMIN_HEADERS, body: form });
}

/** Registers one document per entry of `pageCounts` in a new collection and uploads its pages. */
async function uploadDocuments(url: string, slug: string, pageCounts: number[]): Promise<Upload[]> {
  const collectionId = await createCollection(url, slug);
  const uploads: Upload[] = [];
  for (const [index, count] of pageCounts.entries()) {
    const itemId = await createItem(url, collectionId, `${slug}-${index + 1}`);
    const pages: Buffer[] = [];
    for (let seq = 1; seq <= count; seq++) pages.push(await textPage(`Tài liệu ${index + 1}, trang ${seq}`));
    const response = await uploadPages(url, itemId, pages);
    if (response.status !== 202) throw new Error(`upload to ${itemId}: ${response.status} ${await response.text()}`);
    uploads.push({ itemId, files: pages.map(sha256) });
  }
  return uploads;
}

/** What the worker is doing at this instant, from the queue (which job) and the database (which stage). */
interface Activity {
  jobId: string;
  stage: CrashStage;
  /** The page or the document the job works on. */
  subject: string;
}

/**
 * The jobs running now that were never hit by a kill, with the stage each is in: a page job
 * with its stage in `running`, or a packaging job whose document is not yet digitised. Cheap
 * while nothing new runs (one Redis command), so it can be asked every few milliseconds.
 */
async function currentActivity(redis: Redis, queue: Queue, database: Database, killed: ReadonlySet<string>): Promise<Activity[]> {
  const activeIds = (await redis.lrange(queue.toKey('active'), 0, -1)).filter((id) => !killed.has(id));
  const activities: Activity[] = [];
  for (const id of activeIds) {
    const job = await queue.getJob(id);
    if (job === undefined) continue; // finished meanwhile
    if (job.name === 'package-item') {
      const itemId = (job.data as { itemId: string }).itemId;
      const item = await database.db.selectFrom('items').select('status').where('id', '=', itemId).executeTakeFirstOrThrow();
      if (item.status !== 'digitised') activities.push({ jobId: id, stage: 'package', subject: itemId });
    } else {
      const pageId = (job.data as { pageId: string }).pageId;
      const page = await database.db.selectFrom('pages').select('stages').where('id', '=', pageId).executeTakeFirstOrThrow();
      const stage = PAGE_STAGES.find((name) => page.stages[name]?.status === 'running');
      if (stage !== undefined) activities.push({ jobId: id, stage, subject: pageId });
    }
  }
  return activities;
}

/**
 * Fails at once, rather than at the deadline, when no page is left that a kill may still hit
 * while stage kills are missing (every other page done, hit before, or spared).
 */
async function assertPagesLeftToKill(
  database: Database,
  state: { killed: ReadonlySet<string>; spared: ReadonlySet<string>; stagesLeft: readonly PageStage[] },
): Promise<void> {
  if (state.stagesLeft.length === 0) return;
  const pages = await database.db.selectFrom('pages').select(['id', 'status']).execute();
  const fresh = pages.filter((page) => page.status !== 'done' && !state.spared.has(page.id) && !state.killed.has(pageJobId(page.id)));
  if (fresh.length === 0) throw new Error(`no page is left to kill in ${state.stagesLeft.join(', ')}: too many kills missed their moment`);
}

/** Deletes every key of this test's queue. */
async function clearQueueKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

const KILLS = 20;
const KILLS_PER_STAGE = KILLS / CRASH_STAGES.length;

test('the worker is killed (SIGKILL) 20 times in the middle of its stages: after restarts every document is digitised, nothing lost, duplicated or corrupt', async (t) => {
  t.timeout(720_000);
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  const services = testServices();
  const unique = `fault_crash_${process.pid}_${randomBytes(3).toString('hex')}`;
  // A queue prefix of its own: other tests run workers on the same Redis that would take (and
  // fail) jobs of a schema they do not know.
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE_DEFAULTS.queueName, { connection: redis, prefix: unique });
  const serverDir = await mkdtemp(path.join(os.tmpdir(), 'fault-crash-server-'));
  const workerDir = await mkdtemp(path.join(os.tmpdir(), 'fault-crash-worker-'));
  const env = {
    BOOTSTRAP_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    DATABASE_URL: services.databaseUrl,
    DATABASE_SCHEMA: unique,
    REDIS_URL: services.redisUrl,
    REDIS_PREFIX: unique,
    S3_ENDPOINT: services.s3Endpoint,
    S3_ACCESS_KEY: services.s3AccessKey,
    S3_SECRET_KEY: services.s3SecretKey,
    S3_BUCKET: unique.replaceAll('_', '-'),
    // One job at a time: each kill hits exactly one job, known from the queue.
    WORKER_CONCURRENCY: '1',
    FIXITY_INTERVAL_MINUTES: '0',
  };
  const server = await startServerProcess({ ...env, DATA_DIR: serverDir, SERVER_RUNS_JOBS: 'false' });
  let view: Services | undefined;
  let worker: WorkerProcess | undefined;
  try {
    view = await openServices(loadConfig({ ...env, DATA_DIR: serverDir }), pino({ level: 'warn' }));
    const { database } = view;
    // Four one-page documents first: their packaging, which follows their page at once, is
    // killed (their page is left alone); then four documents of five pages, sixteen of which are
    // killed at a stage (four per stage; four spare pages for kills that miss their moment).
    const uploads = await uploadDocuments(server.url, `fault-crash-${process.pid}`, [1, 1, 1, 1, 5, 5, 5, 5]);
    const onePageItems = uploads.filter((upload) => upload.files.length === 1).map((upload) => upload.itemId);
    const spared = new Set((await database.db.selectFrom('pages').select('id').where('item_id', 'in', onePageItems).execute()).map((row) => row.id));
    t.log(`${uploads.length} documents uploaded after ${elapsed()}`);

    for (const { itemId } of uploads) {
      const response = await fetch(`${server.url}/api/items/${itemId}/process`, { method: 'POST', headers: ADMIN_HEADERS });
      t.is(response.status, 202);
    }

    // The kills. Each job is hit at most once: BullMQ fails a job taken back from dead workers
    // more than once (maxStalledCount 1), by design, against jobs that crash their worker.
    // The worker is watched from its spawn on, so that its first job's short validation is seen.
    const workerEnv = { ...env, DATA_DIR: workerDir };
    worker = spawnWorkerProcess(workerEnv);
    const killed = new Set<string>();
    const landed: (Activity & { at: string })[] = [];
    const remaining = (stage: CrashStage) => KILLS_PER_STAGE - landed.filter((kill) => kill.stage === stage).length;
    const wanted = (activity: Activity) => remaining(activity.stage) > 0 && !spared.has(activity.subject);
    let misses = 0;
    let lastSupplyCheck = Date.now();
    const killDeadline = Date.now() + 420_000;
    while (landed.length < KILLS) {
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) {
        throw new Error(`the worker died by itself: ${JSON.stringify(worker.logs.slice(-10))}`);
      }
      if (Date.now() > killDeadline) throw new Error(`only ${landed.length} kills landed in time: ${JSON.stringify(landed)}`);
      const seen = (await currentActivity(redis, queue, database, killed)).find(wanted);
      if (seen === undefined) {
        if (Date.now() - lastSupplyCheck > 2_000) {
          lastSupplyCheck = Date.now();
          await assertPagesLeftToKill(database, { killed, spared, stagesLeft: PAGE_STAGES.filter((stage) => remaining(stage) > 0) });
        }
        await sleep(5);
        continue;
      }
      // Freeze the worker, let its writes in flight land, and look again: kill only a worker
      // that is, still, in the middle of a stage we want.
      const pid = worker.child.pid!;
      process.kill(pid, 'SIGSTOP');
      await sleep(100);
      const frozen = (await currentActivity(redis, queue, database, killed)).find(wanted);
      if (frozen === undefined) {
        process.kill(pid, 'SIGCONT');
        continue;
      }
      await worker.stop('SIGKILL');
      // What was active when the worker died stays active (its lock outlives it): every such job was hit.
      for (const id of await redis.lrange(queue.toKey('active'), 0, -1)) killed.add(id);
      // Confirmed after death: a stage still `running` (a package job's document still not digitised) was cut in the middle.
      const after = await currentActivity(redis, queue, database, new Set());
      if (after.some((activity) => activity.jobId === frozen.jobId && activity.stage === frozen.stage)) {
        landed.push({ ...frozen, at: elapsed() });
      } else {
        misses++;
      }
      worker = spawnWorkerProcess(workerEnv);
    }
    await worker.ready;
    const perStage = CRASH_STAGES.map((stage) => `${stage} ${landed.filter((kill) => kill.stage === stage).length}`).join(', ');
    t.log(`${KILLS} kills landed in the middle of a stage by ${elapsed()} (${perStage}; ${misses} missed): ${landed.map((kill) => `${kill.at} ${kill.stage}`).join(', ')}`);

    const items = await waitFor(
      'every document to be digitised or failed',
      async () => {
        const views = await Promise.all(uploads.map((upload) => getItem(server.url, upload.itemId)));
        return views.every((item) => item.status === 'digitised' || item.status === 'failed') ? views : undefined;
      },
      240_000,
    );
    t.log(`every document settled after ${elapsed()}`);
    t.is(await worker.stop('SIGTERM'), 0, 'the last worker stops cleanly');
    // Each start removed the spools and work folders of the workers killed before it.
    t.deepEqual(await readdir(path.join(workerDir, 'tmp'), { recursive: true }), ['work'], 'nothing left in the worker\'s DATA_DIR/tmp');
    await checkOutcome(t, { items, uploads, database, queue: view.queue, landed });
    await assertStoreIntact(t, view);
    for (const stage of CRASH_STAGES) {
      t.true(landed.filter((kill) => kill.stage === stage).length >= 1, `at least one kill in the middle of ${stage}`);
    }
    t.is(landed.length, KILLS);
  } finally {
    await worker?.stop('SIGKILL');
    await server.stop();
    await queue.close();
    await view?.close();
    await clearQueueKeys(redis, unique);
    redis.disconnect();
    const admin = new pg.Client({ connectionString: services.databaseUrl });
    await admin.connect();
    await admin.query(`drop schema if exists ${unique} cascade`);
    await admin.end();
    await rm(serverDir, { recursive: true, force: true });
    await rm(workerDir, { recursive: true, force: true });
  }
});

/** Every document digitised, every page done once from the file uploaded, every job settled. */
async function checkOutcome(
  t: ExecutionContext,
  run: { items: ItemView[]; uploads: Upload[]; database: Database; queue: Services['queue']; landed: Activity[] },
): Promise<void> {
  const { items, uploads, database, queue, landed } = run;
  for (const [index, item] of items.entries()) {
    const stuck = item.pages.filter((page) => page.status !== 'done').map((page) => ({ seq: page.seq, status: page.status, stages: page.stages }));
    t.deepEqual(stuck, [], `document ${index + 1}: no page failed, pending or still processing`);
    t.is(item.status, 'digitised', `document ${index + 1} digitised`);
    t.deepEqual(item.pages.map((page) => page.master.sha256), uploads[index]!.files, `document ${index + 1}: one page per file uploaded, in order`);
  }
  const pageCount = uploads.reduce((sum, upload) => sum + upload.files.length, 0);
  const objects = await database.db.selectFrom('stored_objects').select(['kind', sql<number>`count(*)::int`.as('count')]).groupBy('kind').execute();
  const byKind = Object.fromEntries(objects.map((row) => [row.kind, row.count]));
  const perPage = { master: pageCount, pyramid: pageCount, thumb: pageCount, print: pageCount, text: pageCount, hocr: pageCount, ocr: pageCount };
  t.deepEqual(byKind, { ...perPage, pdf: uploads.length, manifest: uploads.length }, 'each object once: one per page and kind, one PDF and manifest per document');
  // A page killed in a stage ran it again: the kill was in the middle of it, not after.
  const pages = await database.db.selectFrom('pages').select(['id', 'stages']).execute();
  for (const kill of landed) {
    if (kill.stage === 'package') continue;
    const page = pages.find((row) => row.id === kill.subject);
    t.true((page?.stages[kill.stage]?.attempts ?? 0) >= 2, `page killed in ${kill.stage} ran it again`);
  }
  const counts = await queue.counts();
  t.like(counts, { waiting: 0, active: 0, delayed: 0, 'waiting-children': 0, failed: 0 }, 'every job settled');
  const unsettled = await sql<{ n: number }>`select count(*)::int as n from jobs where status <> 'completed'`.execute(database.db);
  t.is(unsettled.rows[0]?.n, 0, 'no unsettled job in the database');
}

/** A big page scan: 3400 × 3400 RGB text stored uncompressed (PNG level 0), about 35 MB, so that writing it takes a while. */
async function bigPage(): Promise<Buffer> {
  const lines = ['Trang lớn', 'Thư viện tỉnh lưu giữ tài liệu địa chí.', 'Đắk Nông có sách cũ được số hoá.'];
  const texts = lines.map((line, index) => `<text x="200" y="${400 + index * 160}">${line}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="3400" height="3400"><rect width="100%" height="100%" fill="#fff"/><g font-family="DejaVu Serif" font-size="90" fill="#000">${texts}</g></svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).withMetadata({ density: 300 }).png({ compressionLevel: 0 }).toBuffer();
}

/** Names and sizes of the files in a folder (none when the folder is missing). */
async function filesIn(folder: string): Promise<{ name: string; size: number }[]> {
  const names = await readdir(folder).catch(() => []);
  const files = await Promise.all(names.map(async (name) => ({ name, size: (await stat(path.join(folder, name)).catch(() => undefined))?.size })));
  return files.filter((file): file is { name: string; size: number } => file.size !== undefined);
}

/** What lies in DATA_DIR/tmp (spools, work folders) that the live server `pid` did not make: left by a dead one. */
async function scratchOfOthers(dataDir: string, pid: number): Promise<string[]> {
  const entries = await readdir(path.join(dataDir, 'tmp'), { recursive: true, withFileTypes: true }).catch(() => []);
  const tmp = path.join(dataDir, 'tmp');
  return entries
    .map((entry) => path.relative(tmp, path.join(entry.parentPath, entry.name)))
    .filter((relative) => !['uploads', 'work'].includes(relative) && !relative.split(path.sep).some((part) => part.startsWith(`${pid}-`)));
}

const exists = (file: string) => access(file).then(() => true, () => false);

/** Polls `moment` (about every millisecond) and kills the server with SIGKILL as soon as it holds. */
async function killAt(server: ServerProcess, what: string, moment: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await moment())) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) throw new Error(`the server exited before ${what}: ${JSON.stringify(server.logs.slice(-5))}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(1);
  }
  await server.stop('SIGKILL');
}

/** Every master file is whole: masters are keyed by their sha256, so a torn one would not hash to its name. */
async function assertMastersWhole(t: ExecutionContext, masters: string, moment: string): Promise<void> {
  const entries = await readdir(masters, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries.filter((candidate) => candidate.isFile())) {
    const bytes = await readFile(path.join(entry.parentPath, entry.name));
    t.is(sha256(bytes), entry.name.replace(/\.[a-z]+$/, ''), `${moment}: master ${entry.name} is whole`);
  }
}

test('the server is killed (SIGKILL) while it writes objects: no torn object, no temporary file left, the document then completes', async (t) => {
  t.timeout(240_000);
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fault-crash-write-'));
  const objects = path.join(dataDir, 'objects');
  const temps = path.join(objects, '.tmp');
  const env = { DATA_DIR: dataDir, BOOTSTRAP_ADMIN_TOKEN: TEST_ADMIN_TOKEN, FIXITY_INTERVAL_MINUTES: '0', WORKER_CONCURRENCY: '1' };
  let server = await startServerProcess(env);
  let view: Services | undefined;
  try {
    const itemId = await createItem(server.url, await createCollection(server.url, 'fault-write'), 'fault-write-1');
    const big = await bigPage();
    const small = [await textPage('Trang hai'), await textPage('Trang ba')];
    const bigMaster = path.join(objects, 'masters', itemId, `${sha256(big)}.png`);
    /** Starts the killed server again on the same data and checks what the kill may have left. */
    const restart = async (moment: string) => {
      server = await startServerProcess(env);
      t.deepEqual(await filesIn(temps), [], `${moment}: no temporary file left in objects/.tmp after the restart`);
      t.deepEqual(await scratchOfOthers(dataDir, server.child.pid!), [], `${moment}: no spool or work folder of the killed server left in DATA_DIR/tmp`);
      await assertMastersWhole(t, path.join(objects, 'masters'), moment);
    };

    // 1. In the middle of writing a master: its temporary file half written.
    let upload = uploadPages(server.url, itemId, [big]).catch(() => undefined);
    await killAt(server, 'the master half written', async () => (await filesIn(temps)).some((file) => file.size >= big.length / 2));
    await upload;
    t.false(await exists(bigMaster), 'killed before the master reached its key');
    await restart('killed writing the master');
    t.deepEqual((await getItem(server.url, itemId)).pages, [], 'no page from the cut upload');
    t.log(`1st kill (master half written) and restart by ${elapsed()}`);

    // 2. Right after the master was renamed into place, as the database records it.
    upload = uploadPages(server.url, itemId, [big]).catch(() => undefined);
    await killAt(server, 'the master in place', () => exists(bigMaster));
    await upload;
    await restart('killed after placing the master');
    const recorded = (await getItem(server.url, itemId)).pages.length;
    t.log(`2nd kill (master in place, ${recorded === 0 ? 'not yet' : 'already'} recorded) and restart by ${elapsed()}`);

    // The document completed: the big scan again (what was not accepted), two small pages.
    for (const files of [[big], small]) {
      const response = await uploadPages(server.url, itemId, files);
      t.is(response.status, 202, await response.text());
    }
    const item = await getItem(server.url, itemId);
    t.deepEqual(item.pages.map((page) => page.master.sha256), [big, ...small].map(sha256), 'one page per file, none twice');
    const bigPageId = item.pages[0]!.id;

    // 3. While the derivatives of the big page are written.
    t.is((await fetch(`${server.url}/api/items/${itemId}/process`, { method: 'POST', headers: ADMIN_HEADERS })).status, 202);
    let derivatives: string | undefined;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const current = await getItem(server.url, itemId).catch(() => undefined);
        derivatives = current?.pages.find((page) => page.id === bigPageId)?.stages.derivatives?.status ?? derivatives;
        await sleep(50);
      }
    })();
    await killAt(server, 'a derivative being written', async () => derivatives === 'running' && (await filesIn(temps)).length > 0);
    watching = false;
    await watcher;
    await restart('killed writing a derivative');
    t.log(`3rd kill (derivative being written) and restart by ${elapsed()}`);

    const done = await waitFor(
      'the document to be digitised or failed',
      async () => {
        const current = await getItem(server.url, itemId);
        return current.status === 'digitised' || current.status === 'failed' ? current : undefined;
      },
      180_000,
    );
    t.log(`document ${done.status} by ${elapsed()}`);
    t.is(done.status, 'digitised');
    t.deepEqual(done.pages.filter((page) => page.status !== 'done').map((page) => page.stages), [], 'no page failed or pending');
    t.deepEqual(done.pages.map((page) => page.master.sha256), [big, ...small].map(sha256), 'the same pages, none duplicated');
    t.true((done.pages[0]!.stages.derivatives?.attempts ?? 0) >= 2, 'the derivatives of the big page were made again after the kill');

    t.is(await server.stop(), 0);
    t.deepEqual(await filesIn(temps), [], 'no temporary file left in objects/.tmp');
    t.deepEqual((await readdir(path.join(dataDir, 'tmp'), { recursive: true })).sort(), ['uploads', 'work'], 'nothing left in DATA_DIR/tmp');
    view = await openServices(loadConfig(env), pino({ level: 'warn' }));
    await assertStoreIntact(t, view);
    const masters = await view.database.db.selectFrom('stored_objects').select('key').where('kind', '=', 'master').execute();
    t.is(masters.length, 3, 'one master per file');
    const unsettled = await sql<{ n: number }>`select count(*)::int as n from jobs where status <> 'completed'`.execute(view.database.db);
    t.is(unsettled.rows[0]?.n, 0, 'every job settled');
  } finally {
    await server.stop('SIGKILL');
    await view?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('on S3, the server is killed (SIGKILL) while it sends a master: no torn object, its spool is removed at the restart', async (t) => {
  t.timeout(180_000);
  const services = testServices();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fault-crash-s3-'));
  const env = {
    DATA_DIR: dataDir,
    BOOTSTRAP_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    FIXITY_INTERVAL_MINUTES: '0',
    S3_ENDPOINT: services.s3Endpoint,
    S3_ACCESS_KEY: services.s3AccessKey,
    S3_SECRET_KEY: services.s3SecretKey,
    S3_BUCKET: `fault-crash-s3-${process.pid}-${randomBytes(3).toString('hex')}`,
  };
  let server = await startServerProcess(env);
  let view: Services | undefined;
  try {
    const itemId = await createItem(server.url, await createCollection(server.url, 'fault-s3'), 'fault-s3-1');
    const big = await bigPage();
    // The adapter spools a stream to DATA_DIR/tmp while hashing it, then sends it (multipart
    // above 16 MiB) and removes the spool: a whole spool is a master on its way to S3.
    const upload = uploadPages(server.url, itemId, [big]).catch(() => undefined);
    await killAt(server, 'the master on its way to S3', async () => (await filesIn(path.join(dataDir, 'tmp'))).some((file) => file.size === big.length));
    await upload;
    server = await startServerProcess(env);
    t.deepEqual(await scratchOfOthers(dataDir, server.child.pid!), [], 'the spool of the killed server is removed');
    t.deepEqual((await getItem(server.url, itemId)).pages, [], 'no page from the cut upload');
    const store = await openObjectStore(loadConfig(env));
    try {
      const sent: string[] = [];
      for await (const object of store.listAll('masters/')) {
        const hash = createHash('sha256');
        for await (const chunk of await store.get(object.key)) hash.update(chunk as Buffer);
        t.is(`${object.key.split('/').pop()}`, `${hash.digest('hex')}.png`, 'a master in the bucket is whole');
        sent.push(object.key);
      }
      t.log(`killed ${sent.length === 0 ? 'before the master was complete in S3' : 'after S3 had the whole master'}`);
    } finally {
      await store.close();
    }

    const again = await uploadPages(server.url, itemId, [big]);
    t.is(again.status, 202, 'the same scan is accepted afterwards');
    t.is(await server.stop(), 0);
    view = await openServices(loadConfig(env), pino({ level: 'warn' }));
    await assertStoreIntact(t, view);
    const masters = await view.database.db.selectFrom('stored_objects').select('sha256').where('kind', '=', 'master').execute();
    t.deepEqual(masters, [{ sha256: sha256(big) }], 'the master once, whole');
  } finally {
    await server.stop('SIGKILL');
    await view?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
