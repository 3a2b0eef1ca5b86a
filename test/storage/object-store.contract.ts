/**
 * The ObjectStore contract: one suite, run unchanged against every adapter on a real backend
 * (see fs.object-store.test.ts and minio.object-store.test.ts). Each test opens its own
 * fresh store and cleans it up.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import type { ExecutionContext, TestFn } from 'ava';

import {
  InvalidInputError,
  NotFoundError,
  type ObjectInfo,
  type ObjectStore,
  type ObjectSummary,
} from '../../storage/index.ts';
import type { StoreSpec } from './store-spec.ts';
import {
  failingStream,
  hashStream,
  patternBytes,
  patternSha256,
  patternStream,
  readAll,
  sha256,
} from './stream-helpers.ts';

const execFileAsync = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const MiB = 1024 * 1024;

export interface ContractStore {
  store: ObjectStore;
  /** How to open the same store from a child process. */
  spec: StoreSpec;
  /** Names of the temporary files the store has now (fs: `<root>/.tmp`; s3: the spool folder). */
  tempLeftovers(): Promise<string[]>;
  cleanup(): Promise<void>;
}

/**
 * Properties the backend itself lacks (not the adapter): the tests that need them are not
 * registered for that backend (a skipped test would count as a failure in `npm test`).
 * Only for stand-ins such as s3rver; the README lists what only a real MinIO confirms.
 */
export interface BackendLimits {
  /** Why an overwrite is not atomic on this backend. */
  nonAtomicOverwrite?: string;
  /** Why listing is not in byte order on this backend. */
  unorderedListing?: string;
}

type Body = (t: ExecutionContext, ctx: ContractStore) => Promise<void>;

export function runObjectStoreContract(
  test: TestFn,
  name: string,
  makeStore: () => Promise<ContractStore>,
  limits: BackendLimits = {},
): void {
  const withStore = (body: Body) => async (t: ExecutionContext) => {
    const ctx = await makeStore();
    try {
      await body(t, ctx);
    } finally {
      await ctx.cleanup();
    }
  };
  const define = (title: string, body: Body, backendLacks?: string) => {
    if (backendLacks === undefined) test(`${name}: ${title}`, withStore(body));
  };

  define('put and get round-trip a Buffer; put reports what it stored', async (t, { store }) => {
    const bytes = patternBytes(100_000, 1);
    const info = await store.put('masters/1/0001.tif', bytes);
    t.is(info.key, 'masters/1/0001.tif');
    t.is(info.size, bytes.length);
    t.is(info.sha256, sha256(bytes));
    t.is(info.contentType, 'image/tiff');
    t.true(info.lastModified instanceof Date && !Number.isNaN(info.lastModified.getTime()));
    t.deepEqual(await readAll(await store.get('masters/1/0001.tif')), bytes);
  });

  define('put and get round-trip a stream of many chunks, and a Uint8Array', async (t, { store }) => {
    const info = await store.put('masters/1/0002.tif', patternStream(1 * MiB + 123, 2, { pauseEvery: 3 }));
    t.is(info.size, 1 * MiB + 123);
    t.is(info.sha256, patternSha256(1 * MiB + 123, 2));
    t.deepEqual(await readAll(await store.get('masters/1/0002.tif')), patternBytes(1 * MiB + 123, 2));

    const view = new Uint8Array(patternBytes(1000, 5).buffer, 10, 500);
    await store.put('misc/view.bin', view);
    t.deepEqual(await readAll(await store.get('misc/view.bin')), Buffer.from(view));
  });

  define('an empty object round-trips', async (t, { store }) => {
    const info = await store.put('misc/empty.txt', Buffer.alloc(0));
    t.is(info.size, 0);
    t.is(info.sha256, sha256(''));
    t.is((await readAll(await store.get('misc/empty.txt'))).length, 0);
    const stat = await store.stat('misc/empty.txt');
    t.is(stat.size, 0);
    t.is(stat.sha256, sha256(''));
    await t.throwsAsync(store.getRange('misc/empty.txt', 0, 0), { instanceOf: InvalidInputError });
  });

  define('overwriting replaces bytes, size and sha256', async (t, { store }) => {
    await store.put('derivatives/1/0001/text.txt', Buffer.from('first version, longer'));
    await store.put('derivatives/1/0001/text.txt', Buffer.from('second'));
    t.is((await readAll(await store.get('derivatives/1/0001/text.txt'))).toString(), 'second');
    const stat = await store.stat('derivatives/1/0001/text.txt');
    t.is(stat.size, 6);
    t.is(stat.sha256, sha256('second'));
  });

  define('stat reports size, an independently computed sha256 and the content type', async (t, { store }) => {
    const bytes = patternBytes(4321, 7);
    await store.put('x/page.tif', bytes);
    await store.put('x/record.json', Buffer.from('{}'));
    await store.put('x/no-extension', Buffer.from('?'));
    await store.put('x/explicit.tif', Buffer.from('x'), { contentType: 'application/vnd.custom+xml' });
    const stat = await store.stat('x/page.tif');
    t.is(stat.key, 'x/page.tif');
    t.is(stat.size, 4321);
    t.is(stat.sha256, sha256(bytes));
    t.is(stat.contentType, 'image/tiff');
    t.true(stat.lastModified instanceof Date && !Number.isNaN(stat.lastModified.getTime()));
    t.is((await store.stat('x/record.json')).contentType, 'application/json');
    t.is((await store.stat('x/no-extension')).contentType, 'application/octet-stream');
    t.is((await store.stat('x/explicit.tif')).contentType, 'application/vnd.custom+xml');
    await t.throwsAsync(store.put('x/bad.txt', Buffer.from('x'), { contentType: 'text/plain\r\nX-Evil: 1' }), {
      instanceOf: InvalidInputError,
    });
    t.false(await store.exists('x/bad.txt'));
  });

  define('exists is true for an object, false for a missing key and for a bare prefix', async (t, { store }) => {
    await store.put('a/b/c.txt', Buffer.from('c'));
    t.true(await store.exists('a/b/c.txt'));
    t.false(await store.exists('a/b/d.txt'));
    t.false(await store.exists('a/b'));
  });

  define('getRange returns exactly the bytes asked for', async (t, { store }) => {
    const bytes = patternBytes(1000, 3);
    await store.put('r/data.bin', bytes);
    const range = async (start: number, end: number) => readAll(await store.getRange('r/data.bin', start, end));
    t.deepEqual(await range(0, 0), bytes.subarray(0, 1));
    t.deepEqual(await range(500, 599), bytes.subarray(500, 600));
    t.deepEqual(await range(999, 999), bytes.subarray(999, 1000));
    t.deepEqual(await range(0, 999), bytes);
  });

  define('getRange rejects ranges outside the object or malformed', async (t, { store }) => {
    await store.put('r/data.bin', patternBytes(1000, 3));
    const bad: [number, number][] = [
      [5, 4],
      [-1, 3],
      [0, 1000],
      [1000, 1000],
      [2000, 2100],
      [1.5, 3],
      [0, Number.NaN],
    ];
    for (const [start, end] of bad) {
      await t.throwsAsync(store.getRange('r/data.bin', start, end), { instanceOf: InvalidInputError }, `${start}-${end}`);
    }
  });

  define('a missing key is NotFoundError from get, stat, getRange, copy and move', async (t, { store }) => {
    await store.put('present/file.txt', Buffer.from('x'));
    await t.throwsAsync(store.get('missing/file.txt'), { instanceOf: NotFoundError });
    await t.throwsAsync(store.stat('missing/file.txt'), { instanceOf: NotFoundError });
    await t.throwsAsync(store.getRange('missing/file.txt', 0, 0), { instanceOf: NotFoundError });
    await t.throwsAsync(store.copy('missing/file.txt', 'other/file.txt'), { instanceOf: NotFoundError });
    await t.throwsAsync(store.move('missing/file.txt', 'other/file.txt'), { instanceOf: NotFoundError });
    // A key that is only a prefix of other keys is missing too.
    await t.throwsAsync(store.get('present'), { instanceOf: NotFoundError });
    await t.throwsAsync(store.stat('present'), { instanceOf: NotFoundError });
    t.false(await store.exists('other/file.txt'));
  });

  define('delete is idempotent', async (t, { store }) => {
    await store.delete('never/existed.txt');
    await store.put('d/e.txt', Buffer.from('e'));
    await store.put('d/f.txt', Buffer.from('f'));
    await store.delete('d/e.txt');
    await store.delete('d/e.txt');
    await store.delete('d'); // only a prefix: nothing to delete, and d/f.txt stays
    t.false(await store.exists('d/e.txt'));
    await t.throwsAsync(store.get('d/e.txt'), { instanceOf: NotFoundError });
    t.true(await store.exists('d/f.txt'));
    t.deepEqual(keysOf((await store.list('d/')).objects), ['d/f.txt']);
  });

  define('a former prefix can become a key once the keys under it are gone', async (t, { store }) => {
    await store.put('p/q.txt', Buffer.from('q'));
    await store.delete('p/q.txt');
    await store.put('p', Buffer.from('p'));
    t.is((await readAll(await store.get('p'))).toString(), 'p');
    await store.put('r/s/t.txt', Buffer.from('t'));
    await store.move('r/s/t.txt', 'moved.txt');
    await store.put('r', Buffer.from('r'));
    t.deepEqual(keysOf((await store.list('')).objects), ['moved.txt', 'p', 'r']);
  });

  define('copy carries bytes, sha256 and content type, replacing the destination', async (t, { store }) => {
    const bytes = patternBytes(70_000, 11);
    await store.put('src/page.bin', bytes, { contentType: 'image/x-custom' });
    await store.put('dst/page.bin', Buffer.from('old destination'));
    await store.copy('src/page.bin', 'dst/page.bin');
    t.deepEqual(await readAll(await store.get('dst/page.bin')), bytes);
    const stat = await store.stat('dst/page.bin');
    t.is(stat.sha256, sha256(bytes));
    t.is(stat.contentType, 'image/x-custom');
    t.is(stat.size, bytes.length);
    t.true(await store.exists('src/page.bin'));
    await store.copy('src/page.bin', 'src/page.bin'); // onto itself: a no-op
    t.deepEqual(await readAll(await store.get('src/page.bin')), bytes);
  });

  define('move carries bytes, sha256 and content type, and removes the source', async (t, { store }) => {
    const bytes = patternBytes(70_000, 12);
    await store.put('tmp/job-1/page.bin', bytes, { contentType: 'image/x-custom' });
    await store.put('final/page.bin', Buffer.from('old'));
    await store.move('tmp/job-1/page.bin', 'final/page.bin');
    t.deepEqual(await readAll(await store.get('final/page.bin')), bytes);
    const stat = await store.stat('final/page.bin');
    t.is(stat.sha256, sha256(bytes));
    t.is(stat.contentType, 'image/x-custom');
    t.false(await store.exists('tmp/job-1/page.bin'));
    await t.throwsAsync(store.get('tmp/job-1/page.bin'), { instanceOf: NotFoundError });
    t.deepEqual(keysOf((await store.list('')).objects), ['final/page.bin']);
  });

  define('list of an empty store or prefix is empty; limit is checked', async (t, { store }) => {
    t.deepEqual(await store.list(''), { objects: [] });
    await store.put('k/one.txt', Buffer.from('12345'));
    t.deepEqual(await store.list('nothing-here/'), { objects: [] });
    const page = await store.list('k/');
    t.is(page.objects.length, 1);
    t.is(page.nextStartAfter, undefined);
    const [summary] = page.objects;
    t.is(summary?.key, 'k/one.txt');
    t.is(summary?.size, 5);
    t.true(summary?.lastModified instanceof Date);
    for (const limit of [0, -1, 1001, 1.5, Number.NaN]) {
      await t.throwsAsync(store.list('', { limit }), { instanceOf: InvalidInputError }, `limit ${limit}`);
    }
    t.is((await store.list('', { limit: 1000 })).objects.length, 1);
  });

  define('list pages through the storage layout in key order', async (t, { store }) => {
    const keys = [
      'masters/1/0001.tif',
      'masters/1/0002.tif',
      'masters/1/0010.tif',
      'masters/2/0001.tif',
      'masters/10/0001.tif',
      'masters/10/0002.tif',
      'derivatives/1/0001/pyramid.tif',
      'derivatives/1/0001/thumb.jpg',
      'derivatives/1/0002/pyramid.tif',
      'derivatives/1/0002/thumb.jpg',
      'derivatives/2/0001/ocr.hocr',
      'packages/1/document.pdf',
      'packages/1/manifest.json',
      'packages/2/manifest.json',
      'packages/10/manifest.json',
      'records/1/item.json',
      'records/2/item.json',
      'records/10/item.json',
      'zz',
      'A/upper.txt',
    ];
    await putAll(store, keys);
    const sorted = byteSorted(keys);
    t.deepEqual(await pagedKeys(store, '', 7), sorted);
    t.deepEqual(await pagedKeys(store, 'masters/', 2), sorted.filter((k) => k.startsWith('masters/')));
    t.deepEqual(await pagedKeys(store, 'masters/1', 3), sorted.filter((k) => k.startsWith('masters/1')));
    t.deepEqual(await collect(store.listAll('')), sorted);
    t.deepEqual(await collect(store.listAll('packages/1/')), ['packages/1/document.pdf', 'packages/1/manifest.json']);
  });

  define(
    'list pages in S3 byte order across tricky names (a-c < a.b < a/b), from any startAfter',
    async (t, { store }) => {
      const keys = [
        'a-c',
        'a.b',
        'a/b',
        'a/c-d',
        'a/c.d',
        'a/c/e',
        'a/c/f.txt',
        'a/c_/g',
        'a0',
        'a_z',
        'aa/b',
        'b',
        'b-/x',
        'b.-',
        'B',
        'Z/z',
        '00/1',
        '0-',
        'm/n/o/p/q',
        'm/n/o/p-q',
        'm/n/o-p',
        'm/n-o',
        'm-n',
        'masters/1/0001.tif',
        'masters/10/0001.tif',
      ];
      await putAll(store, keys);
      const sorted = byteSorted(keys);
      const pages = await pages7(store);
      const flat = pages.flat();
      t.deepEqual(flat, sorted);
      t.is(new Set(flat).size, flat.length, 'no duplicates');
      t.true(pages.every((page) => page.length <= 7));
      t.deepEqual(await collect(store.listAll('')), sorted);
      for (const prefix of ['a', 'a/', 'a/c', 'm/n/o', 'masters/1', 'b']) {
        t.deepEqual(await pagedKeys(store, prefix, 3), sorted.filter((k) => k.startsWith(prefix)), `prefix ${prefix}`);
      }
      // Any startAfter, key or not (every prefix of every key, plus a few in between).
      const starts = new Set<string>(['', '/', 'a/c/', 'a/c/z', 'm/n/o/p/', 'zzz']);
      for (const key of keys) for (let i = 1; i <= key.length; i += 1) starts.add(key.slice(0, i));
      for (const startAfter of starts) {
        const page = await store.list('', { startAfter, limit: 4 });
        t.deepEqual(keysOf(page.objects), sorted.filter((k) => k > startAfter).slice(0, 4), `after ${startAfter}`);
      }
    },
    limits.unorderedListing,
  );

  async function pages7(store: ObjectStore): Promise<string[][]> {
    const pages: string[][] = [];
    let startAfter: string | undefined;
    for (let guard = 0; guard < 100; guard += 1) {
      const page = await store.list('', startAfter === undefined ? { limit: 7 } : { startAfter, limit: 7 });
      pages.push(keysOf(page.objects));
      if (page.nextStartAfter === undefined) return pages;
      startAfter = page.nextStartAfter;
    }
    throw new Error('list never ended');
  }

  define('invalid keys and prefixes are rejected by every method', async (t, { store, tempLeftovers }) => {
    await store.put('good.txt', Buffer.from('good'));
    const badKeys = [
      '../x',
      '/abs',
      'a\\b',
      'a\u0000b',
      'a//b',
      '.hidden/x',
      'a/./b',
      'a/../b',
      '',
      'x'.repeat(1025),
      'trailing/',
      'with space',
      'dấu',
    ];
    for (const bad of badKeys) {
      const calls: [string, () => Promise<unknown>][] = [
        ['put', () => store.put(bad, Buffer.from('x'))],
        ['get', () => store.get(bad)],
        ['getRange', () => store.getRange(bad, 0, 0)],
        ['stat', () => store.stat(bad)],
        ['exists', () => store.exists(bad)],
        ['delete', () => store.delete(bad)],
        ['copy from', () => store.copy(bad, 'ok.txt')],
        ['copy to', () => store.copy('good.txt', bad)],
        ['move from', () => store.move(bad, 'ok.txt')],
        ['move to', () => store.move('good.txt', bad)],
      ];
      for (const [method, call] of calls) {
        await t.throwsAsync(call, { instanceOf: InvalidInputError }, `${method} ${JSON.stringify(bad.slice(0, 20))}`);
      }
    }
    for (const bad of ['../x', '/abs', 'a\\b', 'a//', '.hidden/', 'a/./', 'x'.repeat(1025), 'a b']) {
      await t.throwsAsync(store.list(bad), { instanceOf: InvalidInputError }, `list ${JSON.stringify(bad.slice(0, 20))}`);
      await t.throwsAsync(collect(store.listAll(bad)), { instanceOf: InvalidInputError });
    }
    // Nothing was written, nothing moved.
    t.deepEqual(keysOf((await store.list('')).objects), ['good.txt']);
    t.deepEqual(await tempLeftovers(), []);
  });

  define('an expectedSha256 mismatch stores nothing and leaves the old object', async (t, { store, tempLeftovers }) => {
    await store.put('scans/page.tif', Buffer.from('old bytes'));
    const wrong = sha256('not the body');
    await t.throwsAsync(store.put('scans/page.tif', Buffer.from('new bytes'), { expectedSha256: wrong }), {
      instanceOf: InvalidInputError,
    });
    await t.throwsAsync(store.put('scans/page.tif', patternStream(300_000, 4), { expectedSha256: wrong }), {
      instanceOf: InvalidInputError,
    });
    t.is((await readAll(await store.get('scans/page.tif'))).toString(), 'old bytes');
    t.is((await store.stat('scans/page.tif')).sha256, sha256('old bytes'));

    await t.throwsAsync(store.put('scans/fresh.tif', patternStream(300_000, 4), { expectedSha256: wrong }), {
      instanceOf: InvalidInputError,
    });
    t.false(await store.exists('scans/fresh.tif'));
    t.deepEqual(keysOf((await store.list('scans/')).objects), ['scans/page.tif']);

    await t.throwsAsync(store.put('scans/fresh.tif', Buffer.from('x'), { expectedSha256: 'xyz' }), {
      instanceOf: InvalidInputError,
    });
    const matching = await store.put('scans/fresh.tif', Buffer.from('right'), {
      expectedSha256: sha256('right').toUpperCase(),
    });
    t.is(matching.sha256, sha256('right'));
    t.deepEqual(await tempLeftovers(), []);
  });

  define('a body stream failing half-way rejects put with its error and changes nothing', async (t, ctx) => {
    const { store, tempLeftovers } = ctx;
    await store.put('scans/page.tif', Buffer.from('old bytes'));
    const boom = new Error('scanner cable unplugged');
    const error = await t.throwsAsync(store.put('scans/page.tif', failingStream(6 * MiB, boom)));
    t.is(error, boom);
    t.is((await readAll(await store.get('scans/page.tif'))).toString(), 'old bytes');
    t.is((await store.stat('scans/page.tif')).sha256, sha256('old bytes'));

    const again = await t.throwsAsync(store.put('scans/other.tif', failingStream(100_000, boom)));
    t.is(again, boom);
    t.false(await store.exists('scans/other.tif'));
    t.deepEqual(keysOf((await store.list('')).objects), ['scans/page.tif']);
    t.deepEqual(await tempLeftovers(), []);
  });

  define('a stream of strings is rejected: bodies are bytes', async (t, { store, tempLeftovers }) => {
    await t.throwsAsync(store.put('text/page.txt', Readable.from(['not', 'bytes'])), { instanceOf: InvalidInputError });
    t.false(await store.exists('text/page.txt'));
    t.deepEqual(await tempLeftovers(), []);
  });

  define('a 50 MB stream is stored and read back with bounded memory (RSS of a child process)', async (t, { spec }) => {
    const size = 50 * MiB;
    const expected = patternSha256(size, 50);
    // Asserted: RSS with a full GC before every 20 ms sample, i.e. memory really held.
    const held = await runBigObjectChild(spec, { key: 'big/master.tif', size, seed: 50, collect: true });
    // Logged only: plain RSS, which also counts dead Buffers V8 has not collected yet.
    const plain = await runBigObjectChild(spec, { key: 'big/master-2.tif', size, seed: 50, collect: false });
    for (const [label, report] of [
      ['with GC before each sample', held],
      ['plain', plain],
    ] as const) {
      t.log(
        `${label}: put RSS ${mb(report.put.baselineRss)} → peak ${mb(report.put.peakRss)} (+${mb(report.put.peakRss - report.put.baselineRss)}); read RSS ${mb(report.read.baselineRss)} → peak ${mb(report.read.peakRss)} (+${mb(report.read.peakRss - report.read.baselineRss)})`,
      );
      t.is(report.put.info.size, size);
      t.is(report.put.info.sha256, expected);
      t.is(report.read.size, size);
      t.is(report.read.sha256, expected);
    }
    const putGrowth = held.put.peakRss - held.put.baselineRss;
    const readGrowth = held.read.peakRss - held.read.baselineRss;
    t.true(putGrowth < 25 * MiB, `RSS grew by ${mb(putGrowth)} while storing 50 MB`);
    t.true(readGrowth < 25 * MiB, `RSS grew by ${mb(readGrowth)} while reading 50 MB`);
  });

  define(
    'concurrent writers to one key: the result is exactly one writer’s bytes, and stat never lies',
    async (t, { store }) => {
      const size = 512 * 1024;
      let statsWithSha = 0;
      for (let round = 0; round < 3; round += 1) {
        const seeds = [1, 2, 3, 4, 5, 6].map((n) => round * 10 + n);
        const hashes = new Set(seeds.map((seed) => patternSha256(size, seed)));
        const results = await Promise.allSettled(
          seeds.map((seed) => store.put('race/page.tif', patternStream(size, seed, { pauseEvery: 1 }))),
        );
        t.true(results.every((r) => r.status === 'fulfilled'));
        const stored = await hashStream(await store.get('race/page.tif'));
        t.true(hashes.has(stored.sha256), `round ${round}: stored bytes are one writer's`);
        t.is(stored.size, size);
        const stat = await store.stat('race/page.tif');
        t.is(stat.size, size);
        if (stat.sha256 !== undefined) {
          statsWithSha += 1;
          t.is(stat.sha256, stored.sha256, `round ${round}: stat's sha256 belongs to the stored bytes`);
        }
      }
      t.log(`stat reported a sha256 after ${statsWithSha} of 3 races`);
    },
    limits.nonAtomicOverwrite,
  );

  define(
    'a reader during a write sees the complete old or the complete new object',
    async (t, { store }) => {
      const oldSize = 2 * MiB;
      const newSize = 6 * MiB;
      await store.put('live/page.tif', patternStream(oldSize, 1));
      const allowed = new Map([
        [patternSha256(oldSize, 1), 'old'],
        [patternSha256(newSize, 2), 'new'],
      ]);
      let produced = 0;
      let settled = false;
      const writing = store
        .put('live/page.tif', patternStream(newSize, 2, { pauseEvery: 2, onChunk: (i) => (produced = i) }))
        .finally(() => (settled = true));
      while (produced < 10 && !settled) await new Promise((resolve) => setImmediate(resolve));
      const seen: string[] = [];
      do {
        const read = await hashStream(await store.get('live/page.tif'));
        seen.push(allowed.get(read.sha256) ?? `mixed (${read.size} bytes)`);
      } while (!settled);
      await writing;
      t.log(`readers saw: ${seen.join(', ')}`);
      t.true(seen.length >= 1);
      t.true(seen.every((s) => s === 'old' || s === 'new'), seen.join(', '));
      t.is((await hashStream(await store.get('live/page.tif'))).sha256, patternSha256(newSize, 2));
    },
    limits.nonAtomicOverwrite,
  );
}

function keysOf(objects: ObjectSummary[]): string[] {
  return objects.map((o) => o.key);
}

function byteSorted(keys: string[]): string[] {
  return [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

async function putAll(store: ObjectStore, keys: string[]): Promise<void> {
  for (const key of keys) await store.put(key, Buffer.from(`content of ${key}`));
}

async function pagedKeys(store: ObjectStore, prefix: string, limit: number): Promise<string[]> {
  const keys: string[] = [];
  let startAfter: string | undefined;
  for (let guard = 0; guard < 1000; guard += 1) {
    const page = await store.list(prefix, startAfter === undefined ? { limit } : { startAfter, limit });
    keys.push(...keysOf(page.objects));
    if (page.nextStartAfter === undefined) return keys;
    startAfter = page.nextStartAfter;
  }
  throw new Error('list never ended');
}

async function collect(iterable: AsyncIterable<ObjectSummary>): Promise<string[]> {
  const keys: string[] = [];
  for await (const summary of iterable) keys.push(summary.key);
  return keys;
}

interface BigObjectReport {
  put: { info: ObjectInfo; baselineRss: number; peakRss: number };
  read: { sha256: string; size: number; baselineRss: number; peakRss: number };
}

async function runBigObjectChild(
  spec: StoreSpec,
  job: { key: string; size: number; seed: number; collect: boolean },
): Promise<BigObjectReport> {
  const args = ['--import', 'tsx', ...(job.collect ? ['--expose-gc'] : [])];
  const child = path.join(here, 'fixtures', 'big-object.child.ts');
  const { stdout } = await execFileAsync(process.execPath, [...args, child, JSON.stringify(spec), JSON.stringify(job)], {
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as BigObjectReport;
}

function mb(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MB`;
}
