import test from 'ava';
import { Router } from 'express';
import {
  createRepositories,
  IN_MEMORY,
  migrateToLatest,
  PgliteDatabase,
  type Database,
} from '../../repository/index.ts';
import { siteSearchRoutes } from '../../repository/search/index.ts';
import { holdingsImportRoutes, PROGRESS_CSV_COLUMNS, statsRoutes } from '../../repository/stats/index.ts';
import { webRoutes } from '../../repository/web/index.ts';
import { escapeHtml } from '../../repository/web/html.ts';
import { actingAs, ADMIN_VIEWER } from '../helpers/acting-as.ts';
import { serveRouters, type ServedRouters } from '../helpers/serve-routers.ts';

interface Fixture {
  database: Database;
  server: ServedRouters;
  base: string;
  publicId: string;
  restrictedId: string;
  collectionA: string;
}

const NOW = new Date();
const RESTRICTED_TITLE = 'Thư viện hạn chế Rho';

async function setUp(): Promise<Fixture> {
  const database = await PgliteDatabase.open(IN_MEMORY);
  await migrateToLatest(database);
  const { libraries, collections, items } = createRepositories(database.db);
  const library = await libraries.create({ slug: 'dak-nong', name: 'Thư viện tỉnh Đắk Nông', province: 'Đắk Nông', kind: 'provincial' });
  const other = await libraries.create({ slug: 'lam-dong', name: 'Thư viện tỉnh Lâm Đồng', province: 'Lâm Đồng', kind: 'provincial' });
  const a = await collections.create({
    libraryId: library.id, slug: 'dia-chi', title: 'Địa chí Đắk Nông', category: 'dia-chi', holdingsCount: 8, targetPercent: 50, targetDate: '2030-12-31',
  });
  const b = await collections.create({ libraryId: library.id, slug: 'quy-hiem', title: 'Sách quý hiếm', category: 'rare', holdingsCount: 3 });
  const c = await collections.create({ libraryId: other.id, slug: 'noi-sinh', title: 'Tài liệu nội sinh', category: 'endogenous', holdingsCount: 0 });
  const publicItem = await items.create({
    collectionId: a.id, identifier: 'ĐC-1', title: 'Lịch sử thư viện tỉnh', status: 'digitised', dublinCore: { date: [{ value: '1938' }] },
  });
  const restricted = await items.create({ collectionId: a.id, identifier: 'ĐC-2', title: RESTRICTED_TITLE, status: 'digitised', accessLevel: 'restricted' });
  await items.create({ collectionId: a.id, identifier: 'ĐC-3', title: 'Chưa số hóa', status: 'registered' });
  await items.create({ collectionId: b.id, identifier: 'QH-1', title: 'Thư viện Nôm', status: 'digitised' });
  await items.create({ collectionId: c.id, identifier: 'NS-1', title: 'Báo cáo thư viện', status: 'digitised' });

  const clock = () => NOW;
  // Staff pages as an administrator; the search as an anonymous reader.
  const staff = Router().use(['/quan-tri', '/api/collections'], actingAs(ADMIN_VIEWER));
  const server = await serveRouters(
    staff,
    statsRoutes({ database, clock }),
    siteSearchRoutes({ database }),
    holdingsImportRoutes({ database }),
    webRoutes({ database, publicBaseUrl: 'http://x.invalid', clock }),
  );
  return { database, server, base: server.baseUrl, publicId: publicItem.id, restrictedId: restricted.id, collectionA: a.id };
}

let fixture: Fixture;
test.before(async () => {
  fixture = await setUp();
});
test.after.always(async () => {
  await fixture?.server.close();
  await fixture?.database.close();
});

async function get(path: string) {
  const response = await fetch(`${fixture.base}${path}`);
  return { status: response.status, body: await response.text() };
}

const ATTRIBUTES = {
  holdings: 'holdings',
  registered: 'registered',
  digitised: 'digitised',
  percentDigitised: 'percent',
  targetPercent: 'target-percent',
  targetDate: 'target-date',
  onTrack: 'on-track',
  neededPerMonth: 'needed',
  achievedPerMonth: 'achieved',
  pagesDigitised: 'pages',
  failuresWaiting: 'failures',
} as const;

/** Every `<tr data-level=…>` row of a page as `level:id` → { figure: text as the JSON would write it }. */
function rowsOf(body: string): Map<string, Record<string, string>> {
  const rows = new Map<string, Record<string, string>>();
  for (const match of body.matchAll(/<tr (data-level="[^>]*)>/g)) {
    const attributes = Object.fromEntries([...match[1]!.matchAll(/data-([a-z-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    const figures: Record<string, string> = {};
    for (const [name, attribute] of Object.entries(ATTRIBUTES)) figures[name] = attributes[attribute] ?? 'missing';
    rows.set(`${attributes.level}:${attributes.id}`, figures);
  }
  return rows;
}

test('the dashboard, the printable report, the CSV and /api/stats/progress show the same numbers', async (t) => {
  const json = (await (await fetch(`${fixture.base}/api/stats/progress`)).json()) as {
    asOf: string;
    libraries: (Record<string, unknown> & { id: string; collections: (Record<string, unknown> & { id: string })[] })[];
  };
  const expected = new Map<string, Record<string, string>>();
  const text = (value: unknown) => (value === null ? '' : String(value));
  for (const library of json.libraries) {
    for (const collection of library.collections) {
      expected.set(`collection:${collection.id}`, Object.fromEntries(Object.keys(ATTRIBUTES).map((name) => [name, text(collection[name])])));
    }
    expected.set(`library:${library.id}`, Object.fromEntries(Object.keys(ATTRIBUTES).map((name) => [name, text(library[name])])));
  }
  t.is(expected.size, 5);
  t.is(expected.get(`collection:${fixture.collectionA}`)?.percentDigitised, '25', 'two of eight digitised');

  const csvText = (await (await fetch(`${fixture.base}/api/reports/progress.csv`)).text()).replace(/^\uFEFF/, '');
  const [header, ...lines] = csvText.trim().split('\r\n').map((line) => line.split(','));
  t.deepEqual(header, [...PROGRESS_CSV_COLUMNS]);
  const fromCsv = new Map<string, Record<string, string>>();
  for (const cells of lines) {
    const cell = (name: string) => cells[PROGRESS_CSV_COLUMNS.indexOf(name as (typeof PROGRESS_CSV_COLUMNS)[number])]!;
    const id = cell('level') === 'library' ? cell('libraryId') : cell('collectionId');
    fromCsv.set(`${cell('level')}:${id}`, Object.fromEntries(Object.keys(ATTRIBUTES).map((name) => [name, cell(name)])));
  }
  t.deepEqual(fromCsv, expected);

  for (const path of ['/quan-tri', '/quan-tri/bao-cao', '/quan-tri?lang=en']) {
    const { status, body } = await get(path);
    t.is(status, 200, path);
    t.deepEqual(rowsOf(body), expected, path);
    t.true(body.includes(`data-as-of="${json.asOf}"`), path);
  }
});

test('the dashboard writes numbers the Vietnamese way, and the English way in English', async (t) => {
  const vi = (await get('/quan-tri')).body;
  const en = (await get('/quan-tri?lang=en')).body;
  // Sách quý hiếm: 1 of 3 digitised.
  t.true(vi.includes('<span class="percent">33,3%</span>'));
  t.true(en.includes('<span class="percent">33.3%</span>'));
  t.true(vi.includes('style="width: 33.3%"'));
  t.true(vi.includes('Đúng tiến độ') || vi.includes('Chậm tiến độ'));
  t.true(vi.includes('Chưa đặt hạn'));
  t.true(en.includes('No deadline'));
});

test('the dashboard links the CSV of the same day, the report, and has a holdings import form and an accessible chart per collection', async (t) => {
  const { body } = await get('/quan-tri');
  const asOf = /data-as-of="([0-9-]+)"/.exec(body)?.[1];
  t.truthy(asOf);
  t.true(body.includes(`href="/api/reports/progress.csv?date=${asOf}"`));
  t.true(body.includes(`href="/quan-tri/bao-cao?date=${asOf}"`));
  t.true(body.includes(`action="/api/collections/${fixture.collectionA}/holdings"`));
  t.true(body.includes('<script type="module" src="/web/assets/holdings-import.js"></script>'));
  t.is([...body.matchAll(/<svg class="burn-up"[^>]*role="img"/g)].length, 3);
  t.regex(body, /<title id="chart-[^"]+-title">Biểu đồ tích lũy 12 tháng: Địa chí Đắk Nông<\/title>/);
  t.regex(body, /<desc id="chart-[^"]+-desc">[^<]*2 tài liệu[^<]*mục tiêu 4 tài liệu vào ngày 31\/12\/2030/);
  t.false(/<script>/.test(body), 'no inline scripts');
  t.false(/\son[a-z]+=/i.test(body), 'no inline handlers');
  const report = (await get(`/quan-tri/bao-cao?date=${asOf}`)).body;
  t.false(report.includes('data-holdings-import'), 'the printable report has no import forms');
  const bad = await get('/quan-tri?date=2026-02-30');
  t.is(bad.status, 400);
  t.regex(bad.body, /<html lang="vi">/);
  const js = await get('/web/assets/holdings-import.js');
  t.is(js.status, 200);
  t.is((await get('/web/assets/pages.css')).status, 200);
});

test('search finds "thu vien" without diacritics, with facets, and never restricted items', async (t) => {
  const { status, body } = await get('/tim-kiem?q=thu+vien');
  t.is(status, 200);
  t.true(body.includes(`href="/tai-lieu/${fixture.publicId}"`));
  t.true(body.includes('<mark>'), 'snippets keep their marks');
  t.false(body.includes('&lt;mark&gt;'));
  t.false(body.includes(RESTRICTED_TITLE));
  t.false(body.includes(fixture.restrictedId));
  t.regex(body, /data-total="3"/);
  t.regex(body, /data-facet="library"/);
  t.regex(body, /href="\/tim-kiem\?q=thu\+vien&amp;library=[^"]+"[^>]*>Thư viện tỉnh Đắk Nông<\/a> <span class="facet__count" data-count="2">/);
  t.regex(body, /data-facet="decade"[\s\S]*href="\/tim-kiem\?q=thu\+vien&amp;from=1930&amp;to=1939"/);
  const filtered = await get('/tim-kiem?q=thu+vien&from=1930&to=1939');
  t.regex(filtered.body, /data-total="1"/);
  t.regex(filtered.body, /class="chip" href="\/tim-kiem\?q=thu\+vien"/, 'the active filter can be removed');
});

test('an empty query shows the form only; an invalid one the message with 400', async (t) => {
  const empty = await get('/tim-kiem');
  t.is(empty.status, 200);
  t.true(empty.body.includes('id="site-search-q"'));
  t.false(empty.body.includes('data-total'));
  const cases = [
    ['/tim-kiem?q=%21%21%21', 'Từ cần tìm không có chữ hay số nào.'],
    ['/tim-kiem?q=thu&category=nope', 'Giá trị của “loại tài liệu” không hợp lệ.'],
    ['/tim-kiem?q=thu&trang=x', '“trang” phải là một số nguyên.'],
    ['/tim-kiem?q=thu&from=1950&to=1900', 'Năm kết thúc đứng trước năm bắt đầu.'],
    ['/tim-kiem?q=thu&from=1950&to=1900&lang=en', 'The end year comes before the start year.'],
  ] as const;
  for (const [path, reason] of cases) {
    const invalid = await get(path);
    t.is(invalid.status, 400, path);
    t.true(invalid.body.includes('role="alert"'), path);
    t.true(invalid.body.includes(escapeHtml(reason)), `${path}: ${reason}`);
    if (path.endsWith('lang=en')) continue;
    t.regex(invalid.body, /<html lang="vi">/, path);
    t.true(invalid.body.includes('Không thể tìm với yêu cầu này'), path);
    t.false(invalid.body.includes('lang="en"><'), `${path}: no English-only explanation`);
  }
});
