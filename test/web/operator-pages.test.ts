import test from 'ava';
import { createRepositories, IN_MEMORY, migrateToLatest, PgliteDatabase, type Database } from '../../repository/index.ts';
import { webRoutes } from '../../repository/web/index.ts';
import { actingAs, ADMIN_VIEWER } from '../helpers/acting-as.ts';
import { serveRouters, type ServedRouters } from '../helpers/serve-routers.ts';

let database: Database;
let server: ServedRouters | undefined;
let base: string;
let itemId: string;
let collectionId: string;

test.before(async () => {
  database = await PgliteDatabase.open(IN_MEMORY);
  await migrateToLatest(database);
  const repositories = createRepositories(database.db);
  const library = await repositories.libraries.create({ slug: 'dak-nong', name: 'Thư viện tỉnh Đắk Nông', province: 'Đắk Nông', kind: 'provincial' });
  const collection = await repositories.collections.create({ libraryId: library.id, slug: 'dia-chi', title: 'Địa chí <Đắk Nông>', category: 'dia-chi' });
  collectionId = collection.id;
  const item = await repositories.items.create({ collectionId, identifier: 'ĐC-7', title: 'Sổ tay <script>x</script>' });
  itemId = item.id;
  server = await serveRouters(actingAs(ADMIN_VIEWER), webRoutes({ database, publicBaseUrl: 'http://so.example.vn' }));
  base = server.baseUrl;
});
test.after.always(async () => {
  await server?.close();
  await database?.close();
});

const get = async (path: string) => {
  const response = await fetch(`${base}${path}`, { redirect: 'manual' });
  return { status: response.status, body: await response.text(), location: response.headers.get('location') };
};

test('the registration page lists the collections, in Vietnamese and in English, with its script and no inline code', async (t) => {
  const vi = await get('/bien-muc/tai-lieu-moi');
  t.is(vi.status, 200);
  t.true(vi.body.includes('<h1>Đăng ký tài liệu mới</h1>'));
  t.true(vi.body.includes(`<option value="${collectionId}">Địa chí &lt;Đắk Nông&gt;</option>`));
  t.true(vi.body.includes('src="/web/assets/operator-register.js"'));
  t.notRegex(vi.body, /<script(?![^>]*(src=|type="application\/json"))/, 'no inline executable script');
  t.notRegex(vi.body, /\son[a-z]+=/i, 'no inline handler');
  const en = await get('/bien-muc/tai-lieu-moi?lang=en');
  t.true(en.body.includes('<h1>Register a new document</h1>'));
});

test('the operator page of a document renders escaped in both languages; an unknown document is a 404 page', async (t) => {
  const vi = await get(`/bien-muc/tai-lieu/${itemId}`);
  t.is(vi.status, 200);
  t.true(vi.body.includes('Số hóa: Sổ tay &lt;script&gt;x&lt;/script&gt;'));
  t.true(vi.body.includes(`data-item-id="${itemId}"`));
  t.true(vi.body.includes('src="/web/assets/operator-item.js"'));
  t.true(vi.body.includes('Xử lý và đánh dấu hoàn tất'));
  const messages = /<script type="application\/json" id="operator-messages">([^<]*)<\/script>/.exec(vi.body);
  t.truthy(messages);
  t.is(JSON.parse(messages?.[1] ?? '{}')['operator.status.digitised'], 'đã số hóa');
  const en = await get(`/bien-muc/tai-lieu/${itemId}?lang=en`);
  t.is(en.status, 200);
  t.true(en.body.includes('Process and mark complete'));
  const missing = await get('/bien-muc/tai-lieu/khong-co');
  t.is(missing.status, 404);
  t.true(missing.body.includes('Không tìm thấy'));
});

test('finding a document by call number goes to its page; an unknown one answers the form with a notice', async (t) => {
  const found = await get(`/bien-muc/tim?bo-suu-tap=${collectionId}&ky-hieu=${encodeURIComponent(' ĐC-7 ')}`);
  t.is(found.status, 303);
  t.is(found.location, `/bien-muc/tai-lieu/${itemId}`);
  const none = await get(`/bien-muc/tim?bo-suu-tap=${collectionId}&ky-hieu=XYZ`);
  t.is(none.status, 404);
  t.true(none.body.includes('Không có tài liệu mang ký hiệu “XYZ”'));
});

test('the operator assets are served', async (t) => {
  for (const asset of ['operator-item.js', 'operator-register.js', 'operator.css']) t.is((await get(`/web/assets/${asset}`)).status, 200, asset);
});
