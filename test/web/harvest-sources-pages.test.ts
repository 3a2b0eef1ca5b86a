import test from 'ava';
import { pino } from 'pino';
import { Harvester } from '../../repository/harvest/harvester.ts';
import { HarvestSourceRepository } from '../../repository/harvest/harvest-source.repository.ts';
import { createRepositories, escapeHtml, harvestRoutes, IN_MEMORY, migrateToLatest, PgliteDatabase, type Database, type Viewer } from '../../repository/index.ts';
import { oaiRoutes } from '../../repository/oai/index.ts';
import { actingAs, ADMIN_VIEWER } from '../helpers/acting-as.ts';
import { freePort } from '../helpers/running-app.ts';
import { serveRouters, type ServedRouters } from '../helpers/serve-routers.ts';

const OPERATOR: Viewer = { kind: 'user', user: { id: 'op', username: 'van-hanh', role: 'operator', libraryId: null }, via: 'session', readingRoom: false };

let database: Database;
let sources: HarvestSourceRepository;
const servers: ServedRouters[] = [];
let admin: string;

const OAI_SETTINGS = { repositoryName: 'Thư viện thử', adminEmail: 'oai@so.example.vn', repositoryIdentifier: 'so.example.vn', pageSize: 100, tokenLifetimeMs: 3_600_000, restrictedMetadata: 'hidden' } as const;

/** The harvest routes (pages included) and this database's own `/oai`, served as `viewer`, or anonymously. */
async function serve(viewer?: Viewer): Promise<string> {
  const harvester = new Harvester({ database, logger: pino({ level: 'silent' }), requestTimeoutMs: 5000 });
  const routes = [
    harvestRoutes({ database, harvester, baseUrl: () => 'http://so.example.vn' }),
    oaiRoutes({ database, settings: OAI_SETTINGS, baseUrl: () => 'http://so.example.vn', clock: () => new Date() }),
  ];
  const server = await (viewer === undefined ? serveRouters(...routes) : serveRouters(actingAs(viewer), ...routes));
  servers.push(server);
  return server.baseUrl;
}

test.before(async () => {
  database = await PgliteDatabase.open(IN_MEMORY);
  await migrateToLatest(database);
  sources = new HarvestSourceRepository(database.db);
  admin = await serve(ADMIN_VIEWER);
});
test.after.always(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await database?.close();
});

const get = (path: string, base = admin) => fetch(`${base}${path}`, { redirect: 'manual' });
const post = (path: string, fields: Record<string, string>, base = admin) =>
  fetch(`${base}${path}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
const valueOf = (page: string, id: string) => new RegExp(`<input id="${id}"[^>]*\\svalue="([^"]*)"`).exec(page)?.[1];
const errorOf = (page: string, id: string) => new RegExp(`<p class="form-field__error" id="${id}-error">.*?</span>(.*?)</p>`, 's').exec(page)?.[1];
const fields = (overrides: Record<string, string> = {}) => ({ name: 'Thư viện tỉnh Lâm Đồng', baseUrl: 'https://lamdong.example.vn/oai', setSpec: '', intervalMinutes: '60', enabled: 'true', ...overrides });

test.serial('a refused source comes back as typed, 400, with a Vietnamese message by each refused field', async (t) => {
  const response = await post('/quan-tri/nguon-thu-thap/moi', fields({ name: '  ', baseUrl: 'lamdong.example.vn/oai?verb=Identify', setSpec: 'library:lam-dong', intervalMinutes: '1.5' }));
  t.is(response.status, 400);
  const page = await response.text();
  t.is(errorOf(page, 'harvest-intervalMinutes'), 'Hãy nhập số phút là số nguyên từ 1 đến 525600, chỉ gồm chữ số, ví dụ 60.');
  t.is(valueOf(page, 'harvest-baseUrl'), 'lamdong.example.vn/oai?verb=Identify');
  t.is(valueOf(page, 'harvest-setSpec'), 'library:lam-dong');
  t.is(valueOf(page, 'harvest-intervalMinutes'), '1.5');

  // The interval fixed, the repository judges the name and the URL.
  const second = await post('/quan-tri/nguon-thu-thap/moi', fields({ name: '', baseUrl: 'ftp://lamdong.example.vn/oai', intervalMinutes: '30' }));
  t.is(second.status, 400);
  const again = await second.text();
  t.is(errorOf(again, 'harvest-name'), 'Hãy nhập tên thư viện nguồn (tối đa 200 ký tự).');
  t.regex(errorOf(again, 'harvest-baseUrl') ?? '', /^Hãy nhập địa chỉ đầy đủ bắt đầu bằng http:\/\/ hoặc https:\/\//u);
  t.regex(again, /<input id="harvest-baseUrl"[^>]* aria-invalid="true"/u);
  t.regex(again, /<a href="#harvest-name">Tên thư viện nguồn: /u, 'the summary links to the field');
  t.is(valueOf(again, 'harvest-intervalMinutes'), '30');
  t.deepEqual(await sources.list(), [], 'nothing was stored');

  const english = await post('/quan-tri/nguon-thu-thap/moi?lang=en', fields({ baseUrl: 'not a url' }));
  t.is(english.status, 400);
  t.regex(errorOf(await english.text(), 'harvest-baseUrl') ?? '', /^Enter a full address starting with http:\/\//u);
});

test.serial('a saved source is listed; the same URL again is a 409 by the field; editing the name keeps the incremental harvest', async (t) => {
  const saved = await post('/quan-tri/nguon-thu-thap/moi', fields({ name: 'Thư viện tỉnh Lâm Đồng'.normalize('NFD'), setSpec: 'library:lam-dong', intervalMinutes: '90' }));
  t.is(saved.status, 303);
  t.is(saved.headers.get('location'), '/quan-tri/nguon-thu-thap?lang=vi');
  const [source] = await sources.list();
  t.like(source, { name: 'Thư viện tỉnh Lâm Đồng', baseUrl: 'https://lamdong.example.vn/oai', setSpec: 'library:lam-dong', intervalMinutes: 90, enabled: true });

  const list = await (await get('/quan-tri/nguon-thu-thap')).text();
  t.regex(list, new RegExp(`<tr data-source-id="${source!.id}" data-enabled="true">\\s*<th scope="row">Thư viện tỉnh Lâm Đồng</th>`, 'u'));
  t.true(list.includes('<code class="harvest-url">https://lamdong.example.vn/oai</code>'));
  t.true(list.includes('chưa lần nào'));

  const clash = await post('/quan-tri/nguon-thu-thap/moi', fields({ name: 'Bản sao' }));
  t.is(clash.status, 409);
  t.is(errorOf(await clash.text(), 'harvest-baseUrl'), 'Đã có một nguồn với địa chỉ này. Hãy sửa nguồn đó thay vì thêm nguồn mới.');

  await sources.markSuccess(source!.id, { startedAt: new Date(), requestFrom: null, harvested: 0, deleted: 0, responseDate: '2026-01-02T03:04:05Z', metadataPrefix: 'oai_dc' });
  const form = await (await get(`/quan-tri/nguon-thu-thap/${source!.id}`)).text();
  t.is(valueOf(form, 'harvest-setSpec'), 'library:lam-dong');
  const edited = await post(`/quan-tri/nguon-thu-thap/${source!.id}`, fields({ name: 'Thư viện Lâm Đồng', setSpec: 'library:lam-dong', intervalMinutes: '120' }));
  t.is(edited.status, 303);
  t.like(await sources.getById(source!.id), { name: 'Thư viện Lâm Đồng', intervalMinutes: 120, lastSuccessFrom: '2026-01-02T03:04:05Z' });
  const moved = await post(`/quan-tri/nguon-thu-thap/${source!.id}`, fields({ name: 'Thư viện Lâm Đồng', setSpec: '' }));
  t.is(moved.status, 303);
  t.like(await sources.getById(source!.id), { setSpec: null, lastSuccessFrom: null }, 'another set starts from scratch');

  t.is((await get('/quan-tri/nguon-thu-thap/khong-co')).status, 404);
});

test.serial('disable and enable; harvest now against a source that does not answer shows its error with 503', async (t) => {
  const port = await freePort();
  const source = await sources.create({ name: 'Thư viện vắng mặt', baseUrl: `http://127.0.0.1:${port}/oai` });
  const off = await post(`/quan-tri/nguon-thu-thap/${source.id}/trang-thai`, { enabled: 'false' });
  t.is(off.status, 303);
  t.false((await sources.getById(source.id)).enabled);
  t.is((await post(`/quan-tri/nguon-thu-thap/${source.id}/trang-thai`, { enabled: 'maybe' })).status, 400);
  t.is((await post(`/quan-tri/nguon-thu-thap/${source.id}/trang-thai`, { enabled: 'true' })).status, 303);
  t.true((await sources.getById(source.id)).enabled);

  const harvested = await post(`/quan-tri/nguon-thu-thap/${source.id}/thu-thap`, {});
  t.is(harvested.status, 503);
  const page = await harvested.text();
  const stored = (await sources.getById(source.id)).lastError;
  t.truthy(stored);
  t.regex(page, /data-outcome="failed"><p><strong>Thu thập Thư viện vắng mặt không thành công\./u);
  t.true(page.includes(`<td data-label="Lỗi gần nhất" class="harvest-error">${escapeHtml(stored!)}</td>`), 'the list shows the stored error');
});

test.serial('harvest now shows what was harvested; deleting a source asks first, then removes it with its harvested records', async (t) => {
  const { libraries, collections, items } = createRepositories(database.db);
  const library = await libraries.create({ slug: 'da-lat', name: 'Thư viện Đà Lạt', province: 'Lâm Đồng', kind: 'district' });
  const collection = await collections.create({ libraryId: library.id, slug: 'sach', title: 'Sách', category: 'other' });
  await items.create({ collectionId: collection.id, identifier: 'DL-1', title: 'Đà Lạt xưa' });
  await items.create({ collectionId: collection.id, identifier: 'DL-2', title: 'Hoa Đà Lạt' });
  const source = await sources.create({ name: 'Thư viện sẽ xóa', baseUrl: `${admin}/oai` });
  const harvested = await post(`/quan-tri/nguon-thu-thap/${source.id}/thu-thap`, {});
  t.is(harvested.status, 200);
  const outcome = await harvested.text();
  t.regex(outcome, /data-outcome="harvested" data-harvested="2" data-deleted="0" data-pages="1">Đã thu thập toàn bộ Thư viện sẽ xóa: 2 bản ghi mới hoặc thay đổi, 0 bản ghi bị xóa, 1 trang\. Hiện có 2 bản ghi\./u);
  t.regex(outcome, new RegExp(`<tr data-source-id="${source.id}"[\\s\\S]*?data-records="2">2</td>`, 'u'));

  const ask = await (await get(`/quan-tri/nguon-thu-thap/${source.id}/xoa`)).text();
  t.true(ask.includes(`${admin}/oai và 2 bản ghi đã thu thập`));
  const deleted = await post(`/quan-tri/nguon-thu-thap/${source.id}/xoa`, {});
  t.is(deleted.status, 200);
  t.true((await deleted.text()).includes('Đã xóa nguồn Thư viện sẽ xóa và 2 bản ghi của nó.'));
  t.false((await sources.heldRecordCounts()).has(source.id));
  t.is(Number((await database.db.selectFrom('harvested_records').select((eb) => eb.fn.countAll().as('n')).where('source_id', '=', source.id).executeTakeFirstOrThrow()).n), 0);
  t.false((await sources.list()).some((s) => s.id === source.id));
  t.is((await post(`/quan-tri/nguon-thu-thap/${source.id}/xoa`, {})).status, 404);
});

test('only administrators: anonymous visitors are sent to sign in, operators get the 403 page', async (t) => {
  const anonymous = await serve();
  const signIn = await get('/quan-tri/nguon-thu-thap', anonymous);
  t.is(signIn.status, 303);
  t.is(signIn.headers.get('location'), `/dang-nhap?tiep=${encodeURIComponent('/quan-tri/nguon-thu-thap')}`);
  const operator = await serve(OPERATOR);
  t.is((await get('/quan-tri/nguon-thu-thap/moi', operator)).status, 403);
  t.is((await post('/quan-tri/nguon-thu-thap/moi', fields({ baseUrl: 'https://khac.example.vn/oai' }), operator)).status, 403);
  t.false((await sources.list()).some((source) => source.baseUrl === 'https://khac.example.vn/oai'));
  const union = await (await get('/muc-luc-lien-hop', operator)).text();
  t.false(union.includes('href="/quan-tri/nguon-thu-thap'), 'no link to the sources for others');
  t.true((await (await get('/muc-luc-lien-hop')).text()).includes('href="/quan-tri/nguon-thu-thap?lang=vi"'), 'administrators see the link');
});

test('union search paging parameters are checked: 400 with a clear message', async (t) => {
  for (const [query, message] of [
    ['limit=0', "The union search parameter 'limit' must be a whole number from 1 to 100, not '0'"],
    ['limit=101', "The union search parameter 'limit' must be a whole number from 1 to 100, not '101'"],
    ['offset=-1', "The union search parameter 'offset' must be a whole number from 0 to 10000, not '-1'"],
    ['offset=abc', "The union search parameter 'offset' must be a whole number from 0 to 10000, not 'abc'"],
    ['offset=1&offset=2', "Give the union search parameter 'offset' once, as plain text"],
  ] as const) {
    const response = await get(`/api/union-search?q=kieu&${query}`);
    t.is(response.status, 400, query);
    t.is(((await response.json()) as { error: { message: string } }).error.message, message);
  }
  const ok = await get('/api/union-search?q=kieu&limit=100&offset=10000');
  t.is(ok.status, 200);
  for (const trang of ['0', 'hai', '202']) {
    const page = await get(`/muc-luc-lien-hop?q=kieu&trang=${trang}`);
    t.is(page.status, 400, trang);
    t.regex(await page.text(), /The union search parameter &#39;trang&#39; must be a whole number from 1 to 201/u);
  }
});
