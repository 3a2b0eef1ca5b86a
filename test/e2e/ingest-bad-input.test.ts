import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { ADMIN_HEADERS, TEST_ADMIN_TOKEN } from '../helpers/running-app.ts';
import { pino } from 'pino';
import sharp from 'sharp';
import { startApplication, type Application } from '../../scripts/app/application.ts';
import { loadConfig } from '../../scripts/config.ts';
import { postJson } from '../helpers/post-json.ts';

const UPLOAD_LIMIT = 2 * 1024 * 1024;

let application: Application;
let dataDir: string;

test.before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'e2e-bad-input-'));
  const config = loadConfig({
    BOOTSTRAP_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    UPLOAD_MAX_BYTES: String(UPLOAD_LIMIT),
    MAX_IMAGE_PIXELS: String(20_000_000),
  });
  application = await startApplication(config, pino({ level: 'silent' }));
});

test.after.always(async () => {
  await application?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function newItem(identifier: string): Promise<string> {
  const api = `${application.url}/api`;
  const library = await postJson(`${api}/libraries`, { slug: `lib-${identifier.toLowerCase()}`, name: 'Thư viện huyện', province: 'Lâm Đồng', kind: 'district' });
  const collection = await postJson(`${api}/collections`, { libraryId: library.id, slug: 'han-nom', title: 'Sách Hán Nôm', category: 'rare' });
  return (await postJson(`${api}/items`, { collectionId: collection.id, identifier, title: `Tài liệu ${identifier}` })).id;
}

function upload(itemId: string, parts: { name?: string; value: string | Blob; filename?: string }[]): Promise<Response> {
  const form = new FormData();
  for (const part of parts) {
    if (typeof part.value === 'string') form.append(part.name ?? 'file', part.value);
    else form.append(part.name ?? 'file', part.value, part.filename ?? 'page.png');
  }
  return fetch(`${application.url}/api/items/${itemId}/pages`, { method: 'POST', headers: ADMIN_HEADERS, body: form });
}

async function pageCount(itemId: string): Promise<number> {
  const item = (await (await fetch(`${application.url}/api/items/${itemId}`)).json()) as { pages: unknown[] };
  return item.pages.length;
}

async function objectsUnder(prefix: string): Promise<string[]> {
  const keys = [];
  for await (const object of application.services.store.listAll(prefix)) keys.push(object.key);
  return keys;
}

const png = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#f4efe3' } }).withMetadata({ density: 300 }).png().toBuffer();

test('requests that are not page uploads get a 4xx naming the problem, and leave nothing behind', async (t) => {
  const itemId = await newItem('BAD-1');
  const cases: [string, Promise<Response>, number, RegExp][] = [
    ['no file part', upload(itemId, [{ name: 'seq', value: '1' }]), 400, /No "file" part/],
    ['bad seq', upload(itemId, [{ name: 'seq', value: '-3' }, { value: new Blob([await png(10, 10)]) }]), 400, /"seq" must be a page number/],
    ['bad sha256 field', upload(itemId, [{ name: 'sha256', value: 'xyz' }, { value: new Blob([await png(10, 10)]) }]), 400, /"sha256" must be 64 hexadecimal/],
    ['over the size limit', upload(itemId, [{ value: new Blob([Buffer.alloc(UPLOAD_LIMIT + 1)]) }]), 413, /larger than the limit/],
    ['random bytes', upload(itemId, [{ value: new Blob([Buffer.from('not an image at all, just text')]) }]), 400, /not accepted/],
    ['not multipart', fetch(`${application.url}/api/items/${itemId}/pages`, { method: 'POST', headers: ADMIN_HEADERS, body: 'x' }), 400, /multipart\/form-data/],
    ['unknown item', upload('no-such-item', [{ value: new Blob([await png(10, 10)]) }]), 404, /not found/],
  ];
  for (const [name, request, status, message] of cases) {
    const response = await request;
    const body = (await response.json()) as { error: { message: string } };
    t.is(response.status, status, name);
    t.regex(body.error.message, message, name);
  }
  t.is(await pageCount(itemId), 0);
  t.deepEqual(await objectsUnder(`masters/${itemId}/`), []);
});

test('a file name with path tricks is never used as a storage key', async (t) => {
  const itemId = await newItem('BAD-2');
  const bytes = await png(20, 20);
  const response = await upload(itemId, [{ value: new Blob([bytes]), filename: '../../../etc/passwd' }]);
  t.is(response.status, 202);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  t.deepEqual(await objectsUnder(`masters/${itemId}/`), [`masters/${itemId}/${sha256}.png`]);
});

test('a truncated scan is accepted, then its page fails validation with the reason, and the master is kept', async (t) => {
  const itemId = await newItem('BAD-3');
  const whole = await sharp({ create: { width: 800, height: 1000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .withMetadata({ density: 300 })
    .png()
    .toBuffer();
  const truncated = whole.subarray(0, Math.floor(whole.length / 2));
  t.is((await upload(itemId, [{ value: new Blob([truncated]) }])).status, 202);
  t.is((await fetch(`${application.url}/api/items/${itemId}/process`, { method: 'POST', headers: ADMIN_HEADERS })).status, 202);

  const deadline = Date.now() + 60_000;
  let item: { status: string; pages: { status: string; failureReason: string | null; stages: Record<string, { status: string }> }[] };
  do {
    await new Promise((resolve) => setTimeout(resolve, 200));
    item = (await (await fetch(`${application.url}/api/items/${itemId}`)).json()) as typeof item;
  } while (item.status !== 'failed' && Date.now() < deadline);
  t.is(item.status, 'failed');
  t.is(item.pages[0]!.status, 'failed');
  t.is(item.pages[0]!.stages.validate?.status, 'failed');
  t.regex(item.pages[0]!.failureReason ?? '', /corrupt|truncated|damaged|read error/i);
  const sha256 = createHash('sha256').update(truncated).digest('hex');
  t.true(await application.services.store.exists(`masters/${itemId}/${sha256}.png`), 'the master is kept for inspection');
  t.false(await application.services.store.exists(`packages/${itemId}/document.pdf`));
});

test('the progress stream sends the item state as Server-Sent Events', async (t) => {
  const itemId = await newItem('BAD-4');
  const controller = new AbortController();
  const response = await fetch(`${application.url}/api/items/${itemId}/events`, { signal: controller.signal });
  t.is(response.status, 200);
  t.regex(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  const reader = response.body!.getReader();
  let received = '';
  while (!received.includes('\n\n')) received += new TextDecoder().decode((await reader.read()).value);
  controller.abort();
  const data = received.split('\n').find((line) => line.startsWith('data: '));
  t.like(JSON.parse(data!.slice(6)), { itemId, status: 'registered', pages: [] });
  t.regex(received, /event: progress/);
});

test('content of restricted and confidential items is refused with 401 at every door: PDF, text, hOCR, thumbnail, manifest, tiles, search (and info.json of confidential ones)', async (t) => {
  const api = `${application.url}/api`;
  const library = await postJson(`${api}/libraries`, { slug: 'lib-access', name: 'Thư viện tỉnh', province: 'Huế', kind: 'provincial' });
  for (const level of ['restricted', 'confidential'] as const) {
    const collection = await postJson(`${api}/collections`, { libraryId: library.id, slug: level, title: level, category: 'rare', defaultAccess: level });
    const item = await postJson(`${api}/items`, { collectionId: collection.id, identifier: `ACC-${level}`, title: 'Sắc phong' });
    const uploaded = (await (await upload(item.id, [{ value: new Blob([await png(30, 30)]) }])).json()) as { pageIds: string[] };
    const pageId = uploaded.pageIds[0]!;
    for (const door of [
      `${api}/items/${item.id}/pdf`,
      `${api}/pages/${pageId}/text`,
      `${api}/pages/${pageId}/hocr`,
      `${api}/pages/${pageId}/thumbnail`,
      `${application.url}/iiif/manifest/${item.id}`,
      // A restricted page's info.json is open: it leads IIIF viewers to sign-in (test/e2e/iiif-auth.test.ts).
      ...(level === 'confidential' ? [`${application.url}/iiif/3/${pageId}/info.json`] : []),
      `${application.url}/iiif/3/${pageId}/full/max/0/default.jpg`,
      `${application.url}/iiif/3/${pageId}/0,0,256,256/256,/0/default.jpg`,
      `${application.url}/iiif/search/${item.id}?q=sac`,
    ]) {
      const response = await fetch(door);
      t.is(response.status, 401, `${level} ${door}`);
      t.regex(((await response.json()) as { error: { message: string } }).error.message, /sign in/, door);
    }
  }
});
