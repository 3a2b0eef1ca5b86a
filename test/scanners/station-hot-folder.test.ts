import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { pino } from 'pino';
import sharp from 'sharp';
import {
  DocumentIntake,
  DocumentUploader,
  HotFolderStation,
  loadStationProfile,
  ServerClient,
  StationStateFile,
  type StationReporter,
  type UploadReceipt,
} from '../../scanners/index.ts';
import { startApplication, type Application } from '../../scripts/app/application.ts';
import { loadConfig } from '../../scripts/config.ts';
import { postJson } from '../helpers/post-json.ts';
import { freePort, startAppOnFreePort, TEST_ADMIN_TOKEN } from '../helpers/running-app.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';
import { largePage, realPage } from './scan-pages.ts';
import { waitFor } from '../helpers/wait-for.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the station told its operator, with the time of each call. */
class RecordingReporter implements StationReporter {
  readonly events: { at: number; type: string; document: string; detail?: unknown }[] = [];
  pageChecked(document: string, page: string, problems: readonly { code: string }[]): void {
    this.events.push({ at: Date.now(), type: 'page', document, detail: { page, problems: problems.map((problem) => problem.code) } });
  }
  documentRejected(document: string, destination: string, problems: readonly { code: string; missing?: number[] }[]): void {
    this.events.push({ at: Date.now(), type: 'rejected', document, detail: { destination, problems } });
  }
  documentQueued(document: string, pages: number): void {
    this.events.push({ at: Date.now(), type: 'queued', document, detail: pages });
  }
  uploadProgress(document: string, sent: number, total: number): void {
    this.events.push({ at: Date.now(), type: 'progress', document, detail: total === 0 ? 1 : sent / total });
  }
  documentDone(document: string, pageIds: readonly string[]): void {
    this.events.push({ at: Date.now(), type: 'done', document, detail: pageIds.length });
  }
  serverUnavailable(document: string, message: string): void {
    this.events.push({ at: Date.now(), type: 'unavailable', document, detail: message });
  }
  of(type: string, document?: string) {
    return this.events.filter((event) => event.type === type && (document === undefined || event.document === document));
  }
}

async function collectionOn(baseUrl: string, slug: string): Promise<string> {
  const library = await postJson(`${baseUrl}/api/libraries`, { slug, name: 'Thư viện tỉnh Nghệ An', province: 'Nghệ An', kind: 'provincial' });
  return (await postJson(`${baseUrl}/api/collections`, { libraryId: library.id, slug: 'dia-chi', title: 'Địa chí', category: 'dia-chi' })).id;
}

/** A station running in this process on `hotFolder`, with short pauses so tests stay quick. */
async function startStation(input: { hotFolder: string; server: string; collectionId: string; parallel?: number; stableMs?: number }) {
  const state = await StationStateFile.open(path.join(input.hotFolder, '.station', 'state.json'));
  const reporter = new RecordingReporter();
  const profile = await loadStationProfile('text');
  const client = new ServerClient({ baseUrl: input.server, token: TEST_ADMIN_TOKEN });
  const intake = new DocumentIntake({ profile, state, reporter, stableMs: input.stableMs ?? 300, quietMs: 0 });
  const uploader = new DocumentUploader({
    client,
    state,
    defaultCollectionId: input.collectionId,
    parallel: input.parallel ?? 2,
    chunkSize: 1024 * 1024,
    retryDelays: [0, 200],
    process: false,
    keepFolders: false,
    onProgress: (document, sent, total) => reporter.uploadProgress(document.name, sent, total),
  });
  const station = new HotFolderStation({
    hotFolder: input.hotFolder,
    intake,
    uploader,
    state,
    reporter,
    logger: pino({ level: 'silent' }),
    pollMs: 100,
    maxRetryMs: 1000,
  });
  const controller = new AbortController();
  const running = station.run(controller.signal);
  return {
    state,
    reporter,
    stop: async () => {
      controller.abort();
      await running;
    },
  };
}

async function itemPages(baseUrl: string, collectionId: string, identifier: string) {
  const query = new URLSearchParams({ collectionId, identifier });
  const { data } = (await (await fetch(`${baseUrl}/api/items?${query}`)).json()) as { data: { id: string }[] };
  if (data.length === 0) return { itemId: undefined, shas: [] as string[] };
  const item = (await (await fetch(`${baseUrl}/api/items/${data[0]!.id}`)).json()) as { pages: { seq: number; master: { sha256: string } }[] };
  return { itemId: data[0]!.id, shas: item.pages.sort((a, b) => a.seq - b.seq).map((page) => page.master.sha256) };
}

test('files written slowly are taken only once settled, and the pages arrive in natural filename order', async (t) => {
  t.timeout(300_000);
  const app = await startAppOnFreePort('station-slow');
  const hotFolder = await mkdtemp(path.join(os.tmpdir(), 'hot-folder-'));
  try {
    const collectionId = await collectionOn(app.baseUrl, 'station-slow');
    const station = await startStation({ hotFolder, server: app.baseUrl, collectionId, stableMs: 700 });
    const folder = path.join(hotFolder, 'ĐC-0042');
    await mkdir(folder);
    // The marker comes first: the document must still wait for the slow file.
    await writeFile(path.join(folder, 'done'), '');
    const names = ['1.png', '2.png', '3.png', '4.png', '5.png', '6.png', '7.png', '8.png', '9.png', '10.png', '11.png'];
    const pages = await Promise.all(names.map((_, index) => realPage(index, 700)));
    for (const [index, name] of names.entries()) if (name !== '10.png') await writeFile(path.join(folder, name), pages[index]!);

    const slow = pages[9]!;
    const handle = await open(path.join(folder, '10.png'), 'w');
    const quarter = Math.ceil(slow.length / 4);
    let finishedWriting = 0;
    for (let start = 0; start < slow.length; start += quarter) {
      await handle.write(slow.subarray(start, start + quarter));
      await handle.sync();
      // The file's own modification time: on a loaded machine the write's promise may settle well after the station saw the change.
      finishedWriting = (await handle.stat()).mtimeMs;
      await sleep(400);
    }
    await handle.close();

    await waitFor('the document to be delivered', () => station.reporter.of('done', 'ĐC-0042').length > 0);
    await station.stop();
    const slowCheck = station.reporter.of('page').find((event) => (event.detail as { page: string }).page === '10.png')!;
    // Settled means unchanged for 700 ms; a few ms of slack for a look that fell between the write and its promise.
    t.true(slowCheck.at >= finishedWriting + 650, `10.png was checked ${slowCheck.at - finishedWriting} ms after its last write`);
    t.is(station.reporter.of('page').filter((event) => (event.detail as { page: string }).page === '10.png').length, 1, 'checked once, complete');
    t.true(station.reporter.of('page').every((event) => (event.detail as { problems: string[] }).problems.length === 0));

    const delivered = await itemPages(app.baseUrl, collectionId, 'ĐC-0042');
    t.deepEqual(delivered.shas, pages.map(sha256), 'server pages in the order 1, 2, …, 9, 10, 11');
    const doneFolder = path.join(hotFolder, 'done', 'ĐC-0042');
    const receipt = JSON.parse(await readFile(path.join(doneFolder, 'receipt.json'), 'utf8')) as UploadReceipt;
    t.is(receipt.item.id, delivered.itemId!);
    t.deepEqual(receipt.pages.map((page) => page.file), names);
    t.is(receipt.pageIds.length, names.length);
    t.deepEqual((await readdir(hotFolder)).filter((name) => !name.startsWith('.')).sort(), ['done']);
    t.is(station.state.documents()[0]!.status, 'done');
  } finally {
    await app.close();
    await rm(hotFolder, { recursive: true, force: true });
  }
});

test('a document that fails its pre-checks goes to rejected/ with REASON.txt in Vietnamese; nothing is deleted or sent', async (t) => {
  t.timeout(300_000);
  const app = await startAppOnFreePort('station-reject');
  const hotFolder = await mkdtemp(path.join(os.tmpdir(), 'hot-folder-'));
  try {
    const collectionId = await collectionOn(app.baseUrl, 'station-reject');
    const station = await startStation({ hotFolder, server: app.baseUrl, collectionId });
    const folder = path.join(hotFolder, 'ĐC-BAD');
    await mkdir(folder);
    const good = await realPage(0, 700);
    const blank = await sharp({ create: { width: 700, height: 900, channels: 3, background: { r: 235, g: 235, b: 235 } } })
      .toColourspace('b-w')
      .png()
      .withDensity(300)
      .toBuffer();
    const files: Record<string, Buffer> = {
      '0001.png': good,
      '0002.png': blank,
      '0004.png': good,
      '0005.png': Buffer.from('not an image at all'),
    };
    for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(folder, name), bytes);
    await writeFile(path.join(folder, 'done'), '');

    await waitFor('the document to be rejected', () => station.reporter.of('rejected', 'ĐC-BAD').length > 0);
    await station.stop();
    const rejected = path.join(hotFolder, 'rejected', 'ĐC-BAD');
    t.deepEqual((await readdir(rejected)).sort(), ['0001.png', '0002.png', '0004.png', '0005.png', 'REASON.txt', 'done']);
    for (const [name, bytes] of Object.entries(files)) t.deepEqual(await readFile(path.join(rejected, name)), bytes, `${name} kept unchanged`);
    const reason = await readFile(path.join(rejected, 'REASON.txt'), 'utf8');
    t.is(reason, reason.normalize('NFC'));
    for (const name of ['0002.png', '0005.png']) t.true(reason.includes(name), `REASON.txt names ${name}`);
    t.regex(reason, /trắng|trống/, 'the blank page is explained in Vietnamese');
    t.regex(reason, /trùng/, 'the duplicate is explained');
    const { problems } = station.reporter.of('rejected', 'ĐC-BAD')[0]!.detail as { problems: { code: string; missing?: number[] }[] };
    t.deepEqual(problems.map((problem) => problem.code).sort(), ['duplicate', 'numbering-gap']);
    t.deepEqual(problems.find((problem) => problem.code === 'numbering-gap')?.missing, [3]);
    const checked = station.reporter.of('page').map((event) => event.detail as { page: string; problems: string[] });
    t.deepEqual(checked.find((entry) => entry.page === '0002.png')?.problems, ['blank'], 'the blank page was reported when it was checked');
    t.deepEqual(checked.find((entry) => entry.page === '0005.png')?.problems, ['unreadable']);
    t.is((await itemPages(app.baseUrl, collectionId, 'ĐC-BAD')).itemId, undefined, 'nothing reached the server');
    t.is(station.state.documents()[0]!.status, 'rejected');
  } finally {
    await app.close();
    await rm(hotFolder, { recursive: true, force: true });
  }
});

test('the server stops in the middle of a large upload; scans keep being accepted, and when it returns every document arrives complete and once', async (t) => {
  t.timeout(400_000);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'station-server-'));
  const hotFolder = await mkdtemp(path.join(os.tmpdir(), 'hot-folder-'));
  const port = await freePort();
  const config = loadConfig({ BOOTSTRAP_ADMIN_TOKEN: TEST_ADMIN_TOKEN, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', SHUTDOWN_TIMEOUT_MS: '500' });
  let app: Application | undefined = await startApplication(config, pino({ level: 'silent' }));
  const proxy = await startTcpProxy(new URL(app.url), { bytesPerSecond: 8 * 1024 * 1024 });
  try {
    const collectionId = await collectionOn(app.url, 'station-outage');
    const station = await startStation({ hotFolder, server: proxy.url, collectionId, parallel: 1 });
    const first = path.join(hotFolder, 'ĐC-LARGE');
    await mkdir(first);
    const pages = [await largePage(2, 5000), await realPage(3, 700), await realPage(4, 700)];
    t.true(pages[0]!.length > 30_000_000, `the large page is ${pages[0]!.length} bytes`);
    for (const [index, bytes] of pages.entries()) await writeFile(path.join(first, `000${index + 1}.tif`), bytes);
    await writeFile(path.join(first, 'done'), '');

    await waitFor('a quarter of the large file sent', () => station.reporter.of('progress', 'ĐC-LARGE').some((event) => (event.detail as number) > 0.25));
    await app.close();
    app = undefined;
    await waitFor('the station to notice', () => station.reporter.of('unavailable', 'ĐC-LARGE').length > 0, 30_000);

    // While the server is down the station keeps checking and queueing new scans.
    const second = path.join(hotFolder, 'ĐC-LATER');
    await mkdir(second);
    const laterPages = [await realPage(5, 700), await realPage(6, 700)];
    for (const [index, bytes] of laterPages.entries()) await writeFile(path.join(second, `${index + 1}.png`), bytes);
    await writeFile(path.join(second, 'done'), '');
    await waitFor('the second document to be queued offline', () => station.reporter.of('queued', 'ĐC-LATER').length > 0, 30_000);
    t.is(station.reporter.of('done').length, 0);

    app = await startApplication(config, pino({ level: 'silent' }));
    await waitFor('both documents delivered', () => station.reporter.of('done').length === 2, 180_000);
    await station.stop();

    t.deepEqual((await itemPages(app.url, collectionId, 'ĐC-LARGE')).shas, pages.map(sha256), 'complete, in order, no duplicate page');
    t.deepEqual((await itemPages(app.url, collectionId, 'ĐC-LATER')).shas, laterPages.map(sha256));
    const total = [...pages, ...laterPages].reduce((sum, bytes) => sum + bytes.length, 0);
    t.true(proxy.bytesFromClients() < total * 1.3, `${proxy.bytesFromClients()} bytes sent for ${total}: the large file was continued, not sent again`);
  } finally {
    await proxy.close();
    await app?.close();
    await rm(hotFolder, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('a page changed while the pages before it were being checked is dated by when it was seen, not by when the look began', async (t) => {
  const hotFolder = await mkdtemp(path.join(os.tmpdir(), 'hot-folder-clock-'));
  try {
    const folder = path.join(hotFolder, 'ĐC-0077');
    await mkdir(folder);
    await writeFile(path.join(folder, 'done'), '');
    const [first, second] = await Promise.all([realPage(0, 700), realPage(1, 700)]);
    await writeFile(path.join(folder, '1.png'), first!);
    await writeFile(path.join(folder, '2.png'), second!.subarray(0, second!.length / 2));

    let time = 0;
    // While 1.png is being checked, the scanner writes the rest of 2.png and 800 ms pass.
    class ScannerStillWriting extends RecordingReporter {
      override pageChecked(document: string, page: string, problems: readonly { code: string }[]): void {
        super.pageChecked(document, page, problems);
        if (page !== '1.png') return;
        writeFileSync(path.join(folder, '2.png'), second!);
        time += 800;
      }
    }
    const reporter = new ScannerStillWriting();
    const checked = () => reporter.of('page').map((event) => (event.detail as { page: string }).page);
    const intake = new DocumentIntake({
      profile: await loadStationProfile('text'),
      state: await StationStateFile.open(path.join(hotFolder, '.station', 'state.json')),
      reporter,
      stableMs: 700,
      quietMs: 0,
      clock: () => time,
    });
    await intake.scan(hotFolder);
    time = 800;
    await intake.scan(hotFolder);
    t.deepEqual(checked(), ['1.png'], '1.png settled and was checked; 2.png changed during that check');
    time = 1600 + 400;
    await intake.scan(hotFolder);
    t.deepEqual(checked(), ['1.png'], '400 ms after 2.png was seen changed, it has not settled yet');
    time = 1600 + 700;
    await intake.scan(hotFolder);
    t.deepEqual(checked(), ['1.png', '2.png'], 'and 700 ms after, it has');
    t.is(reporter.of('queued', 'ĐC-0077').length, 1);
  } finally {
    await rm(hotFolder, { recursive: true, force: true });
  }
});
