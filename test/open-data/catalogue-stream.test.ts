import test from 'ava';
import {
  CC0_LICENSE,
  createRepositories,
  IN_MEMORY,
  migrateToLatest,
  OpenDataRepository,
  openDataRoutes,
  parseCsv,
  PgliteDatabase,
  type Database,
} from '../../repository/index.ts';
import { serveRouters, type ServedRouters } from '../helpers/serve-routers.ts';

/** Small keyset pages, so that the exports below span many of them. */
const PAGE_SIZE = 3;
const PUBLIC_ITEMS = 37;

let database: Database;
let server: ServedRouters;
let publicIds: string[];

test.before(async () => {
  database = await PgliteDatabase.open(IN_MEMORY);
  await migrateToLatest(database);
  const { libraries, collections, items } = createRepositories(database.db);
  const library = await libraries.create({ slug: 'hue', name: 'Thư viện tỉnh Thừa Thiên Huế', province: 'Huế', kind: 'provincial' });
  const open = await collections.create({ libraryId: library.id, slug: 'mo', title: 'Mở', category: 'other' });
  const closed = await collections.create({ libraryId: library.id, slug: 'kin', title: 'Kín', category: 'rare', defaultAccess: 'confidential' });
  publicIds = [];
  for (let n = 0; n < PUBLIC_ITEMS; n += 1) {
    const item = await items.create({ collectionId: open.id, identifier: `M-${n}`, title: `Tài liệu ${n} 𡨸`, status: n % 2 === 0 ? 'digitised' : 'registered' });
    publicIds.push(item.id);
    // Hidden documents between the visible ones, so that pages of the keyset are not all full.
    if (n % 5 === 0) await items.create({ collectionId: closed.id, identifier: `K-${n}`, title: `Kín ${n}` });
    if (n % 7 === 0) await items.create({ collectionId: open.id, identifier: `R-${n}`, title: `Hạn chế ${n}`, accessLevel: 'restricted' });
  }
  server = await serveRouters(
    openDataRoutes({
      database,
      baseUrl: () => 'https://so.thuvien.example.vn',
      license: CC0_LICENSE,
      restrictedMetadata: 'hidden',
      clock: () => new Date('2026-11-21T03:00:00Z'),
      pageSize: PAGE_SIZE,
    }),
  );
});

test.after.always(async () => {
  await server?.close();
  await database?.close();
});

test('the keyset pages give every visible document once, in id order, and nothing else', async (t) => {
  const seen: string[] = [];
  for await (const record of new OpenDataRepository(database.db).catalogueRecords(['public'], PAGE_SIZE)) seen.push(record.id);
  t.true(seen.length > PAGE_SIZE * 10, 'many pages');
  t.deepEqual(seen, [...publicIds].sort((a, b) => (a < b ? -1 : 1)));
});

test('a page size that divides the count exactly ends without an extra empty record', async (t) => {
  const seen: string[] = [];
  for await (const record of new OpenDataRepository(database.db).catalogueRecords(['public'], PUBLIC_ITEMS)) seen.push(record.id);
  t.is(seen.length, PUBLIC_ITEMS);
});

test('the CSV served over HTTP, many keyset pages long, has each visible document exactly once', async (t) => {
  const response = await fetch(`${server.baseUrl}/open-data/catalogue.csv`);
  t.is(response.status, 200);
  t.is(response.headers.get('transfer-encoding'), 'chunked', 'streamed, not sent with a length known in advance');
  const rows = parseCsv(new TextDecoder().decode(await response.arrayBuffer())).flatMap((row) =>
    row.kind === 'record' && !(row.fields.length === 1 && row.fields[0] === '') ? [row.fields] : [],
  );
  const ids = rows.slice(1).map((fields) => fields[0]);
  t.is(ids.length, PUBLIC_ITEMS);
  t.is(new Set(ids).size, PUBLIC_ITEMS, 'no document repeated');
  t.deepEqual([...ids].sort(), [...publicIds].sort(), 'none lost');
  t.true(rows.slice(1).every((fields) => fields[2]?.endsWith(' 𡨸')));
});

test('the JSON-LD served over HTTP is one JSON document with each visible document once', async (t) => {
  const response = await fetch(`${server.baseUrl}/open-data/catalogue.jsonld`);
  t.is(response.status, 200);
  const document = JSON.parse(await response.text()) as { '@graph': { '@id': string }[] };
  const ids = document['@graph'].map((node) => node['@id'].split('/').pop());
  t.is(new Set(ids).size, PUBLIC_ITEMS);
  t.deepEqual([...ids].sort(), [...publicIds].sort());
});

test('a client that reads slowly and then hangs up does not break the server', async (t) => {
  const controller = new AbortController();
  const response = await fetch(`${server.baseUrl}/open-data/catalogue.csv`, { signal: controller.signal });
  const reader = response.body!.getReader();
  await reader.read();
  controller.abort();
  await t.throwsAsync(reader.read(), { any: true });
  const again = await fetch(`${server.baseUrl}/open-data/catalogue.csv`);
  t.is(again.status, 200);
  t.true((await again.text()).length > 0);
});

test('HEAD answers the headers without the body', async (t) => {
  const response = await fetch(`${server.baseUrl}/open-data/catalogue.jsonld`, { method: 'HEAD' });
  t.is(response.status, 200);
  t.truthy(response.headers.get('etag'));
  t.is(await response.text(), '');
});
