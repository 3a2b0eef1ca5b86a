import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { ExecutionContext } from 'ava';
import sharp from 'sharp';
import { characterErrorRate } from '../../pipeline/text/index.ts';
import type { ObjectStore } from '../../storage/index.ts';
import { rotateContent } from '../pipeline/deskew-helpers/text-page.ts';
import { FIXTURES, generateVietnamesePage } from '../pipeline/ocr/test-pages.ts';
import { pdfText } from '../helpers/pdf-text.ts';
import { ADMIN_HEADERS } from '../helpers/running-app.ts';


/** A running product (server + jobs) and a direct view of its object store. */
export interface RunningStack {
  url: string;
  store: ObjectStore;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function json<T>(response: Response, status: number, t: ExecutionContext): Promise<T> {
  const body = (await response.json()) as T;
  t.is(response.status, status, JSON.stringify(body));
  return body;
}

async function post<T>(t: ExecutionContext, url: string, body: unknown, status = 201): Promise<T> {
  return json<T>(
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...ADMIN_HEADERS }, body: JSON.stringify(body) }),
    status,
    t,
  );
}

function upload(url: string, files: { name: string; bytes: Buffer; sha256?: string }[]): Promise<Response> {
  const form = new FormData();
  for (const file of files) {
    if (file.sha256) form.append('sha256', file.sha256);
    form.append('file', new Blob([file.bytes]), file.name);
  }
  return fetch(url, { method: 'POST', headers: ADMIN_HEADERS, body: form });
}

interface ItemView {
  id: string;
  status: string;
  links: { pdf?: string; manifest?: string };
  pages: {
    id: string;
    seq: number;
    status: string;
    skewAngle: number | null;
    ocrConfidence: number | null;
    failureReason: string | null;
    stages: Record<string, { status: string; attempts: number } | undefined>;
    master: { sha256: string };
    links: Record<string, string>;
  }[];
}

async function waitForItem(t: ExecutionContext, url: string, done: (item: ItemView) => boolean, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const item = (await (await fetch(url)).json()) as ItemView;
    if (done(item)) return item;
    if (Date.now() > deadline) {
      t.fail(`item did not reach the expected state in time: ${JSON.stringify(item)}`);
      return item;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The whole pipeline through the HTTP API, identical for every stack: register, upload
 * (with duplicates and bad input), process, and check the master, skew, OCR, PDF and manifest.
 */
export async function runPipelineScenario(t: ExecutionContext, stack: RunningStack): Promise<void> {
  const api = `${stack.url}/api`;
  // Links are built from PUBLIC_BASE_URL, which cannot know an ephemeral port: follow their paths here.
  const local = (link: string | undefined) => {
    t.truthy(link);
    const { pathname, search } = new URL(link!);
    return `${stack.url}${pathname}${search}`;
  };
  const library = await post<{ id: string }>(t, `${api}/libraries`, {
    slug: `tinh-dak-nong-${Date.now()}`,
    name: 'Thư viện tỉnh Đắk Nông',
    province: 'Đắk Nông',
    kind: 'provincial',
  });
  const collection = await post<{ id: string }>(t, `${api}/collections`, {
    libraryId: library.id,
    slug: 'dia-chi',
    title: 'Tài liệu địa chí',
    category: 'dia-chi',
    holdingsCount: 100,
    targetPercent: 80,
    ocrProfile: 'vie',
  });
  const item = await post<{ id: string; status: string }>(t, `${api}/items`, {
    collectionId: collection.id,
    identifier: 'ĐC-0001',
    title: 'Địa chí Đắk Nông',
  });
  t.is(item.status, 'registered');

  // A generated page with known text, skewed by a known angle, at 300 dpi.
  const generated = await generateVietnamesePage();
  const skew = 2.5;
  const skewed = await sharp(await rotateContent(generated.png, skew)).withMetadata({ density: 300 }).png().toBuffer();
  // A real multi-page TIFF scan: each of its images becomes a page.
  const realScan = await readFile(path.join(FIXTURES, 'vietnamese/vietsample1.tif'));
  const scanPages = (await sharp(realScan).metadata()).pages ?? 1;
  t.true(scanPages > 1);
  const pagesUrl = `${api}/items/${item.id}/pages`;

  const first = await json<{ pageIds: string[] }>(
    await upload(pagesUrl, [
      { name: '0001.png', bytes: skewed, sha256: sha256(skewed) },
      { name: '0002.tif', bytes: realScan },
    ]),
    202,
    t,
  );
  t.is(first.pageIds.length, 1 + scanPages);

  const again = await json<{ pageIds: string[]; files: { duplicate: boolean }[] }>(
    await upload(pagesUrl, [{ name: 'again.png', bytes: skewed }]),
    202,
    t,
  );
  t.deepEqual(again.pageIds, [first.pageIds[0]], 'the same file twice is one page');
  t.true(again.files[0]!.duplicate);

  const damaged = await json<{ error: { message: string } }>(
    await upload(pagesUrl, [{ name: 'damaged.png', bytes: skewed.subarray(0, -10), sha256: sha256(skewed) }]),
    422,
    t,
  );
  t.regex(damaged.error.message, /arrived damaged/);

  const jp2 = Buffer.concat([Buffer.from('0000000c6a5020200d0a870a', 'hex'), Buffer.alloc(64)]);
  const refused = await json<{ error: { message: string } }>(await upload(pagesUrl, [{ name: 'scan.jp2', bytes: jp2 }]), 400, t);
  t.regex(refused.error.message, /JPEG 2000/);

  const before = await json<ItemView>(await fetch(`${api}/items/${item.id}`), 200, t);
  t.is(before.pages.length, 1 + scanPages, 'refused uploads left no page behind');
  t.is(before.status, 'uploading');

  await json(await fetch(`${api}/items/${item.id}/process`, { method: 'POST', headers: ADMIN_HEADERS }), 202, t);
  const digitised = await waitForItem(t, `${api}/items/${item.id}`, (view) => ['digitised', 'failed'].includes(view.status));
  t.is(digitised.status, 'digitised', JSON.stringify(digitised.pages.map((page) => page.failureReason)));

  // Master stored unchanged.
  const generatedPage = digitised.pages[0]!;
  t.is(generatedPage.master.sha256, sha256(skewed));
  const masters = [];
  for await (const object of stack.store.listAll(`masters/${item.id}/`)) masters.push(object.key);
  t.is(masters.length, 2);
  const storedMaster = await stack.store.stat(masters.find((key) => key.includes(sha256(skewed)))!);
  t.is(storedMaster.sha256, sha256(skewed));

  // Skew measured, OCR text close to what was drawn.
  t.true(Math.abs((generatedPage.skewAngle ?? 99) - skew) < 0.2, `skew ${generatedPage.skewAngle}`);
  const text = await (await fetch(local(generatedPage.links.text))).text();
  t.is(text, text.normalize('NFC'));
  const cer = characterErrorRate(generated.text, text, { ignoreWhitespace: true });
  t.true(cer < 0.1, `CER ${cer}: ${text}`);
  t.true((generatedPage.ocrConfidence ?? 0) > 50);
  t.regex(await (await fetch(local(generatedPage.links.hocr))).text(), /ocrx_word/);

  // Searchable PDF: the text comes back out, diacritics intact.
  const pdf = Buffer.from(await (await fetch(local(digitised.links.pdf))).arrayBuffer());
  t.is(pdf.subarray(0, 5).toString(), '%PDF-');
  const extracted = await pdfText(pdf);
  for (const word of ['Thư', 'viện', 'Đắk', 'Nông', 'địa', 'chí']) t.true(extracted.includes(word), `${word} in ${extracted}`);

  // Manifest stored by the pipeline, valid Presentation 3.0.
  const manifest = (await (await fetch(local(digitised.links.manifest))).json()) as { items: unknown[] };
  const schema = JSON.parse(await readFile(path.join(FIXTURES, 'iiif/presentation-3.0.schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  t.true(validate(manifest), JSON.stringify(validate.errors));
  t.is(manifest.items.length, 1 + scanPages);

  // Re-run one page from OCR: only that stage runs again, and the item is packaged again.
  const reprocessed = await fetch(`${api}/pages/${generatedPage.id}/reprocess?from=ocr`, { method: 'POST', headers: ADMIN_HEADERS });
  t.is(reprocessed.status, 202);
  const again2 = await waitForItem(t, `${api}/items/${item.id}`, (view) => {
    const stages = view.pages[0]!.stages;
    return view.status === 'digitised' && stages.ocr?.attempts === 2;
  });
  t.is(again2.pages[0]!.stages.deskew?.attempts, 1, 'stages before the one asked for are not re-run');
  t.is(again2.pages[0]!.stages.validate?.attempts, 1);

  // Reorder: the generated page goes last, and the digitised document is packaged again in that order.
  const order = [...again2.pages.slice(1).map((page) => page.id), generatedPage.id];
  const reordered = await json<{ pageIds: string[]; repackaging: boolean }>(
    await fetch(`${api}/items/${item.id}/page-order`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...ADMIN_HEADERS },
      body: JSON.stringify({ pageIds: order }),
    }),
    200,
    t,
  );
  t.deepEqual(reordered, { itemId: item.id, pageIds: order, repackaging: true });
  const repackaged = await waitForItem(t, `${api}/items/${item.id}`, (view) => view.status === 'digitised');
  t.deepEqual(repackaged.pages.map((page) => page.id), order);
  const reorderedManifest = (await (await fetch(local(repackaged.links.manifest))).json()) as { items: unknown[] };
  t.true(JSON.stringify(reorderedManifest.items.at(-1)).includes(generatedPage.id), 'the last canvas shows the page moved last');
  t.false(JSON.stringify(reorderedManifest.items[0]).includes(generatedPage.id));
}

