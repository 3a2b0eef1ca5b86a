import test from 'ava';
import { CookieJarClient } from '../helpers/cookie-jar-client.ts';
import { postJson } from '../helpers/post-json.ts';
import { startAppOnFreePort, TEST_ADMIN_PASSWORD, type RunningApp } from '../helpers/running-app.ts';

let app: RunningApp;
let itemId: string;
const PASSWORD = 'một mật khẩu đủ dài để dùng';

test.before(async () => {
  app = await startAppOnFreePort('dc-form');
  const library = await postJson<{ id: string }>(`${app.baseUrl}/api/libraries`, { slug: 'hue', name: 'Thư viện Huế', province: 'Huế', kind: 'provincial' });
  const other = await postJson<{ id: string }>(`${app.baseUrl}/api/libraries`, { slug: 'hue-2', name: 'Thư viện khác', province: 'Huế', kind: 'district' });
  const collection = await postJson<{ id: string }>(`${app.baseUrl}/api/collections`, { libraryId: library.id, slug: 'han-nom', title: 'Hán Nôm', category: 'rare' });
  const item = await postJson<{ id: string }>(`${app.baseUrl}/api/items`, {
    collectionId: collection.id,
    identifier: 'HN-1',
    dublinCore: { title: [{ value: 'Truyện Kiều', lang: 'vi' }, { value: '傳翹', lang: 'vi-Hani' }], date: [{ value: '1820' }] },
  });
  itemId = item.id;
  await postJson(`${app.baseUrl}/api/users`, { username: 'doc-gia', displayName: 'Độc giả', role: 'reader', libraryId: null, password: PASSWORD });
  await postJson(`${app.baseUrl}/api/users`, { username: 'khac', displayName: 'Khác', role: 'operator', libraryId: other.id, password: PASSWORD });
});
test.after.always(async () => {
  await app?.close();
});

async function signedIn(username: string, password: string): Promise<CookieJarClient> {
  const browser = new CookieJarClient(app.baseUrl);
  const response = await browser.signIn(username, password);
  if (response.status !== 303) throw new Error(`sign-in of ${username} answered ${response.status}`);
  return browser;
}

const formPath = () => `/bien-muc/tai-lieu/${itemId}/mo-ta`;
const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
const valueOf = (page: string, id: string) => new RegExp(`<input id="${id}"[^>]*\\svalue="([^"]*)"`).exec(page)?.[1];
const post = (browser: CookieJarClient, fields: Record<string, string>) =>
  browser.request(formPath(), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

test.serial('the form shows every value with its language, and empty rows defaulting to vi for text and to none for codes', async (t) => {
  const admin = await signedIn('admin', TEST_ADMIN_PASSWORD);
  const item = await (await admin.request(`/bien-muc/tai-lieu/${itemId}`)).text();
  t.true(item.includes(`href="/bien-muc/tai-lieu/${itemId}/mo-ta?lang=vi"`), 'the item page links to the form');
  const response = await admin.request(formPath());
  t.is(response.status, 200);
  const page = await response.text();
  t.true(page.includes('<legend>Nhan đề</legend>'));
  t.is(valueOf(page, 'dc-title-0-value'), 'Truyện Kiều');
  t.is(valueOf(page, 'dc-title-0-lang'), 'vi');
  t.is(valueOf(page, 'dc-title-1-value'), '傳翹');
  t.is(valueOf(page, 'dc-title-1-lang'), 'vi-Hani');
  t.is(valueOf(page, 'dc-title-2-value'), '');
  t.is(valueOf(page, 'dc-title-3-lang'), 'vi');
  t.is(valueOf(page, 'dc-title-4-value'), undefined, 'two empty rows');
  t.is(valueOf(page, 'dc-date-0-value'), '1820');
  t.is(valueOf(page, 'dc-date-1-lang'), '');
  t.regex(page, /<option value="vi-Hani">Chữ Nôm<\/option>/);
  t.notRegex(page, /<script(?![^>]*src=)/, 'no inline script');
  for (const id of [...page.matchAll(/<input id="([^"]+)"/g)].map((m) => m[1])) t.true(page.includes(`<label for="${id}">`), `label for ${id}`);
  const en = await (await admin.request(`${formPath()}?lang=en`)).text();
  t.true(en.includes('<legend>Title</legend>'));
});

test.serial('saving stores repeatable values with their languages and goes back to the item page with a notice', async (t) => {
  const admin = await signedIn('admin', TEST_ADMIN_PASSWORD);
  const csrf = csrfOf(await (await admin.request(formPath())).text());
  const nom = '𡨸喃 \u{F0000}';
  const response = await post(admin, {
    _csrf: csrf,
    'title.0.value': 'Đoạn trường tân thanh'.normalize('NFD'),
    'title.0.lang': 'vi',
    'title.1.value': 'The Tale of Kiều',
    'title.1.lang': 'en',
    'title.2.value': nom,
    'title.2.lang': 'vi-Hani',
    'title.3.value': '',
    'title.3.lang': 'vi',
    'creator.0.value': 'Nguyễn Du',
    'creator.0.lang': 'vi',
    'date.0.value': '1820',
    'date.0.lang': '',
    'date.1.value': 'khoảng đầu thế kỷ 19',
    'date.1.lang': 'vi',
    'language.0.value': 'vie',
  });
  t.is(response.status, 303);
  t.is(response.headers.get('location'), `/bien-muc/tai-lieu/${itemId}?luu=mo-ta`);
  const notice = await (await admin.request(response.headers.get('location')!)).text();
  t.true(notice.includes('Đã lưu mô tả Dublin Core'));
  const item = (await (await admin.request(`/api/items/${itemId}`, { headers: { accept: 'application/json' } })).json()) as { title: string; dublinCore: Record<string, unknown> };
  t.deepEqual(item.dublinCore.title, [
    { value: 'Đoạn trường tân thanh'.normalize('NFC'), lang: 'vi' },
    { value: 'The Tale of Kiều', lang: 'en' },
    { value: nom, lang: 'vi-Hani' },
  ]);
  t.deepEqual(item.dublinCore.date, [{ value: '1820' }, { value: 'khoảng đầu thế kỷ 19', lang: 'vi' }]);
  t.deepEqual(item.dublinCore.language, [{ value: 'vie' }]);
  t.is(item.title, 'Đoạn trường tân thanh'.normalize('NFC'));
});

test.serial('an invalid date is refused with 400, the value shown again with its message; nothing is written', async (t) => {
  const admin = await signedIn('admin', TEST_ADMIN_PASSWORD);
  const before = await (await admin.request(`/api/items/${itemId}`)).json();
  const csrf = csrfOf(await (await admin.request(formPath())).text());
  const response = await post(admin, { _csrf: csrf, 'title.0.value': 'Truyện Kiều', 'title.0.lang': 'vi', 'date.0.value': '19/08/1925', 'date.0.lang': '', 'language.0.value': 'vi_VN' });
  t.is(response.status, 400);
  const page = await response.text();
  t.is(valueOf(page, 'dc-date-0-value'), '19/08/1925');
  t.regex(page, /<input id="dc-date-0-value"[^>]*aria-invalid="true"/);
  t.true(page.includes('Không phải ngày tháng W3CDTF'));
  t.true(page.includes('Không phải mã ngôn ngữ'));
  t.true(page.includes('href="#dc-date-0-value"'), 'the error summary links to the value');
  t.deepEqual(await (await admin.request(`/api/items/${itemId}`)).json(), before);
});

test.serial('without the CSRF token a save is refused', async (t) => {
  const admin = await signedIn('admin', TEST_ADMIN_PASSWORD);
  const response = await post(admin, { 'title.0.value': 'Giả mạo' });
  t.is(response.status, 403);
  const item = (await (await admin.request(`/api/items/${itemId}`)).json()) as { title: string };
  t.not(item.title, 'Giả mạo');
});

test.serial('anonymous visitors sign in first; readers and operators of another library are refused', async (t) => {
  const anonymous = new CookieJarClient(app.baseUrl);
  const get = await anonymous.request(formPath());
  t.is(get.status, 303);
  t.regex(get.headers.get('location') ?? '', /^\/dang-nhap\?tiep=/);
  for (const username of ['doc-gia', 'khac']) {
    const browser = await signedIn(username, PASSWORD);
    t.is((await browser.request(formPath())).status, 403, username);
    const page = await (await browser.request('/')).text();
    const csrf = csrfOf(page);
    t.is((await post(browser, { _csrf: csrf, 'title.0.value': 'Không được' })).status, 403, username);
  }
});
