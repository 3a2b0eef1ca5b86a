import test from 'ava';
import sharp from 'sharp';
import { createRepositories } from '../../repository/index.ts';
import { derivativeKey, sha256Hex } from '../../storage/index.ts';
import { CookieJarClient } from '../helpers/cookie-jar-client.ts';
import { postJson } from '../helpers/post-json.ts';
import { ADMIN_HEADERS, startAppOnFreePort, TEST_ADMIN_PASSWORD, type RunningApp } from '../helpers/running-app.ts';

let app: RunningApp;
let itemId: string;
let pageId: string;
let libraryId: string;
let otherLibraryId: string;
let version: string;
const PASSWORD = 'một mật khẩu đủ dài để dùng';

const OCR = {
  text: '𡨸 字',
  lines: [{ text: '𡨸 字', box: { x: 10, y: 10, width: 100, height: 40 }, words: [
    { text: '𡨸', box: { x: 10, y: 10, width: 40, height: 40 }, confidence: 30, alternatives: [{ text: '字', confidence: 20 }] },
    { text: '字', box: { x: 60, y: 10, width: 40, height: 40 }, confidence: 90 },
  ] }],
  meanConfidence: 60,
  languages: 'chi_tra',
  direction: 'horizontal',
  imageWidth: 200,
  imageHeight: 100,
};

test.before(async () => {
  app = await startAppOnFreePort('ocr-correction');
  const api = `${app.baseUrl}/api`;
  const library = await postJson(`${api}/libraries`, { slug: 'hue', name: 'Thư viện Huế', province: 'Huế', kind: 'provincial' });
  const other = await postJson(`${api}/libraries`, { slug: 'hue-2', name: 'Thư viện khác', province: 'Huế', kind: 'district' });
  libraryId = library.id;
  otherLibraryId = other.id;
  const collection = await postJson(`${api}/collections`, { libraryId: library.id, slug: 'han-nom', title: 'Hán Nôm', category: 'rare' });
  const item = await postJson(`${api}/items`, { collectionId: collection.id, identifier: 'HN-1', title: 'Lục Vân Tiên' });
  itemId = item.id;
  const form = new FormData();
  form.append('file', new Blob([await sharp({ create: { width: 200, height: 100, channels: 3, background: '#fff' } }).withMetadata({ density: 300 }).png().toBuffer()]), '0001.png');
  const uploaded = await fetch(`${api}/items/${itemId}/pages`, { method: 'POST', headers: ADMIN_HEADERS, body: form });
  pageId = ((await uploaded.json()) as { pageIds: string[] }).pageIds[0]!;
  // What the OCR stage leaves behind, written the way it writes it (store, then ledger).
  const { store, database } = app.application.services;
  const repositories = createRepositories(database.db);
  const json = Buffer.from(JSON.stringify(OCR));
  for (const [file, body, kind] of [
    ['ocr.json', json, 'ocr'],
    ['print.jpg', await sharp({ create: { width: 200, height: 100, channels: 3, background: '#fff' } }).jpeg().toBuffer(), 'print'],
  ] as const) {
    const key = derivativeKey(itemId, pageId, file);
    const info = await store.put(key, body);
    await repositories.storedObjects.record({ key, sha256: info.sha256!, size: info.size, contentType: info.contentType, itemId, pageId, kind });
  }
  version = sha256Hex(json);
  await postJson(`${api}/users`, { username: 'doc-gia', displayName: 'Độc giả', role: 'reader', libraryId: null, password: PASSWORD });
  await postJson(`${api}/users`, { username: 'khac', displayName: 'Khác', role: 'operator', libraryId: other.id, password: PASSWORD });
});
test.after.always(async () => {
  await app?.close();
});

async function signedIn(username: string, password = PASSWORD): Promise<{ client: CookieJarClient; csrf: string }> {
  const client = new CookieJarClient(app.baseUrl);
  const response = await client.signIn(username, password);
  if (response.status !== 303) throw new Error(`sign-in of ${username} answered ${response.status}`);
  const page = await (await client.request('/')).text();
  return { client, csrf: /<meta name="csrf-token" content="([^"]+)">/.exec(page)![1]! };
}

const editorPath = () => `/bien-muc/tai-lieu/${itemId}/trang/${pageId}/hieu-dinh`;
const saveBody = (after: string) => JSON.stringify({ version, edits: [{ lineIndex: 0, wordIndex: 0, before: '𡨸', after }] });
const save = (client: CookieJarClient, body: string, csrf?: string) =>
  client.request(`/api/pages/${pageId}/corrections`, { method: 'POST', headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) }, body });

test.serial('anonymous visitors are sent to sign in; readers and operators of another library are refused everywhere', async (t) => {
  const anonymous = await fetch(`${app.baseUrl}${editorPath()}`, { redirect: 'manual' });
  t.is(anonymous.status, 303);
  t.regex(anonymous.headers.get('location') ?? '', /^\/dang-nhap\?tiep=/);
  for (const username of ['doc-gia', 'khac']) {
    const { client, csrf } = await signedIn(username);
    t.is((await client.request(editorPath())).status, 403, `${username}: editor page`);
    t.is((await save(client, saveBody('字'), csrf)).status, 403, `${username}: save`);
    t.is((await client.request(`/api/pages/${pageId}/corrections`)).status, 403, `${username}: history`);
    t.is((await client.request(`/api/pages/${pageId}/print.jpg`)).status, 403, `${username}: image`);
    t.is((await client.request(`/api/training-data.tar?library=${libraryId}`)).status, 403, `${username}: export`);
  }
  const { client } = await signedIn('doc-gia');
  t.is((await client.request('/api/nom-readings?q=cua')).status, 403, 'readers do not look up readings');
  const other = await signedIn('khac');
  t.is((await other.client.request(`/api/training-data.tar?library=${otherLibraryId}`)).status, 200, 'an operator exports their own library');
});

test.serial('an administrator opens the editor, saves with the CSRF token only, and a stale version is refused with 409', async (t) => {
  const { client, csrf } = await signedIn('admin', TEST_ADMIN_PASSWORD);
  const page = await client.request(editorPath());
  t.is(page.status, 200);
  const html = await page.text();
  t.true(html.includes('Hiệu đính OCR: Lục Vân Tiên, trang 1'));
  t.notRegex(html, /<script(?![^>]*(src=|type="application\/json"))/, 'no inline script');
  t.true(html.includes(`"version":"${version}"`));
  t.true((await (await client.request(`${editorPath()}?lang=en`)).text()).includes('OCR correction: Lục Vân Tiên, page 1'));
  t.is((await client.request(`/bien-muc/tai-lieu/${itemId}/trang/not-a-page/hieu-dinh`)).status, 404);

  t.is((await save(client, saveBody('\u{F0000}'))).status, 403, 'no CSRF token');
  const saved = await save(client, saveBody('\u{F0000}'), csrf);
  t.is(saved.status, 200);
  const body = (await saved.json()) as { version: string; corrections: number };
  t.is(body.corrections, 1);
  t.not(body.version, version);
  const stale = await save(client, saveBody('字'), csrf);
  t.is(stale.status, 409);
  t.regex(((await stale.json()) as { error: { message: string } }).error.message, /reload the editor/);
  t.is((await save(client, JSON.stringify({ version: body.version, edits: [{ lineIndex: 5, wordIndex: 0, before: 'x', after: 'y' }] }), csrf)).status, 400);

  const history = (await (await client.request(`/api/pages/${pageId}/corrections`)).json()) as { data: { user: string; before: string; after: string }[] };
  t.deepEqual(history.data.map(({ user, before, after }) => ({ user, before, after })), [{ user: 'admin', before: '𡨸', after: '\u{F0000}' }]);
  const readings = (await (await client.request('/api/nom-readings?q=cua')).json()) as { candidates: { character: string; reading: string }[] };
  t.deepEqual(readings.candidates[0], { character: '𧵑', reading: 'của', count: 10 });
  const marked = (await (await client.request(`/api/nom-readings?q=${encodeURIComponent('cửa')}`)).json()) as { candidates: { reading: string }[] };
  t.is(marked.candidates[0]!.reading, 'cửa', 'a reading typed with its marks comes first');
});
