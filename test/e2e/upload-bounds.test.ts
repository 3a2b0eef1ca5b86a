import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import sharp from 'sharp';
import { postJson } from '../helpers/post-json.ts';
import { ADMIN_HEADERS, startAppOnFreePort, type RunningApp } from '../helpers/running-app.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { writeRawTiff, type RawTiffOptions } from '../pipeline/helpers/raw-tiff.ts';

const FILE_LIMIT = 2 * 1024 * 1024;
const REQUEST_LIMIT = 3 * 1024 * 1024;
const WIDTH = 240;
const HEIGHT = 320;

let app: RunningApp;
let dir: string;

test.before(async () => {
  app = await startAppOnFreePort('e2e-upload-bounds', {
    UPLOAD_MAX_BYTES: String(FILE_LIMIT),
    UPLOAD_MAX_REQUEST_BYTES: String(REQUEST_LIMIT),
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'upload-bounds-'));
});

test.after.always(async () => {
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function newItem(identifier: string): Promise<string> {
  const api = `${app.baseUrl}/api`;
  const library = await postJson(`${api}/libraries`, { slug: `lib-${identifier.toLowerCase()}`, name: 'Thư viện tỉnh', province: 'Huế', kind: 'provincial' });
  const collection = await postJson(`${api}/collections`, { libraryId: library.id, slug: 'sach', title: 'Sách', category: 'rare' });
  return (await postJson(`${api}/items`, { collectionId: collection.id, identifier, title: `Tài liệu ${identifier}` })).id;
}

interface UploadFile {
  filename: string;
  bytes: Uint8Array;
}

function multipart(files: UploadFile[]): FormData {
  const form = new FormData();
  for (const file of files) form.append('file', new Blob([file.bytes]), file.filename);
  return form;
}

function upload(itemId: string, files: UploadFile[]): Promise<Response> {
  return fetch(`${app.baseUrl}/api/items/${itemId}/pages`, { method: 'POST', headers: ADMIN_HEADERS, body: multipart(files) });
}

/** The same multipart body streamed without a Content-Length (chunked), so only the bytes received can be counted. */
async function uploadChunked(itemId: string, files: UploadFile[]): Promise<Response> {
  const encoded = new Response(multipart(files));
  return fetch(`${app.baseUrl}/api/items/${itemId}/pages`, {
    method: 'POST',
    headers: { ...ADMIN_HEADERS, 'content-type': encoded.headers.get('content-type') ?? '' },
    body: encoded.body,
    duplex: 'half',
  });
}

async function errorMessage(response: Response): Promise<string> {
  return ((await response.json()) as { error: { message: string } }).error.message;
}

async function pagesOf(itemId: string): Promise<{ status: string; failureReason: string | null }[]> {
  return ((await (await fetch(`${app.baseUrl}/api/items/${itemId}`)).json()) as { pages: { status: string; failureReason: string | null }[] }).pages;
}

async function mastersOf(itemId: string): Promise<string[]> {
  const keys = [];
  for await (const object of app.application.services.store.listAll(`masters/${itemId}/`)) keys.push(object.key);
  return keys;
}

const spoolDir = () => path.join(app.config.dataDir, 'tmp', 'uploads');

/** Files left in the multipart spool folder (every request's temporary files must be gone). */
async function spooled(): Promise<string[]> {
  return readdir(spoolDir()).catch(() => []);
}

/** Spool files this process still holds open (the app runs in it): a write left hanging. */
async function spoolFilesOpen(): Promise<string[]> {
  const links = await Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return links.filter((target) => target.startsWith(spoolDir()));
}

/** A hand-made uncompressed TIFF (sharp writes neither float nor extra channels), filled with a ramp. */
async function rawTiff(filename: string, options: Omit<RawTiffOptions, 'width' | 'height' | 'fillRow' | 'resolution'>): Promise<UploadFile> {
  const bits = options.sample?.bits ?? 8;
  const fillRow = (row: Uint8Array, y: number) => {
    const view = new DataView(row.buffer, row.byteOffset, row.byteLength);
    for (let i = 0; i < (row.byteLength * 8) / bits; i += 1) {
      const value = ((i + y) % 200) / 200;
      if (options.sample?.format === 'float') view.setFloat32(i * 4, value, true);
      else if (bits === 16) view.setUint16(i * 2, Math.round(value * 30_000), true);
      else view.setUint8(i, Math.round(value * 255));
    }
  };
  const file = path.join(dir, filename);
  await writeRawTiff(file, { width: WIDTH, height: HEIGHT, fillRow, resolution: { numerator: 300, denominator: 1, unit: 2 }, ...options });
  return { filename, bytes: await readFile(file) };
}

const scan = () => sharp({ create: { width: WIDTH, height: HEIGHT, channels: 3, background: '#c8a070' } }).withDensity(300);

test.serial('pages whose samples, colour space or channels the stages cannot process are refused at upload with what to export instead, and nothing is kept', async (t) => {
  const itemId = await newItem('BOUNDS-1');
  const cases: [UploadFile, RegExp][] = [
    [await rawTiff('rgb-plus-two.tif', { channels: 3, extraSamples: [0, 0] }), /has 5 channels: 3 for RGB colour and 2 extra.*Remove the extra channels/],
    [await rawTiff('grey-plus-three.tif', { channels: 1, extraSamples: [0, 0, 0] }), /has 4 channels: 1 for greyscale colour and 3 extra/],
    [await rawTiff('float-grey.tif', { channels: 1, sample: { bits: 32, format: 'float' } }), /32-bit floating-point numbers \("float"\).*8-bit or 16-bit/],
    [await rawTiff('float-rgb.tif', { channels: 3, sample: { bits: 32, format: 'float' } }), /32-bit floating-point numbers \("float"\)/],
    [await rawTiff('signed-16.tif', { channels: 1, sample: { bits: 16, format: 'int' } }), /16-bit signed integers \("short"\)/],
    [await rawTiff('three-inks.tif', { channels: 3, photometric: 'cmyk' }), /colour space "multiband".*Convert the page to RGB or greyscale/],
  ];
  for (const [file, message] of cases) {
    const response = await upload(itemId, [file]);
    t.is(response.status, 400, file.filename);
    const text = await errorMessage(response);
    t.regex(text, message, file.filename);
    t.true(text.startsWith(`File "${file.filename}" was not accepted: `), `${file.filename}: the message names the file`);
    t.regex(text, /upload it again\.$/, `${file.filename}: the message ends with what to do`);
  }
  t.deepEqual(await pagesOf(itemId), [], 'no page record');
  t.deepEqual(await mastersOf(itemId), [], 'no stored object');
  t.deepEqual(await spooled(), [], 'no temporary file');
});

test.serial('1-bit bilevel, CMYK (with and without alpha), 16-bit, CIELAB and grey+alpha scans are accepted and go through every stage', async (t) => {
  const itemId = await newItem('BOUNDS-2');
  const lines = Buffer.alloc(WIDTH * HEIGHT, 255);
  for (let y = 40; y < HEIGHT - 40; y += 12) lines.fill(0, y * WIDTH + 30, y * WIDTH + WIDTH - 30);
  const bilevel = await sharp(lines, { raw: { width: WIDTH, height: HEIGHT, channels: 1 } })
    .toColourspace('b-w')
    .withDensity(300)
    .tiff({ bitdepth: 1, compression: 'ccittfax4' })
    .toBuffer();
  t.like(await sharp(bilevel).metadata(), { bitsPerSample: 1, channels: 1 }, 'the fixture really is 1-bit');

  const files: UploadFile[] = [
    { filename: 'bilevel.tif', bytes: bilevel },
    { filename: 'cmyk.jpg', bytes: await scan().toColourspace('cmyk').jpeg().toBuffer() },
    await rawTiff('cmyk-alpha.tif', { channels: 4, photometric: 'cmyk', extraSamples: [2] }),
    { filename: 'rgb16.png', bytes: await scan().toColourspace('rgb16').png().toBuffer() },
    await rawTiff('cielab16.tif', { channels: 3, photometric: 'cielab', sample: { bits: 16, format: 'uint' } }),
    { filename: 'grey-alpha.png', bytes: await scan().toColourspace('b-w').ensureAlpha(0.5).png().toBuffer() },
  ];
  for (const file of files) {
    const response = await upload(itemId, [file]);
    t.is(response.status, 202, `${file.filename}: ${response.status === 202 ? '' : await errorMessage(response)}`);
  }

  t.is((await fetch(`${app.baseUrl}/api/items/${itemId}/process`, { method: 'POST', headers: ADMIN_HEADERS })).status, 202);
  const status = await waitFor('the item to finish', async () => {
    const item = (await (await fetch(`${app.baseUrl}/api/items/${itemId}`)).json()) as { status: string };
    return ['digitised', 'failed'].includes(item.status) && item.status;
  });
  const pages = await pagesOf(itemId);
  t.is(status, 'digitised', JSON.stringify(pages.map((page) => page.failureReason)));
  t.deepEqual(pages.map((page) => page.status), files.map(() => 'done'));
});

test.serial('a multipart request over UPLOAD_MAX_REQUEST_BYTES is refused with 413, by its Content-Length or by the bytes of a chunked body, and nothing is kept', async (t) => {
  const itemId = await newItem('BOUNDS-3');
  // Each file is under UPLOAD_MAX_BYTES (2 MiB); two of them are over the 3 MiB request limit.
  const page = (shade: number) =>
    sharp({ create: { width: 760, height: 760, channels: 3, background: { r: shade, g: shade, b: shade } } })
      .withDensity(300)
      .tiff({ compression: 'none' })
      .toBuffer();
  const files = [
    { filename: 'a.tif', bytes: await page(200) },
    { filename: 'b.tif', bytes: await page(210) },
  ];
  t.true(files.every((file) => file.bytes.length < FILE_LIMIT) && files[0]!.bytes.length + files[1]!.bytes.length > REQUEST_LIMIT);

  for (const [how, send] of [['Content-Length', upload], ['chunked', uploadChunked]] as const) {
    const response = await send(itemId, files);
    t.is(response.status, 413, how);
    t.regex(await errorMessage(response), /larger than the limit of 3145728 bytes .*UPLOAD_MAX_REQUEST_BYTES.*nothing was kept.*several requests/, how);
  }
  t.deepEqual(await pagesOf(itemId), [], 'no page record');
  t.deepEqual(await mastersOf(itemId), [], 'no stored object');
  t.deepEqual(await spooled(), [], 'the files received before the limit were removed');
  t.deepEqual(await spoolFilesOpen(), [], 'and none is still open for writing');

  const one = await uploadChunked(itemId, [files[0]!]);
  t.is(one.status, 202, 'one of the files alone is within both limits');
  t.is((await pagesOf(itemId)).length, 1);
});
