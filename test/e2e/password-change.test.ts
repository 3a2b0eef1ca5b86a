import test, { type ExecutionContext } from 'ava';
import { AuditLogRepository } from '../../repository/index.ts';
import { CookieJarClient } from '../helpers/cookie-jar-client.ts';
import { postJson } from '../helpers/post-json.ts';
import { startAppOnFreePort, TEST_ADMIN_TOKEN, type RunningApp } from '../helpers/running-app.ts';

let app: RunningApp;

test.before(async () => {
  app = await startAppOnFreePort('e2e-password-change');
});

test.after.always(async () => {
  await app?.close();
});

const PAGE = '/tai-khoan/mat-khau';
const OLD = 'mật khẩu cũ đủ dài để dùng';
const NEW = 'một câu mới cũng đủ dài';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** One browser on the test site. */
class Browser extends CookieJarClient {
  constructor() {
    super(app.baseUrl);
  }
  /** Signs in through the sign-in form; the answer's status (303 when signed in). */
  async signInStatus(username: string, password: string): Promise<number> {
    return (await this.signIn(username, password, undefined, '/')).status;
  }
  /** Posts the password form as the page would, with the session's CSRF token unless `csrf` says otherwise. */
  async changePassword(fields: { currentPassword: string; newPassword: string; repeatPassword?: string }, csrf?: string): Promise<Response> {
    const token = csrf ?? csrfIn(await (await this.request(PAGE)).text());
    const body = new URLSearchParams({ ...fields, repeatPassword: fields.repeatPassword ?? fields.newPassword, ...(token === '' ? {} : { _csrf: token }) });
    return this.request(PAGE, { method: 'POST', headers: FORM, body: body.toString() });
  }
}

const csrfIn = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1]!;

/** A reader with the password `OLD`, and a browser signed in as them. */
async function readerSignedIn(t: ExecutionContext, username: string): Promise<{ id: string; browser: Browser }> {
  const { id } = await postJson(`${app.baseUrl}/api/users`, { username, displayName: username, role: 'reader', password: OLD });
  const browser = new Browser();
  t.is(await browser.signInStatus(username, OLD), 303);
  return { id, browser };
}

/** Which password signs the user in now: the old, the new, both or neither. */
async function passwordsThatWork(username: string): Promise<{ old: boolean; new: boolean }> {
  return { old: (await new Browser().signInStatus(username, OLD)) === 303, new: (await new Browser().signInStatus(username, NEW)) === 303 };
}

const invalid = (page: string, field: string) => new RegExp(`<input id="password-${field}"[^>]*aria-invalid="true"`).test(page);

async function passwordChanges(userId: string) {
  const entries = await new AuditLogRepository(app.application.services.database.db).list({ limit: 1000, action: 'user.password-change' });
  return entries.filter((entry) => entry.targetId === userId);
}

test('the page is for signed-in browsers: anonymous visitors are sent to sign in, API tokens refused', async (t) => {
  const anonymous = await new Browser().request(PAGE);
  t.is(anonymous.status, 303);
  t.is(anonymous.headers.get('location'), `/dang-nhap?tiep=${encodeURIComponent(PAGE)}`);

  const bearer = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  t.is((await fetch(`${app.baseUrl}${PAGE}`, { headers: bearer })).status, 403);
  const body = new URLSearchParams({ currentPassword: 'x', newPassword: NEW, repeatPassword: NEW }).toString();
  t.is((await fetch(`${app.baseUrl}${PAGE}`, { method: 'POST', headers: { ...bearer, ...FORM }, body })).status, 403);

  const { browser } = await readerSignedIn(t, 'doi-mk-trang');
  const home = await (await browser.request('/')).text();
  t.regex(home, /<a href="\/tai-khoan\/mat-khau">Đổi mật khẩu<\/a>/, 'the header links to the page');
  const page = await browser.request(PAGE);
  t.is(page.status, 200);
  const text = await page.text();
  t.regex(text, /<h1>Đổi mật khẩu<\/h1>/);
  t.regex(text, /<input id="password-currentPassword" name="currentPassword"[^>]*type="password"[^>]*autocomplete="current-password"/);
  t.regex(text, /<input id="password-repeatPassword" name="repeatPassword"[^>]*type="password"/);
  t.regex(await (await browser.request(`${PAGE}?lang=en`)).text(), /<h1>Change password<\/h1>/);
});

test('a wrong current password is refused with 400, marked on its field, and leaves the password as it was', async (t) => {
  const { id, browser } = await readerSignedIn(t, 'doi-mk-sai');
  const refused = await browser.changePassword({ currentPassword: 'không phải mật khẩu này', newPassword: NEW });
  t.is(refused.status, 400);
  const page = await refused.text();
  t.true(invalid(page, 'currentPassword'));
  t.false(invalid(page, 'newPassword'));
  t.regex(page, /role="alert"/);
  t.regex(page, /aria-describedby="password-currentPassword-error"/);
  t.regex(page, /id="password-currentPassword-error"[^>]*>.*Mật khẩu hiện tại không đúng/s);
  t.false(page.includes('không phải mật khẩu này') || page.includes(NEW), 'nothing typed is sent back');
  t.deepEqual(await passwordsThatWork('doi-mk-sai'), { old: true, new: false });
  t.deepEqual(
    (await passwordChanges(id)).map((entry) => [entry.outcome, entry.detail]),
    [['denied', { problems: { currentPassword: 'wrong' } }]],
  );
});

test('wrong current passwords count toward the sign-in throttle: the form and the sign-in page then wait', async (t) => {
  const { browser } = await readerSignedIn(t, 'doi-mk-doan');
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    t.is((await browser.changePassword({ currentPassword: `đoán ${attempt}`, newPassword: NEW })).status, 400);
  }
  const slowed = await browser.changePassword({ currentPassword: OLD, newPassword: NEW });
  t.is(slowed.status, 429, 'even the right password waits after three failures');
  t.true(Number(slowed.headers.get('retry-after')) >= 1);
  t.regex(await slowed.text(), /chờ \d+ giây/);
  t.is(await new Browser().signInStatus('doi-mk-doan', OLD), 429, 'the sign-in page shares the count');
});

test('a new password against the policy, equal to the current one, or repeated differently is refused', async (t) => {
  const { browser } = await readerSignedIn(t, 'doi-mk-luat');
  const short = await browser.changePassword({ currentPassword: OLD, newPassword: 'ngắn quá' });
  t.is(short.status, 400);
  const shortPage = await short.text();
  t.true(invalid(shortPage, 'newPassword'));
  t.false(invalid(shortPage, 'currentPassword'));
  t.regex(shortPage, /Mật khẩu mới chưa đạt yêu cầu: ít nhất 12 ký tự/);

  const same = await browser.changePassword({ currentPassword: OLD, newPassword: OLD });
  t.is(same.status, 400);
  t.regex(await same.text(), /Mật khẩu mới phải khác mật khẩu hiện tại/);

  const mismatch = await browser.changePassword({ currentPassword: OLD, newPassword: NEW, repeatPassword: `${NEW}!` });
  t.is(mismatch.status, 400);
  const mismatchPage = await mismatch.text();
  t.true(invalid(mismatchPage, 'repeatPassword'));
  t.false(invalid(mismatchPage, 'newPassword'));
  t.regex(mismatchPage, /Hai lần nhập mật khẩu mới không giống nhau/);

  t.deepEqual(await passwordsThatWork('doi-mk-luat'), { old: true, new: false });
});

test('a form posted without the session’s CSRF token is refused with 403', async (t) => {
  const { browser } = await readerSignedIn(t, 'doi-mk-csrf');
  t.is((await browser.changePassword({ currentPassword: OLD, newPassword: NEW }, '')).status, 403);
  t.is((await browser.changePassword({ currentPassword: OLD, newPassword: NEW }, 'not-the-token')).status, 403);
  t.deepEqual(await passwordsThatWork('doi-mk-csrf'), { old: true, new: false });
});

test('a change stores the new password, closes the other sessions, keeps this browser signed in and is audited', async (t) => {
  const { id, browser } = await readerSignedIn(t, 'doi-mk-xong');
  const elsewhere = new Browser();
  t.is(await elsewhere.signInStatus('doi-mk-xong', OLD), 303);
  t.is((await elsewhere.request(PAGE)).status, 200, 'the other session works before the change');
  const before = browser.cookies.get('tvs_session');

  const done = await browser.changePassword({ currentPassword: OLD, newPassword: NEW });
  t.is(done.status, 200);
  const page = await done.text();
  t.regex(page, /<h1>Đã đổi mật khẩu<\/h1>/);
  t.not(browser.cookies.get('tvs_session'), before, 'a fresh session cookie');

  t.is((await browser.request(PAGE)).status, 200, 'this browser stays signed in');
  t.is((await elsewhere.request(PAGE)).status, 303, 'the other session is closed');
  const stale = new Browser();
  stale.cookies.set('tvs_session', before!);
  t.is((await stale.request(PAGE)).status, 303, 'the old cookie of this browser is closed too');
  t.deepEqual(await passwordsThatWork('doi-mk-xong'), { old: false, new: true });

  const changes = await passwordChanges(id);
  t.is(changes.length, 1);
  t.like(changes[0], { outcome: 'ok', actorId: id, actorVia: 'session' });

  // The confirmation page's sign-out form carries the new session's token.
  const out = await browser.request('/dang-xuat', { method: 'POST', headers: FORM, body: `_csrf=${csrfIn(page)}` });
  t.is(out.status, 303);
  t.is((await browser.request(PAGE)).status, 303, 'signed out');
});
