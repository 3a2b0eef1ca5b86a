import { createHash, randomBytes } from 'node:crypto';
import type { TestFn } from 'ava';
import {
  ANONYMOUS,
  createRepositories,
  migrateToLatest,
  type AccessLevel,
  type CollectionCategory,
  type Database,
  type Repositories,
} from '../../../repository/index.ts';
import { searchCatalogue, type SearchQuery, type SearchResponse } from '../../../repository/search/index.ts';
import { InvalidInputError } from '../../../storage/index.ts';

/**
 * Site search against one adapter. `before` builds one small catalogue in a fresh database
 * (PGlite in memory, or a new schema on the server); the tests only read it, so every count
 * below is exact.
 */
export interface SearchTarget {
  open(): Promise<Database>;
  dispose(database: Database): Promise<void>;
}

const NOM = '𡨸𡦂𤾓𢆥𠊛𡗶𤯩𠬠';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

export interface Fixture {
  libraryA: string;
  libraryB: string;
  collectionA1: string;
  collectionA2: string;
  collectionB1: string;
  /** Item id by name. */
  items: Record<'title' | 'body' | 'metadata' | 'restricted' | 'confidential' | 'nom' | 'override', string>;
}

export async function buildFixture(repos: Repositories, database: Database): Promise<Fixture> {
  const tag = randomBytes(3).toString('hex');
  const libraryA = await repos.libraries.create({ slug: `dak-nong-${tag}`, name: 'Thư viện tỉnh Đắk Nông', province: 'Đắk Nông', kind: 'provincial' });
  const libraryB = await repos.libraries.create({ slug: `ha-noi-${tag}`, name: 'Thư viện Hà Nội', province: 'Hà Nội', kind: 'provincial' });
  const collection = (libraryId: string, slug: string, title: string, category: CollectionCategory, defaultAccess: AccessLevel) =>
    repos.collections.create({ libraryId, slug, title, category, defaultAccess });
  const a1 = await collection(libraryA.id, 'dia-chi', 'Địa chí Đắk Nông', 'dia-chi', 'public');
  const a2 = await collection(libraryA.id, 'quy-hiem', 'Sách quý hiếm', 'rare', 'restricted');
  const b1 = await collection(libraryB.id, 'van-hoa', 'Văn hoá', 'other', 'public');

  let identifier = 0;
  async function item(
    collectionId: string,
    title: string,
    options: { date?: string; script?: string; accessLevel?: AccessLevel; creator?: string; subject?: string; pages?: string[] } = {},
  ): Promise<string> {
    identifier += 1;
    const created = await repos.items.create({
      collectionId,
      identifier: `DC-${identifier}`,
      title,
      script: options.script,
      accessLevel: options.accessLevel ?? null,
      dublinCore: {
        title: [{ value: title }],
        ...(options.date ? { date: [{ value: options.date }] } : {}),
        ...(options.creator ? { creator: [{ value: options.creator }] } : {}),
        ...(options.subject ? { subject: [{ value: options.subject }] } : {}),
      },
    });
    for (const [index, text] of (options.pages ?? []).entries()) {
      const seq = index + 1;
      const page = await repos.pages.create({
        itemId: created.id,
        seq,
        masterKey: `masters/${created.id}/${seq}.tif`,
        masterSha256: createHash('sha256').update(`${created.id}/${seq}`).digest('hex'),
        masterSize: 1000,
        contentType: 'image/tiff',
      });
      await database.db.insertInto('page_texts').values({ page_id: page.id, item_id: created.id, text }).execute();
    }
    return created.id;
  }

  const items = {
    title: await item(a1.id, 'Thư viện tỉnh Đắk Nông xưa và nay', { date: '1925', pages: ['Giới thiệu chung về vùng đất.'] }),
    body: await item(a1.id, 'Lịch sử vùng cao nguyên', {
      date: '1938-05-01',
      pages: ['Trang đầu không có chữ cần tìm.', 'Năm 1930, <b>thư viện</b> & địa chí của Đắk Nông được lập.', 'Lại nói về thư viện lần nữa.'],
    }),
    metadata: await item(b1.id, 'Văn hoá dân gian', { date: '1962', creator: 'Nguyễn Văn Ánh', subject: 'Địa chí' }),
    restricted: await item(a2.id, 'Thư viện mật', { date: '1927', pages: ['thư viện bí mật Đắk Nông'] }),
    confidential: await item(a1.id, 'Hồ sơ', { date: '1926', accessLevel: 'confidential', pages: ['thư viện Đắk Nông tuyệt mật'] }),
    nom: await item(b1.id, 'Truyện Kiều bản chữ Nôm', { date: '1871', script: 'Hani', pages: [`${NOM.repeat(30)} thư viện ${NOM.repeat(30)}`] }),
    override: await item(a2.id, 'Sổ tay thư viện', { accessLevel: 'public' }),
  };
  return { libraryA: libraryA.id, libraryB: libraryB.id, collectionA1: a1.id, collectionA2: a2.id, collectionB1: b1.id, items };
}

const ids = (response: SearchResponse): string[] => response.results.map((result) => result.itemId);
const sorted = (values: string[]): string[] => [...values].sort();
const counts = (values: { id: string; count: number }[]): Record<string, number> =>
  Object.fromEntries(values.map((value) => [value.id, value.count]));

export function runSearchContract(test: TestFn, target: SearchTarget): void {
  let database: Database;
  let fixture: Fixture;
  const search = (query: SearchQuery) => searchCatalogue(database.db, query, ANONYMOUS);

  test.before(async () => {
    database = await target.open();
    await migrateToLatest(database);
    fixture = await buildFixture(createRepositories(database.db), database);
  });

  test.after.always(async () => {
    if (database !== undefined) await target.dispose(database);
  });

  test('diacritic-free queries find accented titles and OCR text', async (t) => {
    const { items } = fixture;
    t.deepEqual(sorted(ids(await search({ q: 'thu vien' }))), sorted([items.title, items.body, items.nom, items.override]));
    t.deepEqual(sorted(ids(await search({ q: 'dia chi' }))), sorted([items.body, items.metadata]));
    t.deepEqual(sorted(ids(await search({ q: 'Dak Nong' }))), sorted([items.title, items.body]));
    // In the OCR text only: the body item's title has none of these words.
    t.deepEqual(ids(await search({ q: 'nam 1930' })), [items.body]);
  });

  test('accented, upper-case and NFD queries find the same items', async (t) => {
    const plain = sorted(ids(await search({ q: 'thu vien' })));
    t.deepEqual(sorted(ids(await search({ q: 'thư viện' }))), plain);
    t.deepEqual(sorted(ids(await search({ q: 'THƯ VIỆN' }))), plain);
    t.deepEqual(sorted(ids(await search({ q: 'thư viện'.normalize('NFD') }))), plain);
    t.deepEqual(sorted(ids(await search({ q: 'ĐẮK NÔNG' }))), sorted([fixture.items.title, fixture.items.body]));
  });

  test('every query word must match', async (t) => {
    t.deepEqual(ids(await search({ q: 'thu vien xua' })), [fixture.items.title]);
    t.deepEqual(ids(await search({ q: 'thu vien khongcotu' })), []);
    t.is((await search({ q: 'thu vien khongcotu' })).total, 0);
    t.deepEqual(ids(await search({ q: 'nguyen anh' })), [fixture.items.metadata]);
  });

  test('title matches rank above metadata, metadata above OCR text', async (t) => {
    const response = await search({ q: 'thu vien' });
    t.deepEqual(sorted(ids(response).slice(0, 2)), sorted([fixture.items.title, fixture.items.override]));
    t.true(response.results[1]!.score > response.results[2]!.score);
    t.deepEqual(ids(await search({ q: 'dia chi' })), [fixture.items.metadata, fixture.items.body]);
    const dakNong = await search({ q: 'dak nong' });
    t.is(dakNong.results[0]!.itemId, fixture.items.title);
    t.true(dakNong.results[0]!.score > dakNong.results[1]!.score);
  });

  test('restricted and confidential items never appear, nor their snippets', async (t) => {
    for (const q of ['bi mat', 'tuyet mat', 'Thư viện mật', 'ho so']) {
      const response = await search({ q });
      t.is(response.total, 0, q);
      t.deepEqual(response.results, [], q);
      t.deepEqual(response.facets.library, [], q);
    }
    const response = await search({ q: 'thu vien dak nong', limit: 100 });
    t.false(ids(response).includes(fixture.items.restricted));
    t.false(ids(response).includes(fixture.items.confidential));
    const html = JSON.stringify(response);
    t.false(html.includes('bí mật'));
    t.false(html.includes('tuyệt mật'));
    // An item made public inside a restricted collection is found.
    t.deepEqual(ids(await search({ q: 'so tay' })), [fixture.items.override]);
  });

  test('facets count the matching visible items and each ignores only its own filter', async (t) => {
    const { items, libraryA, libraryB, collectionA1, collectionA2, collectionB1 } = fixture;
    const all = await search({ q: 'thu vien' });
    t.is(all.total, 4);
    t.deepEqual(counts(all.facets.library), { [libraryA]: 3, [libraryB]: 1 });
    t.is(all.facets.library.find((value) => value.id === libraryA)?.label, 'Thư viện tỉnh Đắk Nông');
    t.deepEqual(counts(all.facets.collection), { [collectionA1]: 2, [collectionA2]: 1, [collectionB1]: 1 });
    t.deepEqual(counts(all.facets.category), { 'dia-chi': 2, rare: 1, other: 1 });
    t.is(all.facets.category.find((value) => value.id === 'dia-chi')?.label, 'Địa chí');
    t.deepEqual(counts(all.facets.script), { Latn: 3, Hani: 1 });
    t.deepEqual(all.facets.decade, [
      { id: '1870', label: '1870–1879', count: 1 },
      { id: '1920', label: '1920–1929', count: 1 },
      { id: '1930', label: '1930–1939', count: 1 },
    ]);

    const inA = await search({ q: 'thu vien', libraryId: libraryA });
    t.is(inA.total, 3);
    t.deepEqual(sorted(ids(inA)), sorted([items.title, items.body, items.override]));
    t.deepEqual(counts(inA.facets.library), { [libraryA]: 3, [libraryB]: 1 });
    t.deepEqual(counts(inA.facets.collection), { [collectionA1]: 2, [collectionA2]: 1 });

    t.deepEqual(sorted(ids(await search({ q: 'thu vien', collectionId: collectionA1 }))), sorted([items.title, items.body]));
    t.deepEqual(sorted(ids(await search({ q: 'thu vien', category: 'dia-chi' }))), sorted([items.title, items.body]));
    t.deepEqual(ids(await search({ q: 'thu vien', script: 'Hani' })), [items.nom]);
    t.deepEqual(ids(await search({ q: 'thu vien', yearFrom: 1900, yearTo: 1929 })), [items.title]);
    t.deepEqual(sorted(ids(await search({ q: 'thu vien', yearFrom: 1920 }))), sorted([items.title, items.body]));
    const combined = await search({ q: 'thu vien', libraryId: libraryA, yearTo: 1929 });
    t.deepEqual(ids(combined), [items.title]);
    t.deepEqual(combined.facets.decade.map((value) => value.id), ['1920', '1930']);
  });

  test('snippets mark the accented words, escape OCR HTML and come from matching pages', async (t) => {
    const response = await search({ q: 'thu vien' });
    const body = response.results.find((result) => result.itemId === fixture.items.body)!;
    t.deepEqual(body.snippets.map((snippet) => snippet.seq), [2, 3]);
    t.is(body.snippets[0]!.html, 'Năm 1930, &lt;b&gt;<mark>thư viện</mark>&lt;/b&gt; &amp; địa chí của Đắk Nông được lập.');
    t.is(body.snippets[1]!.html, 'Lại nói về <mark>thư viện</mark> lần nữa.');
    t.truthy(body.snippets[0]!.pageId);
    const title = response.results.find((result) => result.itemId === fixture.items.title)!;
    t.is(title.snippets[0]!.html, '<mark>Thư viện</mark> tỉnh Đắk Nông xưa và nay');
    t.is(title.snippets[0]!.pageId, undefined);
    t.is(title.collection.id, fixture.collectionA1);
    t.is(title.library.name, 'Thư viện tỉnh Đắk Nông');
    const dakNong = await search({ q: 'dak nong' });
    const bodyDak = dakNong.results.find((result) => result.itemId === fixture.items.body)!;
    t.true(bodyDak.snippets[0]!.html.includes('<mark>Đắk Nông</mark>'), bodyDak.snippets[0]!.html);
  });

  test('Nôm characters outside the BMP survive in snippets', async (t) => {
    const response = await search({ q: 'thu vien', script: 'Hani' });
    const snippet = response.results[0]!.snippets[0]!;
    t.is(snippet.seq, 1);
    t.true(snippet.html.includes('<mark>thư viện</mark>'));
    t.true([...NOM].some((character) => snippet.html.includes(character)));
    t.false(LONE_SURROGATE.test(snippet.html));
  });

  test('paging keeps the total and walks every result once', async (t) => {
    const first = await search({ q: 'thu vien', limit: 2 });
    const second = await search({ q: 'thu vien', limit: 2, offset: 2 });
    const beyond = await search({ q: 'thu vien', limit: 2, offset: 4 });
    t.is(first.total, 4);
    t.is(second.total, 4);
    t.is(beyond.total, 4);
    t.is(first.results.length, 2);
    t.is(second.results.length, 2);
    t.deepEqual(beyond.results, []);
    t.deepEqual(sorted([...ids(first), ...ids(second)]), sorted(ids(await search({ q: 'thu vien' }))));
  });

  test('empty and over-long queries are InvalidInputError', async (t) => {
    await t.throwsAsync(search({ q: '' }), { instanceOf: InvalidInputError });
    await t.throwsAsync(search({ q: '  ?! ' }), { instanceOf: InvalidInputError });
    await t.throwsAsync(search({ q: 'thư viện '.repeat(30) }), { instanceOf: InvalidInputError });
    await t.throwsAsync(search({ q: 'x', limit: 1000 }), { instanceOf: InvalidInputError });
  });

  test('LIKE wildcards in the query match only themselves', async (t) => {
    // `_` and `%` are not letters: they separate words instead of matching anything.
    t.deepEqual(ids(await search({ q: 'thu%vien_xua' })), [fixture.items.title]);
  });
}
