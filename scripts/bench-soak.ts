/**
 * Soak: ingests and serves at the same time for a bounded period and watches throughput,
 * errors and memory over time. Memory must not grow without bound.
 *
 *   npx tsx scripts/bench-soak.ts [--minutes 10] [--uploads-per-minute 6] [--pages-per-item 4]
 *     [--tile-clients 8] [--tile-think-ms 100] [--seed-items 2] [--sample-seconds 15]
 *     [--warmup 0.33] [--max-rss-slope 5] [--max-heap-slope 2] [--out FILE] [--keep] [--services]
 *     [--heap-snapshot]
 *
 * The product runs in this process on embedded defaults (PGlite, filesystem store, in-process
 * jobs) in a fresh temporary DATA_DIR; with `--services` it also reads DATABASE_URL,
 * DATABASE_SCHEMA, REDIS_URL and S3_* from the environment, like `npm start` (use a throwaway
 * database/schema and bucket: the bench leaves its records and objects there). Server, job
 * runner and OCR workers (tesseract.js threads) all live in this process, so the memory
 * figures are the product's — plus this bench's small bookkeeping and the page generator.
 *
 * First `--seed-items` items of `--pages-per-item` generated pages are digitised (not timed as
 * part of the soak). Then, for `--minutes`, two loads run together, both over HTTP:
 *  - uploads: one generated page (1200×1600 grey paper, Vietnamese text, new words and a
 *    small skew every time) every 60/`--uploads-per-minute` seconds to an item
 *    (multipart POST /api/items/:id/pages, as the administrator of BOOTSTRAP_ADMIN_TOKEN);
 *    after `--pages-per-item` pages the item is processed and a new one registered;
 *  - tiles: `--tile-clients` anonymous readers, each pausing ~`--tile-think-ms` between
 *    requests, ask for info.json, 256 px tiles of the pyramid grid at random scale factors,
 *    arbitrary regions at arbitrary sizes (never cached) and whole-page views, of every page
 *    digitised so far (the set grows as the uploads are digitised).
 * Every `--sample-seconds` a row is printed: uploads accepted, pages digitised (per minute),
 * backlog, tile requests (per second, p50/p95), errors, event-loop delay, and RSS, heapUsed, external,
 * arrayBuffers and the libvips operation cache. At the end: a summary, a least-squares slope
 * (MB/min) of RSS and heapUsed over readings taken every second after the first `--warmup`
 * fraction, the memory still held after a full GC at the start and at the end of the soak, and
 * a JSON result (default: os.tmpdir()/bench-soak-<time>.json, outside DATA_DIR so it survives).
 * The exit code is 1 when any request or page failed or memory grows faster than
 * `--max-rss-slope` / `--max-heap-slope` MB/min (or the soak ended too early for a slope), so a
 * pipeline can run it. Ctrl-C ends the
 * soak early with the same report. DATA_DIR is removed unless `--keep`. `--heap-snapshot` writes
 * a V8 heap snapshot next to the result once the loads have stopped (to find what holds memory).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { pino } from 'pino';
import sharp from 'sharp';
import { renderTextPage, rotateContent } from '../test/pipeline/deskew-helpers/text-page.ts';
import { startApplication } from './app/application.ts';
import { loadConfig } from './config.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    'uploads-per-minute': { type: 'string', default: '6' },
    'pages-per-item': { type: 'string', default: '4' },
    'tile-clients': { type: 'string', default: '8' },
    'tile-think-ms': { type: 'string', default: '100' },
    'seed-items': { type: 'string', default: '2' },
    'sample-seconds': { type: 'string', default: '15' },
    warmup: { type: 'string', default: '0.33' },
    'max-rss-slope': { type: 'string', default: '5' },
    'max-heap-slope': { type: 'string', default: '2' },
    out: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'heap-snapshot': { type: 'boolean', default: false },
    services: { type: 'boolean', default: false },
  },
});

function numberFlag(name: keyof typeof values, { min = 0, integer = false } = {}): number {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(`--${name} must be ${integer ? 'a whole number' : 'a number'} of at least ${min} (got "${String(values[name])}")`);
  }
  return value;
}

const MINUTES = numberFlag('minutes', { min: 0.1 });
const UPLOADS_PER_MINUTE = numberFlag('uploads-per-minute', { min: 0.1 });
const PAGES_PER_ITEM = numberFlag('pages-per-item', { min: 1, integer: true });
const TILE_CLIENTS = numberFlag('tile-clients', { min: 0, integer: true });
const TILE_THINK_MS = numberFlag('tile-think-ms');
const SEED_ITEMS = numberFlag('seed-items', { min: 1, integer: true });
const SAMPLE_SECONDS = numberFlag('sample-seconds', { min: 1 });
const WARMUP = numberFlag('warmup');
const MAX_RSS_SLOPE = numberFlag('max-rss-slope');
const MAX_HEAP_SLOPE = numberFlag('max-heap-slope');
if (WARMUP >= 1) throw new Error('--warmup is the fraction of the run left out of the memory slope: below 1');

const ADMIN_TOKEN = `tvs_bench-soak-${randomBytes(16).toString('hex')}`;
const ADMIN = { Authorization: `Bearer ${ADMIN_TOKEN}` };
/** Set so the product does not log a generated one; nobody signs in with it. */
const ADMIN_PASSWORD = randomBytes(18).toString('base64url');
const MB = 1024 ** 2;
const TILE = 256;

// ---------------------------------------------------------------------------------------------
// Bookkeeping. Everything kept for the whole run is bounded (histograms, counters, a few
// examples), so the bench itself does not add a slope to the memory it measures.

/** Latencies in log-spaced buckets (5 % wide), for percentiles over a whole run in bounded memory. */
class LatencyHistogram {
  private readonly counts = new Map<number, number>();
  count = 0;
  add(ms: number): void {
    const bucket = Math.max(0, Math.floor(Math.log(Math.max(ms, 0.1) / 0.1) / Math.log(1.05)));
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.count++;
  }
  percentile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket)!;
      if (seen >= rank) return 0.1 * 1.05 ** (bucket + 1);
    }
    return null;
  }
}

function percentile(sorted: readonly number[], q: number): number | null {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

type Load = 'uploads' | 'status' | 'tiles';
type TileKind = 'info' | 'grid' | 'region' | 'whole';

interface Totals {
  itemsCreated: number;
  uploadsAccepted: number;
  itemsProcessed: number;
  /** Pages of the items sent to processing. */
  pagesQueued: number;
  pagesDigitised: number;
  pagesFailed: number;
  itemsDigitised: number;
  /** Upload ticks that started more than one interval late (the uploader could not keep the rate). */
  uploadTicksLate: number;
  tileRequests: number;
  uploadLatency: LatencyHistogram;
  tileLatency: LatencyHistogram;
  tileLatencyByKind: Record<TileKind, LatencyHistogram>;
  errors: Map<string, { count: number; examples: string[] }>;
  errorCount: number;
}

const newTotals = (): Totals => ({
  itemsCreated: 0,
  uploadsAccepted: 0,
  itemsProcessed: 0,
  pagesQueued: 0,
  pagesDigitised: 0,
  pagesFailed: 0,
  itemsDigitised: 0,
  uploadTicksLate: 0,
  tileRequests: 0,
  uploadLatency: new LatencyHistogram(),
  tileLatency: new LatencyHistogram(),
  tileLatencyByKind: { info: new LatencyHistogram(), grid: new LatencyHistogram(), region: new LatencyHistogram(), whole: new LatencyHistogram() },
  errors: new Map(),
  errorCount: 0,
});

let totals = newTotals();
/** Latencies of the current sample interval only (emptied at every sample). */
let intervalTileLatencies: number[] = [];

function recordError(key: string, example: string): void {
  const entry = totals.errors.get(key) ?? { count: 0, examples: [] };
  entry.count++;
  if (entry.examples.length < 3) entry.examples.push(example.slice(0, 300));
  totals.errors.set(key, entry);
  totals.errorCount++;
}

interface Answer {
  status: number;
  body: Buffer;
  ms: number;
}

/** One request of a load: timed; a network error or a status ≥ 400 is counted as that load's error. */
async function http(load: Load, url: string, init: RequestInit = {}, timeoutMs = 120_000): Promise<Answer | undefined> {
  const started = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const body = Buffer.from(await response.arrayBuffer());
    const ms = performance.now() - started;
    if (response.status >= 400) recordError(`${load}: HTTP ${response.status}`, `${init.method ?? 'GET'} ${new URL(url).pathname} → ${body.toString('utf8', 0, 200)}`);
    return { status: response.status, body, ms };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const kind = (error as Error).name === 'TimeoutError' ? 'timeout' : (cause?.code ?? (error as Error).name);
    recordError(`${load}: network ${kind}`, `${init.method ?? 'GET'} ${new URL(url).pathname} → ${String(error)} ${cause ? String(cause) : ''}`);
    return undefined;
  }
}

/** What the product logs at warn and above, by message; and how long each pipeline stage took. */
const logWarnings = new Map<string, { count: number; example: string }>();
let stageTimes = new Map<string, { count: number; totalMs: number; maxMs: number }>();
const capture = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    for (const line of chunk.toString().split('\n')) {
      const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 0);
      if (level < 40 && !line.includes('durationMs')) continue;
      let entry: { level?: number; msg?: string; stage?: string; durationMs?: number; err?: { message?: string } };
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      if (level >= 40) {
        const key = `${level >= 50 ? 'error' : 'warn'}: ${entry.msg ?? '(no message)'}`;
        const known = logWarnings.get(key);
        if (known) known.count++;
        else logWarnings.set(key, { count: 1, example: (entry.err?.message ?? line).slice(0, 400) });
      }
      const stage = entry.stage ?? (entry.msg === 'item digitised' ? 'package (PDF + manifest)' : undefined);
      if (stage !== undefined && typeof entry.durationMs === 'number') {
        const times = stageTimes.get(stage) ?? { count: 0, totalMs: 0, maxMs: 0 };
        times.count++;
        times.totalMs += entry.durationMs;
        times.maxMs = Math.max(times.maxMs, entry.durationMs);
        stageTimes.set(stage, times);
      }
    }
    callback();
  },
});

// ---------------------------------------------------------------------------------------------
// Stopping: every loop waits on `pause`, which ends early when the soak stops.

let stopping = false;
let wake: () => void = () => {};
const stopped = new Promise<void>((resolve) => (wake = resolve));
const stop = () => {
  stopping = true;
  wake();
};
const pause = (ms: number) =>
  stopping ? Promise.resolve() : Promise.race([new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)).unref()), stopped]);

// ---------------------------------------------------------------------------------------------
// The product's side: pages, items, tiles.

let pageSeed = 0;

/** A new 1200×1600 page: grey paper, different Vietnamese words each time, skewed by up to ±1.5°. */
async function generatePage(): Promise<Buffer> {
  pageSeed++;
  const upright = await renderTextPage({ width: 1200, height: 1600, fontSize: 30, seed: 1000 + pageSeed });
  const skewed = await rotateContent(upright, ((pageSeed % 7) - 3) * 0.5);
  return sharp(skewed).linear(0.84, 12).withMetadata({ density: 300 }).png().toBuffer();
}

interface TilePage {
  id: string;
  width: number;
  height: number;
  scaleFactors: number[];
}

/** Pages digitised so far, which the tile readers look at. */
const tilePool: TilePage[] = [];

interface TrackedItem {
  id: string;
  pageIds: string[];
  seen: Set<string>;
}

/** Items processing: polled until digitised. */
const tracked = new Map<string, TrackedItem>();

async function registerItem(api: string, collectionId: string, number: number): Promise<string | undefined> {
  const answer = await http('uploads', `${api}/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...ADMIN },
    body: JSON.stringify({ collectionId, identifier: `SOAK-${String(number).padStart(5, '0')}`, title: `Tài liệu đo tải số ${number}` }),
  });
  if (answer?.status !== 201) return undefined;
  totals.itemsCreated++;
  return (JSON.parse(answer.body.toString()) as { id: string }).id;
}

async function uploadPage(api: string, itemId: string, number: number): Promise<string[] | undefined> {
  const form = new FormData();
  form.append('file', new Blob([await generatePage()]), `${String(number).padStart(4, '0')}.png`);
  const answer = await http('uploads', `${api}/items/${itemId}/pages`, { method: 'POST', headers: ADMIN, body: form });
  if (answer === undefined) return undefined;
  totals.uploadLatency.add(answer.ms);
  if (answer.status !== 202) {
    if (answer.status < 400) recordError(`uploads: HTTP ${answer.status}`, `POST pages → ${answer.body.toString('utf8', 0, 200)}`);
    return undefined;
  }
  totals.uploadsAccepted++;
  return (JSON.parse(answer.body.toString()) as { pageIds: string[] }).pageIds;
}

async function processItem(api: string, itemId: string, pageIds: string[]): Promise<void> {
  const answer = await http('uploads', `${api}/items/${itemId}/process`, { method: 'POST', headers: ADMIN });
  if (answer?.status !== 202) return;
  totals.itemsProcessed++;
  totals.pagesQueued += pageIds.length;
  tracked.set(itemId, { id: itemId, pageIds, seen: new Set() });
}

/** Adds a digitised page to the tile readers' pool, from its info.json (one request of the tile load). */
async function addToTilePool(base: string, pageId: string): Promise<void> {
  const answer = await http('tiles', `${base}/iiif/3/${pageId}/info.json`, {}, 60_000);
  if (answer?.status !== 200) return;
  const info = JSON.parse(answer.body.toString()) as { width: number; height: number; tiles: { scaleFactors: number[] }[] };
  tilePool.push({ id: pageId, width: info.width, height: info.height, scaleFactors: info.tiles[0]?.scaleFactors ?? [1] });
}

interface ItemView {
  status: string;
  effectiveAccessLevel: string;
  pages: { id: string; status: string; failureReason: string | null }[];
}

/** Looks at every processing item once: counts pages done or failed, hands digitised items to the tile readers. */
async function pollTracked(api: string, base: string): Promise<void> {
  for (const item of [...tracked.values()]) {
    const answer = await http('status', `${api}/items/${item.id}`, { headers: ADMIN }, 60_000);
    if (answer?.status !== 200) continue;
    const view = JSON.parse(answer.body.toString()) as ItemView;
    for (const page of view.pages) {
      if (item.seen.has(page.id)) continue;
      if (page.status === 'done') {
        item.seen.add(page.id);
        totals.pagesDigitised++;
      } else if (page.status === 'failed') {
        item.seen.add(page.id);
        totals.pagesFailed++;
        recordError('pipeline: page failed', `item ${item.id} page ${page.id}: ${page.failureReason ?? '(no reason)'}`);
      }
    }
    if (view.status === 'digitised') {
      tracked.delete(item.id);
      totals.itemsDigitised++;
      for (const page of view.pages) if (page.status === 'done') await addToTilePool(base, page.id);
    } else if (view.status === 'failed') {
      tracked.delete(item.id);
      recordError('pipeline: item failed', `item ${item.id}: ${view.pages.map((page) => page.failureReason).filter(Boolean).join('; ')}`);
    }
  }
}

/** The steady stream of uploads: one page per tick, an item processed every PAGES_PER_ITEM pages. */
async function uploadLoad(api: string, collectionId: string, firstItemNumber: number): Promise<void> {
  const interval = 60_000 / UPLOADS_PER_MINUTE;
  let due = performance.now();
  let itemNumber = firstItemNumber;
  let current: { id: string; pageIds: string[] } | undefined;
  while (!stopping) {
    await pause(due - performance.now());
    if (stopping) break;
    if (performance.now() - due > interval) totals.uploadTicksLate++;
    due = Math.max(due + interval, performance.now() - interval);
    if (current === undefined) {
      const id = await registerItem(api, collectionId, itemNumber++);
      if (id === undefined) continue;
      current = { id, pageIds: [] };
    }
    const pageIds = await uploadPage(api, current.id, current.pageIds.length + 1);
    if (pageIds !== undefined) current.pageIds.push(...pageIds);
    if (current.pageIds.length >= PAGES_PER_ITEM) {
      await processItem(api, current.id, current.pageIds);
      current = undefined;
    }
  }
}

async function statusLoad(api: string, base: string): Promise<void> {
  while (!stopping) {
    await pollTracked(api, base);
    await pause(2000);
  }
}

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;
const between = (low: number, high: number) => low + Math.floor(Math.random() * (high - low + 1));

/** One Image API request as a viewer would make it; the mix keeps the tile cache from answering everything. */
function tileRequest(page: TilePage): { kind: TileKind; path: string } {
  const roll = Math.random();
  if (roll < 0.1) return { kind: 'info', path: `${page.id}/info.json` };
  if (roll < 0.65) {
    // A tile of the grid info.json announces, at a random scale factor.
    const scale = pick(page.scaleFactors);
    const span = TILE * scale;
    const x = span * between(0, Math.ceil(page.width / span) - 1);
    const y = span * between(0, Math.ceil(page.height / span) - 1);
    const w = Math.min(span, page.width - x);
    const h = Math.min(span, page.height - y);
    return { kind: 'grid', path: `${page.id}/${x},${y},${w},${h}/${Math.ceil(w / scale)},/0/default.jpg` };
  }
  if (roll < 0.9) {
    // An arbitrary region at an arbitrary reduction: practically never the same twice.
    const w = between(64, Math.min(1200, page.width));
    const h = between(64, Math.min(1200, page.height));
    const x = between(0, page.width - w);
    const y = between(0, page.height - h);
    return { kind: 'region', path: `${page.id}/${x},${y},${w},${h}/${Math.max(1, Math.round(w / between(1, 4)))},/0/default.jpg` };
  }
  const side = pick([150, 300, 600, 1000]);
  return { kind: 'whole', path: `${page.id}/full/!${side},${side}/0/default.jpg` };
}

async function tileClient(base: string): Promise<void> {
  while (!stopping) {
    const page = tilePool.length === 0 ? undefined : pick(tilePool);
    if (page === undefined) {
      await pause(500);
      continue;
    }
    const { kind, path: requestPath } = tileRequest(page);
    const answer = await http('tiles', `${base}/iiif/3/${requestPath}`, {}, 60_000);
    if (answer !== undefined) {
      totals.tileRequests++;
      totals.tileLatency.add(answer.ms);
      totals.tileLatencyByKind[kind].add(answer.ms);
      intervalTileLatencies.push(answer.ms);
    }
    if (TILE_THINK_MS > 0) await pause(TILE_THINK_MS * (0.5 + Math.random()));
  }
}

// ---------------------------------------------------------------------------------------------
// Samples and the memory verdict.

interface MemorySample {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** libvips operation cache (sharp.cache()), MB as libvips counts it; files: open files it keeps. */
  vipsCacheMb: number;
  vipsCacheFiles: number;
  /** sharp tasks waiting for / running on the libuv pool. */
  sharpQueue: number;
  sharpProcess: number;
}

interface Sample {
  atSeconds: number;
  uploadsAccepted: number;
  pagesDigitised: number;
  pagesPerMinute: number;
  itemsDigitised: number;
  backlogPages: number;
  tileRequests: number;
  tilesPerSecond: number;
  tileP50Ms: number | null;
  tileP95Ms: number | null;
  errors: number;
  tilePoolPages: number;
  /** Delay of this process's event loop (HTTP, job handlers, PGlite all share it) in the interval. */
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  loadAverage1m: number;
  memory: MemorySample;
}

function memoryNow(): MemorySample {
  const usage = process.memoryUsage();
  const vips = sharp.cache();
  const counters = sharp.counters();
  const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;
  return {
    rssMb: mb(usage.rss),
    heapUsedMb: mb(usage.heapUsed),
    heapTotalMb: mb(usage.heapTotal),
    externalMb: mb(usage.external),
    arrayBuffersMb: mb(usage.arrayBuffers),
    vipsCacheMb: vips.memory.current,
    vipsCacheFiles: vips.files.current,
    sharpQueue: counters.queue,
    sharpProcess: counters.process,
  };
}

const fmt = (value: number | null, digits = 0, width = 6) => (value === null ? '—' : value.toFixed(digits)).padStart(width);

const TABLE_HEADER =
  '   min | uploads | pages | pages/min | backlog |  tiles | tiles/s | p50 ms | p95 ms | errors | loop p99/max ms | load1 |  RSS MB | heap MB | ext MB |  ab MB | vips MB';

function printRow(sample: Sample): void {
  const m = sample.memory;
  console.log(
    [
      fmt(sample.atSeconds / 60, 2, 6),
      fmt(sample.uploadsAccepted, 0, 7),
      fmt(sample.pagesDigitised, 0, 5),
      fmt(sample.pagesPerMinute, 1, 9),
      fmt(sample.backlogPages, 0, 7),
      fmt(sample.tileRequests, 0, 6),
      fmt(sample.tilesPerSecond, 1, 7),
      fmt(sample.tileP50Ms, 1, 6),
      fmt(sample.tileP95Ms, 1, 6),
      fmt(sample.errors, 0, 6),
      `${fmt(sample.eventLoopP99Ms, 0, 7)}/${fmt(sample.eventLoopMaxMs, 0, 7)}`,
      fmt(sample.loadAverage1m, 2, 5),
      fmt(m.rssMb, 1, 7),
      fmt(m.heapUsedMb, 1, 7),
      fmt(m.externalMb, 1, 6),
      fmt(m.arrayBuffersMb, 1, 6),
      fmt(m.vipsCacheMb, 0, 7),
    ].join(' | '),
  );
}

/** A least-squares line fitted as points arrive (running sums: bounded memory however long the run). */
class OnlineFit {
  private n = 0;
  private sx = 0;
  private sy = 0;
  private sxx = 0;
  private sxy = 0;
  private syy = 0;
  get count(): number {
    return this.n;
  }
  add(x: number, y: number): void {
    this.n++;
    this.sx += x;
    this.sy += y;
    this.sxx += x * x;
    this.sxy += x * y;
    this.syy += y * y;
  }
  /** Slope per unit of x and R²; null with fewer than 3 points. */
  result(): { slope: number; r2: number } | null {
    if (this.n < 3) return null;
    const vx = this.sxx - (this.sx * this.sx) / this.n;
    const vy = this.syy - (this.sy * this.sy) / this.n;
    const cxy = this.sxy - (this.sx * this.sy) / this.n;
    if (vx <= 0) return null;
    return { slope: cxy / vx, r2: vy <= 0 ? 1 : (cxy * cxy) / (vx * vy) };
  }
}

const TRACKED_MEMORY = ['rssMb', 'heapUsedMb', 'externalMb', 'arrayBuffersMb', 'vipsCacheMb'] as const;
type TrackedMemory = (typeof TRACKED_MEMORY)[number];

/**
 * Memory read every second (not only at the printed samples: heapUsed saw-tooths with every
 * GC, and many readings make the slope steadier). After the warm-up each reading goes into a
 * line fit per figure; start, min, max and end are kept over the whole soak.
 */
class MemoryWatch {
  readonly fits = Object.fromEntries(TRACKED_MEMORY.map((field) => [field, new OnlineFit()])) as Record<TrackedMemory, OnlineFit>;
  readonly ranges = {} as Record<TrackedMemory, { start: number; min: number; max: number; end: number }>;
  constructor(private readonly warmupEndsAtMinute: number) {}
  read(atMinute: number): void {
    const memory = memoryNow();
    for (const field of TRACKED_MEMORY) {
      const value = memory[field];
      const range = (this.ranges[field] ??= { start: value, min: value, max: value, end: value });
      range.min = Math.min(range.min, value);
      range.max = Math.max(range.max, value);
      range.end = value;
      if (atMinute >= this.warmupEndsAtMinute) this.fits[field].add(atMinute, value);
    }
  }
}

/** The event-loop monitor's timer interval: what it records is that interval plus the delay. */
const LOOP_RESOLUTION_MS = 10;
/** The delay in ms of a monitor reading (nanoseconds, interval included). */
const loopDelayMs = (nanoseconds: number) => Math.round(Math.max(0, nanoseconds / 1e6 - LOOP_RESOLUTION_MS) * 10) / 10;

/**
 * A full garbage collection on demand, for the memory that is still held rather than merely not
 * yet collected (the flag is set at run time, so plain `tsx` is enough); undefined if refused.
 */
const collectGarbage = ((): (() => void) | undefined => {
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
})();

/** Memory after two full collections, each followed by a pause in which freed ArrayBuffers are swept. */
async function memoryAfterGc(): Promise<MemorySample | null> {
  if (collectGarbage === undefined) return null;
  for (let round = 0; round < 2; round++) {
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return memoryNow();
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-soak-'));
  const startedAt = new Date();
  const out = values.out ?? path.join(os.tmpdir(), `bench-soak-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  const serviceVariables = ['DATABASE_URL', 'DATABASE_SCHEMA', 'REDIS_URL', 'S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'S3_BUCKET', 'S3_REGION', 'S3_USE_SSL'];
  const fromEnvironment = values.services ? Object.fromEntries(serviceVariables.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]])) : {};
  const config = loadConfig({ ...fromEnvironment, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN, BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD });
  const application = await startApplication(config, pino({ level: 'info' }, capture)).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const { database, store, queue } = application.services;
  const setup = `database ${database.describe()}; storage ${store.describe()}; jobs ${queue.describe()}`;
  console.log(`setup: ${setup}`);
  console.log(`DATA_DIR ${dataDir}; ${os.availableParallelism()} cores; worker concurrency ${config.workerConcurrency}; tile cache ${config.iiif.tileCacheBytes / MB} MB`);
  console.log(`load average at start: ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`);

  const onSignal = () => {
    console.log('\nstopping early (signal): finishing the requests in flight…');
    stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const base = application.url;
  const api = `${base}/api`;
  const samples: Sample[] = [];
  let seedSeconds = 0;
  let soakSeconds = 0;
  let shutdownMs = 0;
  /** Mean ms per stage while seeding (no other load), to compare with the soak's. */
  let seedStages: Record<string, number> = {};
  let watch: MemoryWatch | undefined;
  let reader: NodeJS.Timeout | undefined;
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  const loopDelayOverall = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  /** Memory after a full GC just before the loads start and just after they stopped: what is really retained. */
  let heapSnapshot: string | undefined;
  const afterGc: { start: MemorySample | null; end: MemorySample | null } = { start: null, end: null };
  let failure: string | undefined;
  try {
    const suffix = randomBytes(3).toString('hex');
    const post = async (url: string, body: unknown) => {
      const answer = await http('uploads', url, { method: 'POST', headers: { 'content-type': 'application/json', ...ADMIN }, body: JSON.stringify(body) });
      if (answer?.status !== 201) throw new Error(`${url}: ${answer?.status ?? 'network error'} ${answer?.body.toString() ?? ''}`);
      return JSON.parse(answer.body.toString()) as { id: string };
    };
    const library = await post(`${api}/libraries`, { slug: `soak-${suffix}`, name: 'Thư viện đo tải', province: 'Hà Nội', kind: 'provincial' });
    const collection = await post(`${api}/collections`, { libraryId: library.id, slug: 'soak', title: 'Đo tải', category: 'other' });

    // Seed: a few digitised items, so the tile readers have pages from the first second.
    const seedStart = performance.now();
    for (let number = 1; number <= SEED_ITEMS; number++) {
      const itemId = await registerItem(api, collection.id, number);
      if (itemId === undefined) throw new Error(`seed item ${number} could not be registered: ${JSON.stringify([...totals.errors])}`);
      const pageIds: string[] = [];
      for (let page = 1; page <= PAGES_PER_ITEM; page++) pageIds.push(...((await uploadPage(api, itemId, page)) ?? []));
      await processItem(api, itemId, pageIds);
    }
    const seedDeadline = Date.now() + 20 * 60_000;
    while (tracked.size > 0 && totals.errorCount === 0 && Date.now() < seedDeadline && !stopping) {
      await pause(1000);
      await pollTracked(api, base);
    }
    seedSeconds = (performance.now() - seedStart) / 1000;
    if (totals.errorCount > 0 || tracked.size > 0 || tilePool.length === 0) {
      throw new Error(`seeding failed (${tracked.size} items not digitised): ${JSON.stringify([...totals.errors])}`);
    }
    console.log(
      `seed: ${totals.pagesDigitised} pages in ${SEED_ITEMS} items digitised in ${seedSeconds.toFixed(1)} s ` +
        `(${((totals.pagesDigitised / seedSeconds) * 60).toFixed(1)} pages/min without the tile load)`,
    );
    totals = newTotals();
    const seedStageTimes = stageTimes;
    stageTimes = new Map();
    seedStages = Object.fromEntries([...seedStageTimes].map(([stage, times]) => [stage, Math.round(times.totalMs / times.count)]));

    console.log(
      `\nsoak: ${MINUTES} min; uploads ${UPLOADS_PER_MINUTE}/min (${PAGES_PER_ITEM} pages per item); ${TILE_CLIENTS} tile clients, ` +
        `think ${TILE_THINK_MS} ms; sample every ${SAMPLE_SECONDS} s; memory of this process (server + jobs + OCR workers)\n`,
    );
    afterGc.start = await memoryAfterGc();
    loopDelay.enable();
    loopDelayOverall.enable();
    console.log(TABLE_HEADER);
    const soakStart = performance.now();
    let previous = { at: soakStart, uploads: 0, pages: 0, tiles: 0, errors: 0 };
    const takeSample = () => {
      const now = performance.now();
      const seconds = (now - previous.at) / 1000;
      const latencies = intervalTileLatencies.sort((a, b) => a - b);
      intervalTileLatencies = [];
      const sample: Sample = {
        atSeconds: Math.round((now - soakStart) / 100) / 10,
        uploadsAccepted: totals.uploadsAccepted - previous.uploads,
        pagesDigitised: totals.pagesDigitised - previous.pages,
        pagesPerMinute: seconds > 0 ? ((totals.pagesDigitised - previous.pages) / seconds) * 60 : 0,
        itemsDigitised: totals.itemsDigitised,
        backlogPages: totals.pagesQueued - totals.pagesDigitised - totals.pagesFailed,
        tileRequests: totals.tileRequests - previous.tiles,
        tilesPerSecond: seconds > 0 ? (totals.tileRequests - previous.tiles) / seconds : 0,
        tileP50Ms: percentile(latencies, 0.5),
        tileP95Ms: percentile(latencies, 0.95),
        errors: totals.errorCount - previous.errors,
        tilePoolPages: tilePool.length,
        eventLoopP99Ms: loopDelayMs(loopDelay.percentile(99)),
        eventLoopMaxMs: loopDelayMs(loopDelay.max),
        loadAverage1m: os.loadavg()[0]!,
        memory: memoryNow(),
      };
      loopDelay.reset();
      previous = { at: now, uploads: totals.uploadsAccepted, pages: totals.pagesDigitised, tiles: totals.tileRequests, errors: totals.errorCount };
      samples.push(sample);
      printRow(sample);
    };
    takeSample();
    const memoryWatch = new MemoryWatch(WARMUP * MINUTES);
    watch = memoryWatch;
    memoryWatch.read(0);
    reader = setInterval(() => memoryWatch.read((performance.now() - soakStart) / 60_000), 1000);

    /** A load that throws (a bug of the bench, or an answer it cannot read) ends the soak as an error, not silently. */
    const guarded = (name: string, load: Promise<void>) =>
      load.catch((error: unknown) => {
        recordError(`bench: ${name} stopped`, error instanceof Error ? (error.stack ?? error.message) : String(error));
        stop();
      });
    const loads = [
      guarded('uploads', uploadLoad(api, collection.id, SEED_ITEMS + 1)),
      guarded('status', statusLoad(api, base)),
      ...Array.from({ length: TILE_CLIENTS }, (_, index) => guarded(`tile client ${index + 1}`, tileClient(base))),
    ];
    const durationMs = MINUTES * 60_000;
    for (let k = 1; !stopping; k++) {
      const due = soakStart + Math.min(k * SAMPLE_SECONDS * 1000, durationMs);
      await pause(due - performance.now());
      takeSample();
      if (due >= soakStart + durationMs) break;
    }
    soakSeconds = (performance.now() - soakStart) / 1000;
    clearInterval(reader);
    memoryWatch.read(soakSeconds / 60);
    stop();
    await Promise.all(loads);
    afterGc.end = await memoryAfterGc();
    if (values['heap-snapshot']) {
      heapSnapshot = v8.writeHeapSnapshot(out.replace(/\.json$/, '') + '.heapsnapshot');
      console.log(`heap snapshot (after the loads stopped): ${heapSnapshot}`);
    }
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    console.error(`\nthe soak did not run to the end: ${failure}`);
    stop();
  } finally {
    clearInterval(reader);
    loopDelay.disable();
    loopDelayOverall.disable();
  }

  // -------------------------------------------------------------------------------------------
  // Summary.
  const minutes = soakSeconds / 60;
  const slopes = Object.fromEntries(
    TRACKED_MEMORY.map((field) => {
      const fit = watch?.fits[field].result() ?? null;
      return [field, fit === null ? null : { mbPerMinute: Math.round(fit.slope * 100) / 100, r2: Math.round(fit.r2 * 100) / 100 }];
    }),
  ) as Record<TrackedMemory, { mbPerMinute: number; r2: number } | null>;
  const readingsInSlope = watch?.fits.rssMb.count ?? 0;
  const rssGrows = slopes.rssMb !== null && slopes.rssMb.mbPerMinute > MAX_RSS_SLOPE;
  const heapGrows = slopes.heapUsedMb !== null && slopes.heapUsedMb.mbPerMinute > MAX_HEAP_SLOPE;
  const memoryVerdict =
    slopes.rssMb === null
      ? 'not enough readings after the warm-up for a slope (the soak ended early?)'
      : rssGrows || heapGrows
        ? `memory grows: ${[rssGrows ? `RSS +${slopes.rssMb.mbPerMinute} MB/min > ${MAX_RSS_SLOPE}` : '', heapGrows ? `heapUsed +${slopes.heapUsedMb!.mbPerMinute} MB/min > ${MAX_HEAP_SLOPE}` : ''].filter(Boolean).join('; ')}`
        : `memory flat: RSS ${slopes.rssMb.mbPerMinute} MB/min (limit ${MAX_RSS_SLOPE}), heapUsed ${slopes.heapUsedMb?.mbPerMinute} MB/min (limit ${MAX_HEAP_SLOPE})`;
  const ms = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
  const tileKinds = Object.fromEntries(
    Object.entries(totals.tileLatencyByKind).map(([kind, histogram]) => [
      kind,
      { requests: histogram.count, p50Ms: ms(histogram.percentile(0.5)), p95Ms: ms(histogram.percentile(0.95)), p99Ms: ms(histogram.percentile(0.99)) },
    ]),
  );
  const result = {
    startedAt: startedAt.toISOString(),
    setup,
    embedded: !values.services,
    cores: os.availableParallelism(),
    memoryOf: 'this process: HTTP server, in-process job runner and OCR worker threads',
    options: {
      minutes: MINUTES,
      uploadsPerMinute: UPLOADS_PER_MINUTE,
      pagesPerItem: PAGES_PER_ITEM,
      tileClients: TILE_CLIENTS,
      tileThinkMs: TILE_THINK_MS,
      seedItems: SEED_ITEMS,
      sampleSeconds: SAMPLE_SECONDS,
      warmup: WARMUP,
      maxRssSlopeMbPerMinute: MAX_RSS_SLOPE,
      maxHeapSlopeMbPerMinute: MAX_HEAP_SLOPE,
    },
    seedSeconds: Math.round(seedSeconds * 10) / 10,
    soakSeconds: Math.round(soakSeconds * 10) / 10,
    uploads: {
      itemsCreated: totals.itemsCreated,
      pagesAccepted: totals.uploadsAccepted,
      perMinute: minutes > 0 ? totals.uploadsAccepted / minutes : 0,
      itemsProcessed: totals.itemsProcessed,
      ticksLate: totals.uploadTicksLate,
      p50Ms: ms(totals.uploadLatency.percentile(0.5)),
      p95Ms: ms(totals.uploadLatency.percentile(0.95)),
    },
    pipeline: {
      pagesDigitised: totals.pagesDigitised,
      pagesPerMinute: minutes > 0 ? totals.pagesDigitised / minutes : 0,
      pagesFailed: totals.pagesFailed,
      itemsDigitised: totals.itemsDigitised,
      backlogPagesAtEnd: totals.pagesQueued - totals.pagesDigitised - totals.pagesFailed,
      stages: Object.fromEntries(
        [...stageTimes].map(([stage, times]) => [
          stage,
          { count: times.count, meanMs: Math.round(times.totalMs / times.count), maxMs: Math.round(times.maxMs), seedMeanMs: seedStages[stage] ?? null },
        ]),
      ),
    },
    tiles: {
      requests: totals.tileRequests,
      perSecond: soakSeconds > 0 ? totals.tileRequests / soakSeconds : 0,
      p50Ms: ms(totals.tileLatency.percentile(0.5)),
      p95Ms: ms(totals.tileLatency.percentile(0.95)),
      p99Ms: ms(totals.tileLatency.percentile(0.99)),
      byKind: tileKinds,
      pagesServed: tilePool.length,
    },
    eventLoopDelay: {
      p50Ms: loopDelayMs(loopDelayOverall.percentile(50)),
      p99Ms: loopDelayMs(loopDelayOverall.percentile(99)),
      maxMs: loopDelayMs(loopDelayOverall.max),
    },
    errors: { total: totals.errorCount, byKind: Object.fromEntries(totals.errors) },
    productLog: Object.fromEntries(logWarnings),
    memory: {
      ranges: watch?.ranges ?? null,
      slopesAfterWarmup: slopes,
      afterFullGc: afterGc,
      heapSnapshot,
      readingsInSlope,
      slopeFrom: `readings every second from minute ${(WARMUP * MINUTES).toFixed(2)} to the end`,
      grows: rssGrows || heapGrows,
      verdict: memoryVerdict,
    },
    failure,
    shutdownMs: 0,
    samples,
  };

  const line = (label: string, text: string) => console.log(`${label.padEnd(22)} ${text}`);
  console.log('\nsummary');
  line('setup', `${setup}; ${result.cores} cores; load average now ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  line('soak', `${result.soakSeconds} s after a seed of ${result.seedSeconds} s`);
  line(
    'uploads',
    `${result.uploads.pagesAccepted} pages accepted (${result.uploads.perMinute.toFixed(1)}/min) in ${result.uploads.itemsCreated} items; ` +
      `${result.uploads.itemsProcessed} processed; upload p50 ${result.uploads.p50Ms} ms, p95 ${result.uploads.p95Ms} ms; ${result.uploads.ticksLate} ticks late`,
  );
  line(
    'pipeline',
    `${result.pipeline.pagesDigitised} pages digitised (${result.pipeline.pagesPerMinute.toFixed(1)}/min), ${result.pipeline.itemsDigitised} items; ` +
      `${result.pipeline.pagesFailed} pages failed; backlog at the end ${result.pipeline.backlogPagesAtEnd} pages`,
  );
  for (const [stage, times] of Object.entries(result.pipeline.stages)) line(`  ${stage}`, `${times.count}×, mean ${times.meanMs} ms, max ${times.maxMs} ms (seed, no tile load: mean ${times.seedMeanMs ?? '—'} ms)`);
  line(
    'tiles',
    `${result.tiles.requests} requests (${result.tiles.perSecond.toFixed(1)}/s) over ${result.tiles.pagesServed} pages; ` +
      `p50 ${result.tiles.p50Ms} ms, p95 ${result.tiles.p95Ms} ms, p99 ${result.tiles.p99Ms} ms`,
  );
  for (const [kind, stats] of Object.entries(tileKinds)) line(`  ${kind}`, `${stats.requests} requests, p50 ${stats.p50Ms} ms, p95 ${stats.p95Ms} ms, p99 ${stats.p99Ms} ms`);
  line('event loop delay', `p50 ${result.eventLoopDelay.p50Ms} ms, p99 ${result.eventLoopDelay.p99Ms} ms, max ${result.eventLoopDelay.maxMs} ms`);
  line('errors', String(totals.errorCount));
  for (const [kind, entry] of totals.errors) line(`  ${kind}`, `${entry.count}× e.g. ${entry.examples[0]}`);
  if (logWarnings.size > 0) {
    line('product log ≥ warn', '');
    for (const [message, entry] of logWarnings) line('', `${entry.count}× ${message} — ${entry.example}`);
  }
  line('memory (MB)', 'start     min     max     end   slope MB/min after warm-up (R²)');
  for (const field of TRACKED_MEMORY) {
    const range = watch?.ranges[field];
    const slope = slopes[field];
    if (range === undefined) continue;
    line(
      `  ${field.replace(/Mb$/, '')}`,
      `${fmt(range.start, 1, 5)} ${fmt(range.min, 1, 7)} ${fmt(range.max, 1, 7)} ${fmt(range.end, 1, 7)}   ${slope === null ? '—' : `${slope.mbPerMinute} (${slope.r2})`}`,
    );
  }
  if (afterGc.start !== null && afterGc.end !== null) {
    const [start, end] = [afterGc.start, afterGc.end];
    line(
      'after a full GC',
      `start → end of the soak: RSS ${start.rssMb} → ${end.rssMb}, heapUsed ${start.heapUsedMb} → ${end.heapUsedMb}, ` +
        `external ${start.externalMb} → ${end.externalMb}, arrayBuffers ${start.arrayBuffersMb} → ${end.arrayBuffersMb} MB`,
    );
  }
  line('memory verdict', `${memoryVerdict} (${readingsInSlope} readings, one a second, after the first ${Math.round(WARMUP * 100)} % of the soak)`);

  const shutdownStart = performance.now();
  try {
    await application.close();
  } catch (error) {
    failure ??= `shutdown: ${error instanceof Error ? error.message : String(error)}`;
  }
  shutdownMs = Math.round(performance.now() - shutdownStart);
  result.shutdownMs = shutdownMs;
  result.failure = failure;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (values.keep) console.log(`DATA_DIR kept: ${dataDir}`);
  else await rm(dataDir, { recursive: true, force: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  line('shutdown', `${shutdownMs} ms`);
  line('result', out);

  const noVerdict = slopes.rssMb === null;
  const failed = failure !== undefined || totals.errorCount > 0 || result.memory.grows || noVerdict;
  console.log(
    failed
      ? `\nFAIL: ${[failure, totals.errorCount > 0 ? `${totals.errorCount} errors` : '', result.memory.grows || noVerdict ? memoryVerdict : ''].filter(Boolean).join('; ')}`
      : '\nPASS: no errors, memory flat',
  );
  return failed ? 1 : 0;
}

process.exitCode = await main();
