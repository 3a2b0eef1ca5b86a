import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import express from 'express';
import { pino } from 'pino';
import { collectionRoutes, manifestRoutes, searchRoutes } from '../../../iiif/index.ts';
import { buildManifest } from '../../../pipeline/package/index.ts';
import type { OcrResult } from '../../../pipeline/ocr/ocr-result.ts';
import {
  createRepositories,
  errorHandler,
  IN_MEMORY,
  migrateToLatest,
  notFoundHandler,
  PgliteDatabase,
  type Collection,
  type Item,
  type Library,
  type Page,
  type Repositories,
} from '../../../repository/index.ts';
import { derivativeKey, FsObjectStore, packageKey } from '../../../storage/index.ts';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
/** Presentation 3.0 schema (the shared fixture). */
export const validatePresentation = ajv.compile(
  JSON.parse(readFileSync('/work/shared/fixtures/iiif/presentation-3.0.schema.json', 'utf8')) as object,
);

/** The configured PUBLIC_BASE_URL of the test server. */
export const BASE = 'https://thuvien.daknong.example.vn';
/** The base the stored manifests were packaged with (an older PUBLIC_BASE_URL). */
export const PACKAGED_BASE = 'http://packaging.internal:3000';

/** Served image 2000 × 3000; OCR ran on a print JPEG of half that size (scale 2). */
export const CANVAS = { width: 2000, height: 3000 };
export const OCR_IMAGE = { width: 1000, height: 1500 };

export interface Fixture {
  url: string;
  repos: Repositories;
  library: Library;
  collection: Collection;
  publicItem: Item;
  restrictedItem: Item;
  notDigitisedItem: Item;
  pages: Page[];
  close(): Promise<void>;
}

let sha = 0;
const nextSha = () => (sha += 1).toString(16).padStart(64, '0');

function word(text: string, x: number, y: number, width = 80, height = 30) {
  return { text, box: { x, y, width, height }, confidence: 90 };
}

/** Two lines on page 1: "Thư viện tỉnh Đắk Nông," / "Tài liệu địa chí thư viện". */
export function sampleOcr(): OcrResult {
  const line1 = [word('Thư', 100, 100), word('viện', 200, 100), word('tỉnh', 300, 100), word('Đắk', 400, 100), word('Nông,', 500, 100)];
  const line2 = [word('Tài', 100, 200), word('liệu', 200, 200), word('địa', 300, 200), word('chí', 400, 200), word('thư', 500, 200), word('viện', 600, 200)];
  const lines = [line1, line2].map((words) => ({ text: words.map((w) => w.text).join(' '), box: words[0]!.box, words }));
  return {
    text: lines.map((line) => line.text).join('\n'),
    lines,
    meanConfidence: 90,
    hocr: '',
    languages: 'vie',
    direction: 'horizontal',
    imageWidth: OCR_IMAGE.width,
    imageHeight: OCR_IMAGE.height,
  };
}

/** An express app with the IIIF routers and the repository's error handler over PGlite + fs store. */
export async function openFixture(options: { pageSize?: number } = {}): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'iiif-test-'));
  const database = await PgliteDatabase.open(IN_MEMORY);
  await migrateToLatest(database);
  const store = await FsObjectStore.open(dir);
  const repos = createRepositories(database.db);

  const library = await repos.libraries.create({ slug: 'dak-nong', name: 'Thư viện tỉnh Đắk Nông', province: 'Đắk Nông', kind: 'provincial' });
  const collection = await repos.collections.create({
    libraryId: library.id,
    slug: 'dia-chi',
    title: 'Tài liệu địa chí',
    description: 'Tài liệu về Đắk Nông',
    category: 'dia-chi',
    defaultAccess: 'public',
  });
  const publicItem = await repos.items.create({ collectionId: collection.id, identifier: 'DC-001', title: 'Địa chí Đắk Nông', status: 'digitised' });
  const restrictedItem = await repos.items.create({
    collectionId: collection.id,
    identifier: 'DC-002',
    title: 'Hồ sơ hạn chế',
    status: 'digitised',
    accessLevel: 'restricted',
  });
  const notDigitisedItem = await repos.items.create({ collectionId: collection.id, identifier: 'DC-003', title: 'Chưa số hoá', status: 'registered' });

  const pages: Page[] = [];
  for (const seq of [1, 2]) {
    pages.push(
      await repos.pages.create({
        itemId: publicItem.id,
        seq,
        masterKey: `masters/${publicItem.id}/${seq}.tif`,
        masterSha256: nextSha(),
        masterSize: 1000,
        contentType: 'image/tiff',
        imageWidth: CANVAS.width,
        imageHeight: CANVAS.height,
      }),
    );
  }
  const restrictedPage = await repos.pages.create({
    itemId: restrictedItem.id,
    seq: 1,
    masterKey: `masters/${restrictedItem.id}/1.tif`,
    masterSha256: nextSha(),
    masterSize: 1000,
    contentType: 'image/tiff',
    imageWidth: CANVAS.width,
    imageHeight: CANVAS.height,
  });

  for (const item of [publicItem, restrictedItem]) {
    const manifest = buildManifest({
      baseUrl: PACKAGED_BASE,
      item: { id: item.id, identifier: item.identifier, title: item.title, dublinCore: item.dublinCore, accessLevel: item.effectiveAccessLevel },
      collection: { id: collection.id, title: collection.title },
      library: { id: library.id, name: library.name, homepage: 'https://daknong.example.vn' },
      pages: (item === publicItem ? pages : [restrictedPage]).map((page) => ({ id: page.id, seq: page.seq, ...CANVAS })),
    });
    await store.put(packageKey(item.id, 'manifest.json'), Buffer.from(JSON.stringify(manifest)), { contentType: 'application/json' });
  }
  // Page 1 of the public item has OCR; page 2 has none (skipped by search).
  await store.put(derivativeKey(publicItem.id, pages[0]!.id, 'ocr.json'), Buffer.from(JSON.stringify({ ...sampleOcr(), hocr: undefined })));
  await store.put(derivativeKey(restrictedItem.id, restrictedPage.id, 'ocr.json'), Buffer.from(JSON.stringify(sampleOcr())));

  const app = express();
  // As in the product: forwarded headers count only from a trusted proxy (loopback here).
  app.set('trust proxy', 'loopback');
  app.use(
    manifestRoutes(database, store, BASE),
    collectionRoutes({ database, publicBaseUrl: BASE, ...(options.pageSize ? { pageSize: options.pageSize } : {}) }),
    searchRoutes({ database, store, publicBaseUrl: BASE }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler(pino({ level: 'silent' })));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    repos,
    library,
    collection,
    publicItem,
    restrictedItem,
    notDigitisedItem,
    pages,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** GET as JSON; the body parsed. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

/** Every string value in a JSON value. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}
