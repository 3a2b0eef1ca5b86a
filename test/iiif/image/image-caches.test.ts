import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { ByteLruCache } from '../../../iiif/image/byte-lru-cache.ts';
import { PyramidFileCache, type ResolveImageSource } from '../../../iiif/image/index.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { FIXTURE_ID, startImageServer } from './helpers.ts';

test('ByteLruCache evicts least recently used entries by bytes and by count', (t) => {
  const evicted: string[] = [];
  const cache = new ByteLruCache<string>(100, 3, (key) => evicted.push(key));
  cache.set('a', 'A', 40);
  cache.set('b', 'B', 40);
  t.is(cache.get('a'), 'A'); // a is now the most recent
  cache.set('c', 'C', 40); // 120 bytes > 100: evict b
  t.deepEqual(evicted, ['b']);
  t.deepEqual(cache.keys(), ['a', 'c']);
  t.is(cache.bytes, 80);
  cache.set('d', 'D', 10);
  cache.set('e', 'E', 10); // 4 entries > 3: evict a
  t.deepEqual(evicted, ['b', 'a']);
  cache.set('huge', 'H', 101);
  t.false(cache.has('huge'), 'an entry above maxBytes is not kept');
  t.is(cache.get('zzz'), undefined);
  t.is(cache.misses, 1);
});

test('PyramidFileCache: one download for concurrent requests, new version → new file, LRU eviction by bytes', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'iiif-pyramid-cache-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const cache = new PyramidFileCache({ dir, maxBytes: 250 });
  let downloads = 0;
  const fill = (bytes: number) => async (temporary: string) => {
    downloads++;
    await new Promise((resolve) => setTimeout(resolve, 10));
    await writeFile(temporary, Buffer.alloc(bytes));
  };
  const [a1, a2, a3] = await Promise.all([cache.path('k/a', 'v1', fill(100)), cache.path('k/a', 'v1', fill(100)), cache.path('k/a', 'v1', fill(100))]);
  t.is(downloads, 1);
  t.true(a1 === a2 && a2 === a3);
  const a1again = await cache.path('k/a', 'v1', fill(100));
  t.is(downloads, 1, 'a second request is a hit');
  t.is(a1again, a1);
  const a2v = await cache.path('k/a', 'v2', fill(100));
  t.is(downloads, 2, 'a rebuilt pyramid (new sha256) is downloaded again');
  t.not(a2v, a1);
  await cache.path('k/a', 'v1', fill(100)); // touch v1: v2 is now the least recently used
  await cache.path('k/b', 'v1', fill(100)); // 300 > 250: evict v2
  // The evicted file is removed in the background (a request never waits for it).
  await waitFor('the evicted version to be removed', async () => !(await readdir(dir)).includes(path.basename(a2v)), 10_000);
  const files = await readdir(dir);
  t.true(files.includes(path.basename(a1)));
  t.is(cache.bytes, 200);
  t.false(files.some((f) => f.endsWith('.part')), 'no temporary files left');
  // A failed download leaves nothing behind and is retried next time.
  await t.throwsAsync(cache.path('k/c', 'v1', async (temporary) => {
    await writeFile(temporary, 'half');
    throw new Error('connection reset');
  }));
  t.false((await readdir(dir)).some((f) => f.endsWith('.part')));
  // A new process adopts the files already there.
  const reopened = new PyramidFileCache({ dir, maxBytes: 250 });
  await reopened.path('k/a', 'v1', fill(100));
  t.is(reopened.fills, 0);
});

/**
 * fetch() adds `Cache-Control: no-cache` to conditional requests (Fetch standard, HTTP-network-or-cache
 * fetch), which makes any server answer 200; a browser revalidating sends max-age=0 instead.
 */
const REVALIDATE = { 'Cache-Control': 'max-age=0' };

test('tile cache: a second request is a hit (no source read), LRU by bytes; ETag / Last-Modified give 304', async (t) => {
  let reads = 0;
  const server = await startImageServer({
    wrapSource: (source: ResolveImageSource): ResolveImageSource => async (identifier, req, purpose) => {
      const resolved = await source(identifier, req, purpose);
      return {
        ...resolved,
        get path() {
          reads++;
          return resolved.path;
        },
      };
    },
    tileCache: { maxBytes: 60_000 },
  });
  t.teardown(() => server.close());
  const base = `${server.url}/iiif/3/${FIXTURE_ID}`;
  const tile = `${base}/0,0,256,256/max/0/default.jpg`;
  const first = await fetch(tile);
  t.is(first.status, 200);
  const body = Buffer.from(await first.arrayBuffer());
  const readsAfterFirst = reads;
  t.true(readsAfterFirst > 0);
  const second = await fetch(tile);
  t.is(second.status, 200);
  t.deepEqual(Buffer.from(await second.arrayBuffer()), body);
  t.is(reads, readsAfterFirst + 1, 'only the cache key reads the path; nothing is rendered');

  // Fill the 60 kB cache with other tiles: the first one is evicted and rendered again.
  for (const x of [256, 512, 744]) for (const y of [0, 256, 512, 744]) await (await fetch(`${base}/${x},${y},256,256/max/0/default.png`)).arrayBuffer();
  const before = reads;
  await (await fetch(tile)).arrayBuffer();
  t.true(reads > before + 1, 'evicted: rendered from the source again');

  const etag = first.headers.get('etag');
  const lastModified = first.headers.get('last-modified');
  t.truthy(etag);
  t.truthy(lastModified);
  t.truthy(first.headers.get('cache-control'));
  const notModified = await fetch(tile, { headers: { 'If-None-Match': etag!, ...REVALIDATE } });
  t.is(notModified.status, 304);
  t.is(notModified.headers.get('access-control-allow-origin'), '*');
  const sinceModified = await fetch(tile, { headers: { 'If-Modified-Since': lastModified!, ...REVALIDATE } });
  t.is(sinceModified.status, 304);
  const stale = await fetch(tile, { headers: { 'If-None-Match': '"something-else"', ...REVALIDATE } });
  t.is(stale.status, 200);
  const info = await fetch(`${base}/info.json`);
  const infoAgain = await fetch(`${base}/info.json`, { headers: { 'If-None-Match': info.headers.get('etag')!, ...REVALIDATE } });
  t.is(infoAgain.status, 304);
  const otherRendering = await fetch(`${base}/0,0,256,256/max/90/default.jpg`);
  t.not(otherRendering.headers.get('etag'), etag, 'each rendering has its own ETag');
});
