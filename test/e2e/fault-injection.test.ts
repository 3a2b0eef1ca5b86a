import { execFile } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import sharp from 'sharp';
import { postJson } from '../helpers/post-json.ts';
import { ADMIN_HEADERS, startAppOnFreePort, TEST_ADMIN_TOKEN, type RunningApp } from '../helpers/running-app.ts';
import { RECORDS_PREFIX } from '../../storage/index.ts';
import { assertStoreIntact } from '../helpers/store-intact.ts';
import { waitFor } from '../helpers/wait-for.ts';

const run = promisify(execFile);

async function newItem(app: RunningApp, slug: string): Promise<string> {
  const api = `${app.baseUrl}/api`;
  const library = await postJson(`${api}/libraries`, { slug, name: 'Thư viện huyện', province: 'Lâm Đồng', kind: 'district' });
  const collection = await postJson(`${api}/collections`, { libraryId: library.id, slug: 'dia-chi', title: 'Địa chí', category: 'dia-chi' });
  return (await postJson(`${api}/items`, { collectionId: collection.id, identifier: `${slug}-1`, title: 'Tài liệu' })).id;
}

/** A page scan of noise: it does not compress, so its size is what the test asks for. */
function noisePage(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  return sharp(pixels, { raw: { width, height, channels: 1 } }).withMetadata({ density: 300 }).png({ compressionLevel: 0 }).toBuffer();
}

/** Every file under a folder, relative paths. */
async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
}

test('a client that disconnects in the middle of an upload leaves no master, no page and no spooled file', async (t) => {
  t.timeout(120_000);
  const app = await startAppOnFreePort('e2e-fault-disconnect', { FIXITY_INTERVAL_MINUTES: '0' });
  try {
    const itemId = await newItem(app, 'fault-disconnect');
    const page = await noisePage(1200, 1600);
    const boundary = 'fault-boundary';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="0001.png"\r\nContent-Type: image/png\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const url = new URL(`${app.baseUrl}/api/items/${itemId}/pages`);
    await new Promise<void>((resolve) => {
      const req = request(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + page.length + tail.length) },
      });
      req.on('error', () => resolve());
      req.write(head);
      req.write(page.subarray(0, page.length / 2), () => setTimeout(() => req.destroy(), 300));
      req.on('close', () => resolve());
    });
    const spool = path.join(app.config.dataDir, 'tmp', 'uploads');
    await waitFor('the spooled half file to be removed', async () => (await filesUnder(spool)).length === 0, 10_000);
    const item = (await (await fetch(`${app.baseUrl}/api/items/${itemId}`, { headers: ADMIN_HEADERS })).json()) as { pages: unknown[] };
    t.deepEqual(item.pages, [], 'no page record');
    await assertStoreIntact(t, app.application.services);
    t.deepEqual((await filesUnder(path.join(app.config.dataDir, 'objects'))).filter((file) => file.startsWith('masters')), [], 'no master');
  } finally {
    await app.close();
  }
});

test('a full object store: the upload is refused with a clear message, nothing half-written; when space returns, work goes on', async (t) => {
  t.timeout(240_000);
  const app = await startAppOnFreePort('e2e-fault-full', { FIXITY_INTERVAL_MINUTES: '0' });
  const objects = path.join(app.config.dataDir, 'objects');
  const mounted = path.join(app.config.dataDir, 'full-disk');
  try {
    const itemId = await newItem(app, 'fault-full');
    // A 1 MiB filesystem where the store keeps its objects: the "disk" of this test.
    await mkdir(mounted, { recursive: true });
    await run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mounted]);
    await run('cp', ['-a', `${objects}/.`, mounted]);
    await run('mount', ['--bind', mounted, objects]);
    const page = await noisePage(1400, 1400);
    const form = () => {
      const body = new FormData();
      body.append('file', new Blob([page]), '0001.png');
      return body;
    };
    const refused = await fetch(`${app.baseUrl}/api/items/${itemId}/pages`, { method: 'POST', headers: ADMIN_HEADERS, body: form() });
    t.is(refused.status, 503);
    const { error } = (await refused.json()) as { error: { message: string } };
    t.regex(error.message, /object store is full: free space/);
    const item = (await (await fetch(`${app.baseUrl}/api/items/${itemId}`, { headers: ADMIN_HEADERS })).json()) as { pages: unknown[] };
    t.deepEqual(item.pages, [], 'no page record for the refused upload');
    // The record writer works in the background, so temporary files come and go: each one seen
    // must end (renamed into place, or removed when the disk is full), never stay behind. Apart
    // from them, only the small records (library, collection, item) fit, each complete.
    const inFlight = (await filesUnder(mounted)).filter((file) => file.startsWith('.tmp/'));
    await waitFor('every temporary file to be renamed into place or removed', async () => {
      const now = new Set(await filesUnder(mounted));
      return inFlight.every((file) => !now.has(file));
    }, 20_000);
    const leftOver = (await filesUnder(mounted)).filter((file) => !file.startsWith('.tmp/') && !file.replace(/^\.meta\//, '').startsWith(RECORDS_PREFIX));
    t.deepEqual(leftOver, [], 'no half-written object left on the full disk');

    await run('mount', ['-o', 'remount,size=256m', mounted]);
    const accepted = await fetch(`${app.baseUrl}/api/items/${itemId}/pages`, { method: 'POST', headers: ADMIN_HEADERS, body: form() });
    t.is(accepted.status, 202, 'with space back the same upload is accepted');
    await fetch(`${app.baseUrl}/api/items/${itemId}/process`, { method: 'POST', headers: ADMIN_HEADERS });
    const done = await waitFor('the document to be digitised', async () => {
      const state = (await (await fetch(`${app.baseUrl}/api/items/${itemId}`, { headers: ADMIN_HEADERS })).json()) as { status: string };
      return state.status === 'digitised' || state.status === 'failed' ? state.status : undefined;
    }, 180_000);
    t.is(done, 'digitised');
    await assertStoreIntact(t, app.application.services);
  } finally {
    await run('umount', [objects]).catch(() => undefined);
    await run('umount', [mounted]).catch(() => undefined);
    await app.close();
  }
});
