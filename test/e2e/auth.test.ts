import test from 'ava';
import { ApiTokenRepository, AuditLogRepository, LoginThrottle, passwordProblems } from '../../repository/index.ts';
import { CookieJarClient } from '../helpers/cookie-jar-client.ts';
import { postJson } from '../helpers/post-json.ts';
import { ADMIN_HEADERS, startAppOnFreePort, TEST_ADMIN_PASSWORD, type RunningApp } from '../helpers/running-app.ts';

let app: RunningApp;

test.before(async () => {
  app = await startAppOnFreePort('e2e-auth');
});

test.after.always(async () => {
  await app?.close();
});

/** A browser on the test app's site. */
class Browser extends CookieJarClient {
  constructor() {
    super(app.baseUrl);
  }
}

async function libraryWithCollection(slug: string, defaultAccess = 'public') {
  const library = await postJson(`${app.baseUrl}/api/libraries`, { slug, name: `Thư viện ${slug}`, province: 'Huế', kind: 'district' });
  const collection = await postJson(`${app.baseUrl}/api/collections`, { libraryId: library.id, slug: 'dia-chi', title: 'Địa chí', category: 'dia-chi', defaultAccess });
  return { libraryId: library.id, collectionId: collection.id };
}

async function user(username: string, role: string, libraryId: string | null, password = 'một mật khẩu đủ dài để dùng') {
  return postJson(`${app.baseUrl}/api/users`, { username, displayName: username, role, libraryId, password });
}

async function tokenFor(userId: string, name = 'Trạm quét 1'): Promise<string> {
  return (await postJson<{ token: string }>(`${app.baseUrl}/api/tokens`, { name, userId })).token;
}

test('signing in: wrong password is refused, the right one opens an HTTP-only session and the staff pages', async (t) => {
  const browser = new Browser();
  const anonymous = await browser.request('/quan-tri');
  t.is(anonymous.status, 303);
  t.is(anonymous.headers.get('location'), '/dang-nhap?tiep=%2Fquan-tri');

  const wrong = await browser.signIn('admin', 'not the password at all');
  t.is(wrong.status, 401);
  t.regex(await wrong.text(), /Tên đăng nhập hoặc mật khẩu không đúng/);
  t.false(browser.cookies.has('tvs_session'));

  const signedIn = await browser.signIn('admin', TEST_ADMIN_PASSWORD);
  t.is(signedIn.status, 303);
  t.is(signedIn.headers.get('location'), '/quan-tri');
  const setCookie = signedIn.headers.getSetCookie().find((header) => header.startsWith('tvs_session='))!;
  t.regex(setCookie, /HttpOnly/);
  t.regex(setCookie, /SameSite=Lax/);
  const dashboard = await browser.request('/quan-tri');
  t.is(dashboard.status, 200);
  t.regex(await dashboard.text(), /Đang đăng nhập: admin/);

  const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(await (await browser.request('/')).text())![1]!;
  const out = await browser.request('/dang-xuat', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${csrf}` });
  t.is(out.status, 303);
  t.is((await browser.request('/quan-tri')).status, 303, 'signed out: the session no longer opens staff pages');
});

test('a change made with the session cookie needs the CSRF token; the sign-in form needs its own', async (t) => {
  const { collectionId } = await libraryWithCollection('auth-csrf');
  const browser = new Browser();
  t.is((await browser.signIn('admin', TEST_ADMIN_PASSWORD)).status, 303);
  const body = JSON.stringify({ collectionId, identifier: 'CSRF-1', title: 'Tài liệu' });
  const forged = await browser.request('/api/items', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  t.is(forged.status, 403);
  t.regex(((await forged.json()) as { error: { message: string } }).error.message, /CSRF/);
  const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(await (await browser.request('/')).text())![1]!;
  const made = await browser.request('/api/items', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body });
  t.is(made.status, 201);

  const stranger = new Browser();
  const noToken = await stranger.request('/dang-nhap', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'admin', password: TEST_ADMIN_PASSWORD }).toString(),
  });
  t.is(noToken.status, 403, 'a sign-in posted from another site (no form token) is refused');
  t.false(stranger.cookies.has('tvs_session'));
});

test('guessing is slowed after a few failures and then locked; a success clears the record', async (t) => {
  await user('doc-gia-doan', 'reader', null);
  const browser = new Browser();
  let page = '';
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const failed = await browser.signIn('doc-gia-doan', `sai ${attempt}`);
    t.is(failed.status, 401);
    page = await failed.text();
  }
  // At once, with the form the last answer carried (the wait after three failures is one second).
  const slowed = await browser.signIn('doc-gia-doan', 'một mật khẩu đủ dài để dùng', /name="_csrf" value="([^"]+)"/.exec(page)![1]!);
  t.is(slowed.status, 429, 'even the right password waits after three failures');
  t.true(Number(slowed.headers.get('retry-after')) >= 1);
  t.regex(await slowed.text(), /chờ \d+ giây/);

  const throttle = new LoginThrottle(app.application.services.database.db, { freeFailures: 1, firstDelayMs: 10, maxDelayMs: 10, lockAfter: 3, lockMs: 60_000 });
  for (let failure = 0; failure < 3; failure += 1) await throttle.failed('khoa-thu');
  await t.throwsAsync(throttle.assertMayTry('khoa-thu', new Date(Date.now() + 5_000)), { message: /locked until/ });
  await throttle.succeeded('khoa-thu');
  await t.notThrowsAsync(throttle.assertMayTry('khoa-thu'));
});

test('API tokens act for their user within their library; revoked, expired and unknown tokens are refused', async (t) => {
  const a = await libraryWithCollection('auth-lib-a');
  const b = await libraryWithCollection('auth-lib-b');
  const operator = await user('van-hanh-a', 'operator', a.libraryId);
  const token = await tokenFor(operator.id);
  t.regex(token, /^tvs_/);
  const post = (path: string, body: unknown, bearer: string) =>
    fetch(`${app.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(body) });

  t.is((await post('/api/items', { collectionId: a.collectionId, identifier: 'TOK-1', title: 'Của thư viện A' }, token)).status, 201);
  const other = await post('/api/items', { collectionId: b.collectionId, identifier: 'TOK-2', title: 'Của thư viện B' }, token);
  t.is(other.status, 403);
  t.regex(((await other.json()) as { error: { message: string } }).error.message, /another library/);
  t.is((await post('/api/libraries', { slug: 'auth-x', name: 'X', province: 'Huế', kind: 'district' }, token)).status, 403, 'operators do not create libraries');
  t.is((await post('/api/items', { collectionId: a.collectionId, identifier: 'TOK-3', title: 'x' }, 'tvs_not-a-token')).status, 401);

  const tokens = new ApiTokenRepository(app.application.services.database.db);
  const expired = await tokens.create(operator.id, 'hết hạn', { expiresAt: new Date(Date.now() - 1000) });
  t.is((await post('/api/items', { collectionId: a.collectionId, identifier: 'TOK-4', title: 'x' }, expired.token)).status, 401);

  const list = (await (await fetch(`${app.baseUrl}/api/tokens`, { headers: { authorization: `Bearer ${token}` } })).json()) as { data: { id: string; name: string }[] };
  const own = list.data.find((entry) => entry.name === 'Trạm quét 1')!;
  t.is((await fetch(`${app.baseUrl}/api/tokens/${own.id}`, { method: 'DELETE', headers: ADMIN_HEADERS })).status, 200);
  t.is((await post('/api/items', { collectionId: a.collectionId, identifier: 'TOK-5', title: 'x' }, token)).status, 401, 'a revoked token stops working at once');

  const audit = await new AuditLogRepository(app.application.services.database.db).list({ limit: 500 });
  t.true(audit.some((entry) => entry.action === 'token.create' && entry.outcome === 'ok'));
  t.true(audit.some((entry) => entry.action === 'token.use' && entry.actorName === 'van-hanh-a'));
  t.true(audit.some((entry) => entry.action === 'token.revoke'));
  t.true(audit.some((entry) => entry.action === 'token.use' && entry.outcome === 'denied'));
});

test('restricted content is for signed-in users, confidential for staff; hidden records are not even listed', async (t) => {
  const restricted = await libraryWithCollection('auth-restricted', 'restricted');
  const confidential = await libraryWithCollection('auth-confidential', 'confidential');
  const restrictedItem = await postJson(`${app.baseUrl}/api/items`, { collectionId: restricted.collectionId, identifier: 'R-1', title: 'Sách hạn chế' });
  const confidentialItem = await postJson(`${app.baseUrl}/api/items`, { collectionId: confidential.collectionId, identifier: 'C-1', title: 'Hồ sơ mật' });
  const reader = await user('ban-doc', 'reader', null);
  const operator = await user('van-hanh-c', 'operator', confidential.libraryId);
  const readerToken = await tokenFor(reader.id);
  const operatorToken = await tokenFor(operator.id);
  const get = (path: string, token?: string) => fetch(`${app.baseUrl}${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  // Not digitised: a viewer let through meets 404 (no PDF yet), one kept out 401.
  t.is((await get(`/api/items/${restrictedItem.id}/pdf`)).status, 401);
  t.is((await get(`/api/items/${restrictedItem.id}/pdf`, readerToken)).status, 404);
  t.is((await get(`/iiif/manifest/${restrictedItem.id}`)).status, 401);
  t.is((await get(`/iiif/manifest/${restrictedItem.id}`, readerToken)).status, 404);
  t.is((await get(`/api/items/${confidentialItem.id}/pdf`, readerToken)).status, 401);
  t.is((await get(`/api/items/${confidentialItem.id}/pdf`, operatorToken)).status, 404);

  t.is((await get(`/api/items/${confidentialItem.id}`)).status, 404, 'anonymous readers do not learn a confidential title');
  t.is((await get(`/api/items/${confidentialItem.id}`, readerToken)).status, 404);
  t.is((await get(`/api/items/${confidentialItem.id}`, operatorToken)).status, 200);
  const listed = (await (await get(`/api/items?collectionId=${confidential.collectionId}`)).json()) as { data: unknown[] };
  t.deepEqual(listed.data, []);
});

test('the password policy refuses short, common and name-based passwords', async (t) => {
  t.deepEqual(passwordProblems('một câu đủ dài và khó đoán', 'lan'), []);
  t.true(passwordProblems('ngắn quá', 'lan').some((problem) => /at least 12/.test(problem)));
  t.true(passwordProblems('thuvienso2026', 'lan').some((problem) => /every attacker tries/.test(problem)));
  t.true(passwordProblems('nguyenvanlan-2026', 'nguyenvanlan').some((problem) => /user name/.test(problem)));
  t.true(passwordProblems('aaaaaaaaaaaaaaaa', 'lan').some((problem) => /different characters/.test(problem)));
  const refused = await fetch(`${app.baseUrl}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...ADMIN_HEADERS },
    body: JSON.stringify({ username: 'yeu', displayName: 'Yếu', role: 'reader', password: 'short' }),
  });
  t.is(refused.status, 400);
  t.regex(((await refused.json()) as { error: { message: string } }).error.message, /password must be at least 12/);
});

test('the audit log records reads of restricted content once per viewer and door, and signed-in writes; administrators read it as a page and a CSV', async (t) => {
  const { collectionId } = await libraryWithCollection('auth-audit', 'restricted');
  const item = await postJson(`${app.baseUrl}/api/items`, { collectionId, identifier: 'AUD-1', title: 'Sách cần ghi nhật ký' });
  const reader = await user('doc-gia-nhat-ky', 'reader', null);
  const readerToken = await tokenFor(reader.id);
  const asReader = { authorization: `Bearer ${readerToken}` };
  for (let read = 0; read < 3; read += 1) t.is((await fetch(`${app.baseUrl}/api/items/${item.id}/pdf`, { headers: asReader })).status, 404);
  t.is((await fetch(`${app.baseUrl}/api/items/${item.id}/pdf`)).status, 401);

  const entries = await new AuditLogRepository(app.application.services.database.db).list({ limit: 1000, action: 'content.read' });
  const mine = entries.filter((entry) => entry.targetId === item.id);
  t.is(mine.filter((entry) => entry.actorName === 'doc-gia-nhat-ky' && entry.outcome === 'ok').length, 1, 'three reads, one line');
  t.is(mine.filter((entry) => entry.actorVia === 'anonymous' && entry.outcome === 'denied').length, 1);
  t.like(mine.find((entry) => entry.outcome === 'ok')?.detail, { door: 'pdf', level: 'restricted' });
  const writes = await new AuditLogRepository(app.application.services.database.db).list({ limit: 1000, action: 'POST /api/items' });
  t.true(writes.some((entry) => entry.actorName === 'admin' && entry.outcome === 'ok'), JSON.stringify(writes));

  const page = await fetch(`${app.baseUrl}/quan-tri/nhat-ky?action=content.read`, { headers: ADMIN_HEADERS });
  t.is(page.status, 200);
  const html = await page.text();
  t.regex(html, /Nhật ký truy cập và thao tác/);
  t.true(html.includes('doc-gia-nhat-ky'), 'the page lists the reader');
  const csv = await fetch(`${app.baseUrl}/quan-tri/nhat-ky.csv?action=content.read`, { headers: ADMIN_HEADERS });
  t.regex(csv.headers.get('content-type') ?? '', /text\/csv/);
  const bytes = Buffer.from(await csv.arrayBuffer());
  t.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM, so spreadsheets read Vietnamese as UTF-8');
  const text = bytes.subarray(3).toString('utf8');
  t.true(text.startsWith('at,actor,via,action,target_type,target_id,outcome,ip,detail\r\n'), text.slice(0, 200));
  t.true(text.includes(`content.read,item,${item.id},ok`), text.slice(0, 600));
  t.is((await fetch(`${app.baseUrl}/quan-tri/nhat-ky`, { headers: asReader, redirect: 'manual' })).status, 403, 'readers do not read the log');
  t.is((await fetch(`${app.baseUrl}/quan-tri/nhat-ky`, { redirect: 'manual' })).status, 303);
});
