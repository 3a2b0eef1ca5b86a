import { readFileSync } from 'node:fs';

import test from 'ava';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

import { buildManifest, type ManifestInput, type ManifestPage } from '../../../pipeline/package/index.ts';
import { DUBLIN_CORE_ELEMENTS, type DublinCore } from '../../../repository/database/domain.types.ts';
import { InvalidInputError } from '../../../storage/errors.ts';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const SCHEMA_PATH = '/work/shared/fixtures/iiif/presentation-3.0.schema.json';
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);

const BASE = 'https://thuvien.daknong.example.vn';
const NOM_TITLE = 'Truyện Kiều — 傳翹 — 𡨸 𤾓 chữ Nôm';

function dublinCore(values: Partial<DublinCore>): DublinCore {
  const empty = Object.fromEntries(DUBLIN_CORE_ELEMENTS.map((element) => [element, []])) as unknown as DublinCore;
  return { ...empty, ...values };
}

function pages(count: number): ManifestPage[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `page-${index + 1}`,
    seq: index + 1,
    width: 2480,
    height: 3508,
    thumbnail: { width: 181, height: 256 },
  }));
}

function input(count: number, overrides: Partial<ManifestInput> = {}): ManifestInput {
  return {
    baseUrl: `${BASE}/`,
    item: {
      id: 'item-42',
      identifier: 'ĐC.0042',
      title: 'Địa chí Đắk Nông',
      dublinCore: dublinCore({
        title: [{ value: 'Địa chí Đắk Nông', lang: 'vi' }],
        creator: [{ value: 'Nguyễn Văn Đức' }],
        date: [{ value: '1998' }],
        language: [{ value: 'vi' }],
        subject: [{ value: 'địa chí', lang: 'vi' }],
        description: [{ value: 'Tài liệu địa chí về tỉnh Đắk Nông.', lang: 'vi' }],
      }),
      language: 'vi',
      accessLevel: 'public',
      ocrProfile: 'vie',
    },
    collection: { id: 'col-7', title: 'Tài liệu địa chí' },
    library: { id: 'lib-1', name: 'Thư viện tỉnh Đắk Nông' },
    pages: pages(count),
    ...overrides,
  };
}

function schemaErrors(manifest: unknown): string {
  return validate(manifest) ? '' : JSON.stringify(validate.errors?.slice(0, 5), null, 2);
}

type Json = Record<string, unknown>;

/** Every `id` value anywhere in the manifest. */
function allIds(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const entry of value) allIds(entry, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, entry] of Object.entries(value)) {
      if (key === 'id' && typeof entry === 'string') found.push(entry);
      else allIds(entry, found);
    }
  }
  return found;
}

function canvases(manifest: Json): Json[] {
  return manifest.items as Json[];
}

for (const count of [1, 3, 1000]) {
  test(`a ${count}-page manifest validates against the Presentation 3.0 schema`, (t) => {
    const manifest = buildManifest(input(count));
    t.is(schemaErrors(manifest), '');
    t.is(canvases(manifest).length, count);
  });
}

test('the validator rejects a broken manifest (canvas without width, label not a language map)', (t) => {
  const manifest = structuredClone(buildManifest(input(3))) as Json;
  const canvas = canvases(manifest)[1] as Json;
  delete canvas.width;
  t.false(validate(manifest), 'canvas without width must be rejected');

  const labelled = structuredClone(buildManifest(input(1))) as Json;
  labelled.label = 'Địa chí';
  t.false(validate(labelled), 'plain-string label must be rejected');

  const badRights = structuredClone(buildManifest(input(1))) as Json;
  badRights.rights = 'https://example.org/my-licence';
  t.false(validate(badRights), 'rights outside CC / RightsStatements must be rejected');
});

test('ids are absolute and under baseUrl, following the documented layout', (t) => {
  const manifest = buildManifest(input(3)) as Json;
  const ids = allIds(manifest);
  t.true(ids.length > 20);
  for (const id of ids) {
    t.notThrows(() => new URL(id), id);
    t.true(id.startsWith(`${BASE}/`), id);
  }
  t.is(manifest.id, `${BASE}/iiif/manifest/item-42`);
  const canvas = canvases(manifest)[2] as Json;
  t.is(canvas.id, `${BASE}/iiif/canvas/item-42/3`);
  const annotationPage = (canvas.items as Json[])[0] as Json;
  t.is(annotationPage.id, `${BASE}/iiif/manifest/item-42/page/3`);
  const annotation = (annotationPage.items as Json[])[0] as Json;
  t.is(annotation.id, `${BASE}/iiif/manifest/item-42/annotation/3`);
  t.is(annotation.motivation, 'painting');
  t.is(annotation.target, canvas.id);
  t.deepEqual(annotation.body, {
    id: `${BASE}/iiif/3/page-3/full/max/0/default.jpg`,
    type: 'Image',
    format: 'image/jpeg',
    width: 2480,
    height: 3508,
    service: [{ id: `${BASE}/iiif/3/page-3`, type: 'ImageService3', profile: 'level2' }],
  });
  t.deepEqual(canvas.seeAlso, [
    {
      id: `${BASE}/api/pages/page-3/hocr`,
      type: 'Text',
      format: 'text/vnd.hocr+html',
      profile: 'http://kba.cloud/hocr-spec/1.2/',
      label: { vi: ['Văn bản OCR (hOCR)'], en: ['OCR text (hOCR)'] },
    },
  ]);
});

test('labels are language maps with vi and en', (t) => {
  const manifest = buildManifest(input(3)) as Json;
  for (const canvas of canvases(manifest)) {
    const label = canvas.label as Record<string, string[]>;
    t.truthy(label.vi?.[0]?.startsWith('Trang '));
    t.truthy(label.en?.[0]?.startsWith('Page '));
  }
  t.deepEqual((canvases(manifest)[0] as Json).label, { vi: ['Trang 1'], en: ['Page 1'] });
  const metadata = manifest.metadata as { label: Record<string, string[]>; value: Record<string, string[]> }[];
  for (const entry of metadata) {
    t.truthy(entry.label.vi?.[0], JSON.stringify(entry));
    t.truthy(entry.label.en?.[0], JSON.stringify(entry));
  }
  const byEnglish = new Map(metadata.map((entry) => [entry.label.en?.[0], entry]));
  t.deepEqual(byEnglish.get('Title')?.label, { vi: ['Tiêu đề'], en: ['Title'] });
  t.deepEqual(byEnglish.get('Creator')?.value, { none: ['Nguyễn Văn Đức'] });
  t.deepEqual(byEnglish.get('Date')?.label.vi, ['Ngày']);
  t.deepEqual(byEnglish.get('Language')?.label.vi, ['Ngôn ngữ']);
  t.deepEqual(byEnglish.get('Call number')?.value, { none: ['ĐC.0042'] });
  t.deepEqual(byEnglish.get('Library')?.value, { vi: ['Thư viện tỉnh Đắk Nông'] });
  t.deepEqual(byEnglish.get('Collection')?.value, { vi: ['Tài liệu địa chí'] });
  t.deepEqual(manifest.summary, { vi: ['Tài liệu địa chí về tỉnh Đắk Nông.'] });
});

test('search service, PDF rendering, homepage, partOf, provider, rights, thumbnail are present', (t) => {
  const manifest = buildManifest(input(2)) as Json;
  t.deepEqual(manifest.service, [{ id: `${BASE}/iiif/search/item-42`, type: 'SearchService2' }]);
  t.deepEqual(manifest.rendering, [
    {
      id: `${BASE}/api/items/item-42/pdf`,
      type: 'Text',
      format: 'application/pdf',
      label: { vi: ['PDF tìm kiếm được'], en: ['Searchable PDF'] },
    },
  ]);
  t.is((manifest.homepage as Json[])[0]?.id, `${BASE}/items/item-42`);
  t.deepEqual(manifest.partOf, [
    { id: `${BASE}/iiif/collection/col-7`, type: 'Collection', label: { vi: ['Tài liệu địa chí'] } },
  ]);
  t.deepEqual(manifest.provider, [
    { id: `${BASE}/libraries/lib-1`, type: 'Agent', label: { vi: ['Thư viện tỉnh Đắk Nông'] } },
  ]);
  t.is(manifest.rights, 'http://rightsstatements.org/vocab/InC/1.0/');
  t.deepEqual(manifest.requiredStatement, {
    label: { vi: ['Ghi công'], en: ['Attribution'] },
    value: { vi: ['Thư viện tỉnh Đắk Nông'] },
  });
  t.deepEqual(manifest.behavior, ['paged']);
  t.deepEqual((manifest.thumbnail as Json[])[0], {
    id: `${BASE}/iiif/3/page-1/full/181,256/0/default.jpg`,
    type: 'Image',
    format: 'image/jpeg',
    width: 181,
    height: 256,
    service: [{ id: `${BASE}/iiif/3/page-1`, type: 'ImageService3', profile: 'level2' }],
  });
});

test('viewingDirection: right-to-left for vertical Hán/Nôm, left-to-right otherwise', (t) => {
  t.is(buildManifest(input(2)).viewingDirection, 'left-to-right');
  const base = input(2);
  const hanVert = buildManifest({ ...base, item: { ...base.item, ocrProfile: 'han-vert', language: 'lzh' } });
  t.is(hanVert.viewingDirection, 'right-to-left');
  t.is(schemaErrors(hanVert), '');
});

test('a Nôm title beyond the BMP survives, code point for code point, and strings are NFC', (t) => {
  const base = input(1);
  const manifest = buildManifest({
    ...base,
    item: {
      ...base.item,
      title: NOM_TITLE,
      // Decomposed (NFD) input must come out composed.
      dublinCore: dublinCore({ title: [{ value: NOM_TITLE.normalize('NFD'), lang: 'vi' }] }),
    },
    library: { name: 'Thư viện tỉnh Đắk Nông'.normalize('NFD') },
  }) as Json;
  const label = (manifest.label as Record<string, string[]>).vi?.[0] ?? '';
  t.is(label, NOM_TITLE.normalize('NFC'));
  t.is([...label].length, [...NOM_TITLE.normalize('NFC')].length);
  t.true([...label].some((char) => char.codePointAt(0) === 0x21a38));
  t.true([...label].some((char) => char.codePointAt(0) === 0x24f93));
  const json = JSON.stringify(manifest);
  t.is(json, json.normalize('NFC'));
  t.is(schemaErrors(manifest), '');
});

test('page labels: printed numbers become Trang/Page, names stay as they are', (t) => {
  const manifest = buildManifest(
    input(3, {
      pages: [
        { id: 'a', seq: 1, label: 'Bìa trước', width: 2000, height: 3000 },
        { id: 'b', seq: 2, label: 'iv', width: 100, height: 150 },
        { id: 'c', seq: 3, label: '12', width: 100, height: 150, hasOcr: false },
      ],
    }),
  ) as Json;
  t.deepEqual(
    canvases(manifest).map((canvas) => canvas.label),
    [{ none: ['Bìa trước'] }, { vi: ['Trang iv'], en: ['Page iv'] }, { vi: ['Trang 12'], en: ['Page 12'] }],
  );
  t.is((canvases(manifest)[2] as Json).seeAlso, undefined);
  // No thumbnail size given: one fitting 256 px is computed.
  t.regex(((manifest.thumbnail as Json[])[0] as Json).id as string, /\/full\/171,256\/0\/default\.jpg$/);
  t.is(schemaErrors(manifest), '');
});

test('bad input is refused with InvalidInputError', (t) => {
  const base = input(2);
  t.throws(() => buildManifest({ ...base, pages: [{ id: 'x', seq: 1, width: 0, height: 10 }] }), {
    instanceOf: InvalidInputError,
  });
  t.throws(() => buildManifest({ ...base, pages: [] }), { instanceOf: InvalidInputError });
  t.throws(() => buildManifest({ ...base, baseUrl: '/relative' }), { instanceOf: InvalidInputError });
  t.throws(() => buildManifest({ ...base, rights: 'all rights reserved' }), { instanceOf: InvalidInputError });
  t.throws(() => buildManifest({ ...base, pages: [...pages(2), { ...(pages(1)[0] as ManifestPage) }] }), {
    instanceOf: InvalidInputError,
  });
  t.is(
    buildManifest({ ...base, rights: 'https://creativecommons.org/licenses/by/4.0/' }).rights,
    'http://creativecommons.org/licenses/by/4.0/',
  );
});
