import test from 'ava';
import {
  createRepositories,
  IN_MEMORY,
  migrateToLatest,
  PgliteDatabase,
  type Database,
} from '../../repository/index.ts';
import { BROWSE_PAGE_SIZE, webRoutes } from '../../repository/web/index.ts';
import { serveRouters, type ServedRouters } from '../helpers/serve-routers.ts';

interface Fixture {
  database: Database;
  server: ServedRouters;
  base: string;
  collectionId: string;
  emptyCollectionId: string;
  publicId: string;
  restrictedId: string;
  confidentialId: string;
  pendingId: string;
}

const PUBLIC_BASE_URL = 'https://so.thuvien.example.vn';
const CONFIDENTIAL_TITLE = 'Hồ sơ mật Zeta';

async function setUp(): Promise<Fixture> {
  const database = await PgliteDatabase.open(IN_MEMORY);
  await migrateToLatest(database);
  const repositories = createRepositories(database.db);
  const library = await repositories.libraries.create({ slug: 'dak-nong', name: 'Thư viện tỉnh Đắk Nông', province: 'Đắk Nông', kind: 'provincial' });
  const collection = await repositories.collections.create({ libraryId: library.id, slug: 'dia-chi', title: 'Địa chí Đắk Nông', category: 'dia-chi' });
  const empty = await repositories.collections.create({ libraryId: library.id, slug: 'quy-hiem', title: 'Sách quý hiếm <b>', category: 'rare' });
  const item = (identifier: string, title: string, extra: Record<string, unknown> = {}) =>
    repositories.items.create({ collectionId: collection.id, identifier, title, status: 'digitised', ...extra });
  const publicItem = await item('ĐC-000', 'A: Địa chí <script>x</script>', {
    dublinCore: {
      title: [{ value: 'A: Địa chí <script>x</script>' }],
      creator: [{ value: 'Nguyễn Văn A' }],
      date: [{ value: '1938' }],
      subject: [{ value: '地志', lang: 'lzh' }],
    },
  });
  for (let n = 1; n <= BROWSE_PAGE_SIZE; n += 1) await item(`ĐC-${String(n).padStart(3, '0')}`, `B tài liệu ${String(n).padStart(3, '0')}`);
  const restricted = await item('ĐC-R', 'Tài liệu hạn chế Rho', { accessLevel: 'restricted' });
  const confidential = await item('ĐC-M', CONFIDENTIAL_TITLE, { accessLevel: 'confidential' });
  const pending = await item('ĐC-P', 'Chưa số hóa Pi', { status: 'registered' });

  const server = await serveRouters(webRoutes({ database, publicBaseUrl: PUBLIC_BASE_URL }));
  return {
    database,
    server,
    base: server.baseUrl,
    collectionId: collection.id,
    emptyCollectionId: empty.id,
    publicId: publicItem.id,
    restrictedId: restricted.id,
    confidentialId: confidential.id,
    pendingId: pending.id,
  };
}

let fixture: Fixture;
test.before(async () => {
  fixture = await setUp();
});
test.after.always(async () => {
  await fixture?.server.close();
  await fixture?.database.close();
});

async function get(path: string, cookie?: string) {
  const response = await fetch(`${fixture.base}${path}`, { headers: cookie ? { cookie } : {} });
  return { status: response.status, body: await response.text(), headers: response.headers };
}

const pages = () => [
  '/',
  `/bo-suu-tap/${fixture.collectionId}`,
  `/bo-suu-tap/${fixture.collectionId}?trang=2`,
  `/tai-lieu/${fixture.publicId}`,
  `/tai-lieu/${fixture.pendingId}`,
];

test('every page answers 200 in Vietnamese by default, with the layout and the stylesheet', async (t) => {
  for (const path of pages()) {
    const { status, body, headers } = await get(path);
    t.is(status, 200, path);
    t.true(headers.get('content-type')?.startsWith('text/html'), path);
    t.regex(body, /<html lang="vi">/, path);
    t.true(body.includes('Thư viện số') && body.includes('href="/tim-kiem"') && body.includes('href="/quan-tri"'), path);
    t.true(body.includes('<link rel="stylesheet" href="/web/assets/site.css">'), path);
    t.true(body.includes('hreflang="en"'), path);
    t.is(headers.get('set-cookie'), null, path);
  }
});

test('?lang=en answers in English and sets a SameSite=Lax lang cookie that later pages follow', async (t) => {
  for (const path of pages()) {
    const { status, body, headers } = await get(`${path}${path.includes('?') ? '&' : '?'}lang=en`);
    t.is(status, 200, path);
    t.regex(body, /<html lang="en">/, path);
    t.true(body.includes('>Home</a>'), path);
    const cookie = headers.get('set-cookie') ?? '';
    t.regex(cookie, /^lang=en;/, path);
    t.regex(cookie, /SameSite=Lax/i, path);
  }
  const followed = await get('/', 'lang=en');
  t.regex(followed.body, /<html lang="en">/);
  const back = await get('/?lang=vi', 'lang=en');
  t.regex(back.body, /<html lang="vi">/, 'the query wins over the cookie');
  t.regex(back.headers.get('set-cookie') ?? '', /^lang=vi;/);
});

test('the language switch keeps the address and its page parameter', async (t) => {
  const { body } = await get(`/bo-suu-tap/${fixture.collectionId}?trang=2`);
  t.true(body.includes(`href="/bo-suu-tap/${fixture.collectionId}?trang=2&amp;lang=en"`));
});

test('home lists the library and its collections with registered and digitised counts, escaped', async (t) => {
  const { body } = await get('/');
  t.true(body.includes('Thư viện tỉnh Đắk Nông'));
  t.true(body.includes(`href="/bo-suu-tap/${fixture.collectionId}">Địa chí Đắk Nông</a>`));
  const card = body.slice(body.indexOf('Địa chí Đắk Nông</a>'));
  // 1 + 24 public, 1 restricted, 1 confidential, 1 registered: 28 registered, 27 digitised.
  t.regex(card, /Tài liệu đã đăng ký<\/dt><dd>28<\/dd>/);
  t.regex(card, /Tài liệu đã số hóa<\/dt><dd>27<\/dd>/);
  t.true(body.includes('Sách quý hiếm &lt;b&gt;'));
  t.false(body.includes(CONFIDENTIAL_TITLE));
});

test('a collection lists its visible digitised documents, 24 a page, sorted by title', async (t) => {
  const first = await get(`/bo-suu-tap/${fixture.collectionId}`);
  const links = [...first.body.matchAll(/href="\/tai-lieu\/([^"]+)"/g)].map((match) => match[1]);
  t.is(links.length, BROWSE_PAGE_SIZE);
  t.is(links[0], fixture.publicId);
  t.true(first.body.includes('A: Địa chí &lt;script&gt;x&lt;/script&gt;'));
  t.false(first.body.includes('<script>x'));
  t.true(first.body.includes('25 tài liệu đã số hóa'));
  t.true(first.body.includes(`href="/bo-suu-tap/${fixture.collectionId}?trang=2"`));
  const second = await get(`/bo-suu-tap/${fixture.collectionId}?trang=2`);
  const secondLinks = [...second.body.matchAll(/href="\/tai-lieu\/([^"]+)"/g)].map((match) => match[1]);
  t.is(secondLinks.length, 1);
  t.true(second.body.includes('B tài liệu 024'));
  for (const body of [first.body, second.body]) {
    t.false(body.includes(CONFIDENTIAL_TITLE));
    t.false(body.includes('Tài liệu hạn chế Rho'));
    t.false(body.includes('Chưa số hóa Pi'));
    for (const id of [fixture.confidentialId, fixture.restrictedId, fixture.pendingId]) t.false(body.includes(id));
  }
  const empty = await get(`/bo-suu-tap/${fixture.emptyCollectionId}`);
  t.is(empty.status, 200);
  t.true(empty.body.includes('chưa có tài liệu số hóa nào'));
});

test('a public digitised document shows metadata, viewer, search inside, PDF and manifest links', async (t) => {
  const { body } = await get(`/tai-lieu/${fixture.publicId}`);
  const id = fixture.publicId;
  t.true(body.includes(`<iframe class="viewer__frame" src="/viewer/${id}"`));
  t.true(body.includes(`href="/api/items/${id}/pdf"`));
  t.true(body.includes(`href="${PUBLIC_BASE_URL}/iiif/manifest/${id}"`));
  t.true(body.includes(`value="${PUBLIC_BASE_URL}/iiif/manifest/${id}"`));
  t.true(body.includes(`href="/viewer?manifest=${encodeURIComponent(`${PUBLIC_BASE_URL}/iiif/manifest/${id}`)}"`));
  t.true(body.includes(`data-endpoint="/iiif/search/${id}"`));
  t.true(body.includes('<script type="module" src="/web/assets/search-inside.js"></script>'));
  t.regex(body, /<dt>Tác giả<\/dt><dd>Nguyễn Văn A<\/dd>/);
  t.regex(body, /<dt>Chủ đề<\/dt><dd lang="lzh">地志<\/dd>/);
  t.regex(body, /<dt>Ký hiệu xếp giá<\/dt><dd>ĐC-000<\/dd>/);
  t.false(body.includes('<script>x'));
  t.false(/\son[a-z]+=/i.test(body), 'no inline event handlers');
  t.false(/<script>/.test(body), 'no inline scripts');
  const english = await get(`/tai-lieu/${fixture.publicId}?lang=en`);
  t.regex(english.body, /<dt>Creator<\/dt><dd>Nguyễn Văn A<\/dd>/);
});

test('restricted and confidential documents show a notice without content links or the confidential title', async (t) => {
  for (const [id, heading] of [
    [fixture.restrictedId, 'Tài liệu hạn chế'],
    [fixture.confidentialId, 'Tài liệu dành cho cán bộ thư viện'],
  ] as const) {
    const { status, body } = await get(`/tai-lieu/${id}`);
    t.is(status, 403);
    t.regex(body, /<html lang="vi">/);
    t.true(body.includes(`<h1>${heading}</h1>`));
    for (const forbidden of ['/pdf', '/iiif/manifest/', '/viewer', '<iframe', '/iiif/search/', 'thumbnail']) {
      t.false(body.includes(forbidden), `${id}: ${forbidden}`);
    }
  }
  const confidential = await get(`/tai-lieu/${fixture.confidentialId}?lang=en`);
  t.false(confidential.body.includes(CONFIDENTIAL_TITLE));
  t.true(confidential.body.includes('Document for library staff'));
});

test('a document not yet digitised shows its record but no viewer or download', async (t) => {
  const { status, body } = await get(`/tai-lieu/${fixture.pendingId}`);
  t.is(status, 200);
  t.true(body.includes('Chưa số hóa Pi'));
  t.false(body.includes('<iframe'));
  t.false(body.includes('/pdf'));
});

test('unknown ids and pages answer the 404 page in the current language', async (t) => {
  for (const path of ['/tai-lieu/khong-co', '/bo-suu-tap/khong-co', `/bo-suu-tap/${fixture.collectionId}?trang=3`, `/bo-suu-tap/${fixture.collectionId}?trang=0`, `/bo-suu-tap/${fixture.collectionId}?trang=x`]) {
    const vi = await get(path);
    t.is(vi.status, 404, path);
    t.regex(vi.body, /<html lang="vi">/, path);
    t.true(vi.body.includes('<h1>Không tìm thấy</h1>'), path);
    const en = await get(path, 'lang=en');
    t.is(en.status, 404, path);
    t.true(en.body.includes('<h1>Not found</h1>'), path);
  }
});

test('the stylesheet, the script and nothing else are served from /web/assets', async (t) => {
  const css = await get('/web/assets/site.css');
  t.is(css.status, 200);
  t.regex(css.headers.get('content-type') ?? '', /^text\/css/);
  const js = await get('/web/assets/search-inside.js');
  t.is(js.status, 200);
  t.regex(js.headers.get('content-type') ?? '', /javascript/);
  const escape = await get('/web/assets/%2e%2e/web.routes.ts');
  t.not(escape.status, 200, 'no file outside the static folder');
  t.false(escape.body.includes('webRoutes'));
  t.is((await get('/web/assets/nothing.js')).status, 404);
});
