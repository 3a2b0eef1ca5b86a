import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import test from 'ava';
import sharp from 'sharp';
import * as tus from 'tus-js-client';
import { postJson } from '../helpers/post-json.ts';
import { startAppOnFreePort, type RunningApp, ADMIN_HEADERS } from '../helpers/running-app.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';
import { waitFor } from '../helpers/wait-for.ts';

let app: RunningApp;

test.before(async () => {
  app = await startAppOnFreePort('e2e-resumable');
});

test.after.always(async () => {
  await app?.close();
});

async function newItem(identifier: string): Promise<string> {
  const api = `${app.baseUrl}/api`;
  const library = await postJson(`${api}/libraries`, { slug: `lib-${identifier.toLowerCase()}`, name: 'Thư viện tỉnh', province: 'Nghệ An', kind: 'provincial' });
  const collection = await postJson(`${api}/collections`, { libraryId: library.id, slug: 'dia-chi', title: 'Địa chí', category: 'dia-chi' });
  return (await postJson(`${api}/items`, { collectionId: collection.id, identifier, title: `Tài liệu ${identifier}` })).id;
}

/** A noisy page (so PNG cannot shrink it): about `side² × 3` bytes. */
async function noisyPng(side: number, seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(side * side * 3);
  let state = seed;
  for (let index = 0; index < pixels.length; index += 1) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    pixels[index] = state >> 16;
  }
  return sharp(pixels, { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 0 }).withMetadata({ density: 300 }).toBuffer();
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const tusMetadata = (values: Record<string, string>) =>
  Object.entries(values)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');

function createUpload(length: number, metadata: Record<string, string>): Promise<Response> {
  return fetch(`${app.baseUrl}/api/uploads`, {
    method: 'POST',
    headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': String(length), 'Upload-Metadata': tusMetadata(metadata), ...ADMIN_HEADERS },
  });
}

function patch(location: string, offset: number, bytes: Buffer): Promise<Response> {
  return fetch(new URL(location, app.baseUrl), {
    method: 'PATCH',
    headers: { 'Tus-Resumable': '1.0.0', 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream', ...ADMIN_HEADERS },
    body: bytes,
  });
}

async function offsetOf(location: string): Promise<number> {
  const response = await fetch(new URL(location, app.baseUrl), { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', ...ADMIN_HEADERS } });
  return Number(response.headers.get('upload-offset'));
}

/** Starts a PATCH, sends `sent` bytes of it, and drops the connection, as a flaky network does. */
async function patchAndDrop(location: string, offset: number, bytes: Buffer, sent: number): Promise<void> {
  const url = new URL(location, app.baseUrl);
  const request = http.request(url, {
    method: 'PATCH',
    headers: {
      'Tus-Resumable': '1.0.0',
      'Upload-Offset': String(offset),
      'Content-Type': 'application/offset+octet-stream',
      'Content-Length': String(bytes.length),
      ...ADMIN_HEADERS,
    },
  });
  request.on('error', () => undefined);
  request.write(bytes.subarray(0, sent));
  await new Promise((resolve) => setTimeout(resolve, 300));
  request.destroy();
}

function commit(itemId: string, uploads: { id: string; sha256?: string }[]): Promise<Response> {
  return fetch(`${app.baseUrl}/api/items/${itemId}/pages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...ADMIN_HEADERS },
    body: JSON.stringify({ uploads }),
  });
}

const uploadIdOf = (location: string) => location.split('/').pop()!;
const uploadsDir = () => path.join(app.config.dataDir, 'uploads');

/** Ids of the uploads kept on disk for an item (the tests of this file run at once, so each looks at its own). */
async function keptUploads(itemId: string): Promise<string[]> {
  const records = (await readdir(uploadsDir())).filter((name) => name.endsWith('.json'));
  const kept = [];
  for (const record of records) {
    const upload = JSON.parse(await readFile(path.join(uploadsDir(), record), 'utf8')) as { id: string; metadata?: { itemId?: string } };
    if (upload.metadata?.itemId === itemId) kept.push(upload.id);
  }
  return kept;
}

async function pagesOf(itemId: string): Promise<{ id: string; master: { sha256: string } }[]> {
  return ((await (await fetch(`${app.baseUrl}/api/items/${itemId}`)).json()) as { pages: { id: string; master: { sha256: string } }[] }).pages;
}

test('a dropped PATCH is continued from the offset the server kept, and the finished upload becomes a page once', async (t) => {
  const itemId = await newItem('RU-1');
  const scan = await noisyPng(600, 1);
  const created = await createUpload(scan.length, { itemId, filename: '0001.png', sha256: sha256(scan) });
  t.is(created.status, 201);
  const location = created.headers.get('location')!;
  t.regex(location, /^\/api\/uploads\/[0-9a-f]{32}$/);

  const first = 400_000;
  t.is((await patch(location, 0, scan.subarray(0, first))).status, 204);
  await patchAndDrop(location, first, scan.subarray(first), 300_000);
  let offset = 0;
  await waitFor('the server to keep the bytes of the dropped request', async () => {
    offset = await offsetOf(location);
    return offset > first;
  }, 5_000);
  t.true(offset < scan.length, `the dropped request left ${offset} of ${scan.length} bytes`);
  t.is((await commit(itemId, [{ id: uploadIdOf(location) }])).status, 409, 'an unfinished upload cannot become a page');

  t.is((await patch(location, offset, scan.subarray(offset))).status, 204);
  t.is(await offsetOf(location), scan.length);

  const added = await commit(itemId, [{ id: uploadIdOf(location), sha256: sha256(scan) }]);
  t.is(added.status, 202);
  const body = (await added.json()) as { pageIds: string[]; files: { sha256: string; duplicate: boolean }[] };
  t.is(body.pageIds.length, 1);
  t.like(body.files[0], { sha256: sha256(scan), duplicate: false });
  t.deepEqual(await keptUploads(itemId), [], 'the upload is deleted once it is a page');
  t.false((await readdir(uploadsDir())).includes(uploadIdOf(location)), 'and its bytes with it');

  const again = await commit(itemId, [{ id: uploadIdOf(location), sha256: sha256(scan) }]);
  t.is(again.status, 202, 'adding the same upload again (a retry after a lost answer) is answered from the pages');
  t.deepEqual(((await again.json()) as { pageIds: string[] }).pageIds, body.pageIds);
  const pages = await pagesOf(itemId);
  t.is(pages.length, 1);
  t.is(pages[0]!.master.sha256, sha256(scan));
});

test('tus-js-client finishes a large scan through a connection that keeps dropping, without sending it all again', async (t) => {
  const itemId = await newItem('RU-2');
  const scan = await noisyPng(1200, 2);
  const proxy = await startTcpProxy(new URL(app.baseUrl), { cut: { connections: 4, afterBytes: 1_500_000 } });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const upload = new tus.Upload(scan, {
        endpoint: `${proxy.url}/api/uploads`,
        headers: { ...ADMIN_HEADERS },
        metadata: { itemId, filename: '0001.png', sha256: sha256(scan) },
        retryDelays: [0, 50, 100, 200, 400, 800],
        onError: reject,
        onSuccess: () => resolve(upload.url!),
      });
      upload.start();
    });
    t.true(proxy.connections() > 4, `the upload needed ${proxy.connections()} connections`);
    // Starting over after each of the 4 cuts would send at least 4 × 1.5 MB more than the file.
    t.true(proxy.bytesFromClients() < scan.length * 1.5, `sent ${proxy.bytesFromClients()} bytes for a ${scan.length}-byte file`);
    const added = await commit(itemId, [{ id: uploadIdOf(url) }]);
    t.is(added.status, 202);
    const pages = await pagesOf(itemId);
    t.is(pages.length, 1);
    t.is(pages[0]!.master.sha256, sha256(scan), 'the master is byte for byte the scan');
  } finally {
    await proxy.close();
  }
});

test('an upload whose bytes differ from the declared sha256 is refused and deleted, and leaves no page or master', async (t) => {
  const itemId = await newItem('RU-3');
  const scan = await noisyPng(200, 3);
  const created = await createUpload(scan.length, { itemId, filename: '0001.png', sha256: 'a'.repeat(64) });
  const location = created.headers.get('location')!;
  t.is((await patch(location, 0, scan)).status, 204);
  const refused = await commit(itemId, [{ id: uploadIdOf(location) }]);
  t.is(refused.status, 422);
  t.regex(((await refused.json()) as { error: { message: string } }).error.message, /arrived damaged.*send the file again/);
  t.deepEqual(await pagesOf(itemId), []);
  t.is((await commit(itemId, [{ id: uploadIdOf(location) }])).status, 404, 'the damaged upload is gone');
  const masters = [];
  for await (const object of app.application.services.store.listAll(`masters/${itemId}/`)) masters.push(object.key);
  t.deepEqual(masters, []);
});

test('a finished upload that is not an image is refused with the reason and deleted', async (t) => {
  const itemId = await newItem('RU-4');
  const bytes = Buffer.from('%PDF-1.7\n% not a page scan\n');
  const location = (await createUpload(bytes.length, { itemId, filename: 'trang.pdf' })).headers.get('location')!;
  t.is((await patch(location, 0, bytes)).status, 204);
  const refused = await commit(itemId, [{ id: uploadIdOf(location) }]);
  t.is(refused.status, 400);
  t.regex(((await refused.json()) as { error: { message: string } }).error.message, /trang\.pdf.*not accepted/);
  t.is((await commit(itemId, [{ id: uploadIdOf(location) }])).status, 404);
  t.deepEqual(await pagesOf(itemId), []);
});

test('uploads are refused at creation when they are too large, unsized, or name no existing document', async (t) => {
  const itemId = await newItem('RU-5');
  const limit = app.config.uploadMaxBytes;
  t.is((await createUpload(limit + 1, { itemId, filename: 'x.tif' })).status, 413);
  const unsized = await fetch(`${app.baseUrl}/api/uploads`, {
    method: 'POST',
    headers: { 'Tus-Resumable': '1.0.0', 'Upload-Defer-Length': '1', 'Upload-Metadata': tusMetadata({ itemId }), ...ADMIN_HEADERS },
  });
  t.is(unsized.status, 400);
  t.regex(await unsized.text(), /Upload-Length/);
  const noItem = await createUpload(10, { filename: 'x.tif' });
  t.is(noItem.status, 400);
  t.regex(await noItem.text(), /itemId/);
  const unknown = await createUpload(10, { itemId: '00000000-0000-4000-8000-000000000000', filename: 'x.tif' });
  t.is(unknown.status, 404);
  const badSha = await createUpload(10, { itemId, sha256: 'xyz' });
  t.is(badSha.status, 400);
  t.regex(await badSha.text(), /sha256/);
  t.deepEqual(await keptUploads(itemId), [], 'no refused upload left a record behind');
});

test('adding uploads checks its request: malformed body, unknown id, another document’s upload', async (t) => {
  const itemId = await newItem('RU-6');
  const otherId = await newItem('RU-7');
  const malformed = await fetch(`${app.baseUrl}/api/items/${itemId}/pages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...ADMIN_HEADERS },
    body: JSON.stringify({ uploads: [{ id: 'x', sha256: 'short' }] }),
  });
  t.is(malformed.status, 400);
  t.is((await commit(itemId, [{ id: '../../etc/passwd' }])).status, 404);
  t.is((await commit(itemId, [{ id: 'f'.repeat(32) }])).status, 404);
  const bytes = await noisyPng(50, 4);
  const location = (await createUpload(bytes.length, { itemId: otherId, filename: '1.png' })).headers.get('location')!;
  await patch(location, 0, bytes);
  const wrong = await commit(itemId, [{ id: uploadIdOf(location) }]);
  t.is(wrong.status, 409);
  t.regex(((await wrong.json()) as { error: { message: string } }).error.message, /another document/);
  t.is((await commit(otherId, [{ id: uploadIdOf(location) }])).status, 202, 'the upload is still there for its own document');
});
