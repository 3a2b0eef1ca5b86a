import { createHash, randomBytes } from 'node:crypto';
import type { TestFn } from 'ava';
import { createRepositories, migrateToLatest, type Database, type Repositories } from '../../../repository/index.ts';
import {
  digitisedPerDay,
  holdingsImportRoutes,
  importHoldings,
  parseCsv,
  progressStatistics,
  statsRoutes,
  type CollectionProgress,
  type HoldingsImportResult,
  type LibraryProgress,
  type ProgressStatistics,
} from '../../../repository/stats/index.ts';
import { actingAs, ADMIN_VIEWER } from '../../helpers/acting-as.ts';
import { serveRouters, type ServedRouters } from '../../helpers/serve-routers.ts';

export interface StatsTarget {
  /** Opens a fresh, empty, not yet migrated database. */
  open(): Promise<Database>;
  /** Closes it and removes whatever `open` created. */
  dispose(database: Database): Promise<void>;
}

let counter = 0;
function uniqueSlug(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(4).toString('hex')}`;
}

/** The report day of every test; the HTTP clock stands at 12:00 on it in Vietnam. */
const TODAY = '2030-06-30';
const CLOCK = new Date('2030-06-30T05:00:00Z');

/** A digitisation instant: noon in Vietnam on `day`. */
const on = (day: string) => new Date(`${day}T05:00:00Z`);

/**
 * The statistics, report and holdings import against one database adapter. Tests run
 * concurrently on one database, so each builds its own libraries and looks only at those.
 */
export function runStatsContract(test: TestFn, target: StatsTarget): void {
  let database: Database;
  let repos: Repositories;
  let server: ServedRouters | undefined;
  let baseUrl: string;

  test.before(async () => {
    database = await target.open();
    await migrateToLatest(database);
    repos = createRepositories(database.db);
    server = await serveRouters(actingAs(ADMIN_VIEWER), statsRoutes({ database, clock: () => CLOCK }), holdingsImportRoutes({ database }));
    baseUrl = server.baseUrl;
  });

  test.after.always(async () => {
    await server?.close();
    if (database !== undefined) await target.dispose(database);
  });

  async function library(name: string) {
    return repos.libraries.create({ slug: uniqueSlug('lib'), name, province: 'An Giang', kind: 'provincial' });
  }

  async function collection(libraryId: string, fields: { holdingsCount: number; targetPercent: number; targetDate: string | null; title?: string }) {
    return repos.collections.create({ libraryId, slug: uniqueSlug('col'), title: fields.title ?? 'Địa chí', category: 'dia-chi', ...fields });
  }

  async function item(collectionId: string, status: 'registered' | 'uploading' | 'processing' | 'failed' | 'digitised', digitisedAt?: Date) {
    const created = await repos.items.create({ collectionId, identifier: uniqueSlug('DC'), title: 'Tài liệu' });
    if (status === 'registered') return created;
    return repos.items.update(created.id, { status, ...(digitisedAt === undefined ? {} : { digitisedAt }) });
  }

  async function pages(itemId: string, statuses: ('pending' | 'processing' | 'done' | 'failed')[]) {
    for (const [index, status] of statuses.entries()) {
      const seq = index + 1;
      const page = await repos.pages.create({
        itemId,
        seq,
        masterKey: `masters/${itemId}/${seq}.tif`,
        masterSha256: createHash('sha256').update(`${itemId}/${seq}`).digest('hex'),
        masterSize: 1000,
        contentType: 'image/tiff',
      });
      if (status !== 'pending') await repos.pages.update(page.id, { status });
    }
  }

  function find(statistics: ProgressStatistics, libraryId: string): LibraryProgress {
    const found = statistics.libraries.find((candidate) => candidate.id === libraryId);
    if (found === undefined) throw new Error(`library ${libraryId} missing from the statistics`);
    return found;
  }

  function collectionOf(libraryProgress: LibraryProgress, collectionId: string): CollectionProgress {
    const found = libraryProgress.collections.find((candidate) => candidate.id === collectionId);
    if (found === undefined) throw new Error(`collection ${collectionId} missing from the statistics`);
    return found;
  }

  /** Two libraries, three collections: the dataset whose numbers the tests work out by hand. */
  async function handBuiltDataset() {
    const a = await library(`Thư viện tỉnh An Giang ${uniqueSlug('a')}`);
    const b = await library(`Thư viện tỉnh Bắc Ninh ${uniqueSlug('b')}`);
    // A1: 100 held, 70 % by 2030-12-31 (future).
    const a1 = await collection(a.id, { holdingsCount: 100, targetPercent: 70, targetDate: '2030-12-31', title: 'Địa chí An Giang' });
    await item(a1.id, 'digitised', on('2030-01-10')); // before the 90-day window
    const d2 = await item(a1.id, 'digitised', on('2030-06-01'));
    await item(a1.id, 'digitised', on('2030-06-15'));
    await item(a1.id, 'digitised', new Date('2030-06-29T20:00:00Z')); // 03:00 on 2030-06-30 in Vietnam: counts today
    const later = await item(a1.id, 'digitised', on('2030-07-05')); // after the report day: not counted
    const registered = await item(a1.id, 'registered');
    await item(a1.id, 'registered');
    await item(a1.id, 'uploading');
    await item(a1.id, 'processing');
    const failed = await item(a1.id, 'failed');
    await pages(d2.id, ['done', 'done', 'done', 'failed']);
    await pages(later.id, ['done', 'done']);
    await pages(failed.id, ['failed', 'failed', 'done']);
    await pages(registered.id, ['pending']);
    // A2: nothing held (0), 50 % by 2030-01-01 (past); one item digitised anyway.
    const a2 = await collection(a.id, { holdingsCount: 0, targetPercent: 50, targetDate: '2030-01-01', title: 'Sách hiếm' });
    await item(a2.id, 'digitised', on('2029-12-01'));
    // B1: 10 held, 20 % by 2030-03-01 (past), one of the two digitised.
    const b1 = await collection(b.id, { holdingsCount: 10, targetPercent: 20, targetDate: '2030-03-01', title: 'Tài liệu nội sinh' });
    await item(b1.id, 'digitised', on('2030-02-01'));
    await item(b1.id, 'registered');
    return { a, b, a1, a2, b1 };
  }

  test('statistics of a hand-built dataset: per collection and per library', async (t) => {
    const { a, b, a1, a2, b1 } = await handBuiltDataset();
    const statistics = await progressStatistics(database.db, { today: TODAY });
    t.is(statistics.asOf, TODAY);
    const libraryA = find(statistics, a.id);
    const libraryB = find(statistics, b.id);

    // A1: 10 items; digitised as of today: 01-10, 06-01, 06-15, 06-30 = 4 (07-05 is later).
    // Window 2030-04-02…2030-06-30 (90 days; first digitisation earlier): 3 items → 3/90 × 30.4375 = 1.01 → 1.0.
    // Target ⌈70 % × 100⌉ = 70, remaining 66, 184 days left → 66 / (184 / 30.4375) = 10.92 → 10.9 > 1.0: not on track.
    // Pages done of counted digitised items: 3 (the later item's 2 and the failed item's 1 do not count).
    // Failed pages anywhere: 1 + 2 = 3.
    t.deepEqual(collectionOf(libraryA, a1.id), {
      id: a1.id,
      slug: a1.slug,
      title: 'Địa chí An Giang',
      category: 'dia-chi',
      holdings: 100,
      registered: 10,
      digitised: 4,
      percentDigitised: 4,
      targetPercent: 70,
      targetDate: '2030-12-31',
      onTrack: false,
      neededPerMonth: 10.9,
      achievedPerMonth: 1,
      pagesDigitised: 3,
      failuresWaiting: 3,
    });
    // A2: holdings 0 → 0 %; target ⌈50 % × 0⌉ = 0 items, already reached → on track although past.
    // Its one digitisation (2029-12-01) is outside the window → achieved 0.
    t.like(collectionOf(libraryA, a2.id), {
      holdings: 0,
      registered: 1,
      digitised: 1,
      percentDigitised: 0,
      targetPercent: 50,
      targetDate: '2030-01-01',
      onTrack: true,
      neededPerMonth: 0,
      achievedPerMonth: 0,
      pagesDigitised: 0,
      failuresWaiting: 0,
    });
    // Library A: sums; target (70 × 100 + 50 × 0) / 100 = 70; latest deadline; A1 off track → false.
    t.like(libraryA, {
      holdings: 100,
      registered: 11,
      digitised: 5,
      percentDigitised: 5,
      targetPercent: 70,
      targetDate: '2030-12-31',
      onTrack: false,
      neededPerMonth: null,
      achievedPerMonth: null,
      pagesDigitised: 3,
      failuresWaiting: 3,
    });
    t.deepEqual(
      libraryA.collections.map((c) => c.id),
      [a1.id, a2.id],
      'collections ordered by folded title: "Dia chi" before "Sach hiem"',
    );
    // B1: 1 of 10 = 10 %; target ⌈20 % × 10⌉ = 2, remaining 1, deadline past → off track, no rate can do it.
    t.like(collectionOf(libraryB, b1.id), {
      holdings: 10,
      registered: 2,
      digitised: 1,
      percentDigitised: 10,
      targetPercent: 20,
      targetDate: '2030-03-01',
      onTrack: false,
      neededPerMonth: null,
      achievedPerMonth: 0,
    });
    t.like(libraryB, { holdings: 10, registered: 2, digitised: 1, percentDigitised: 10, targetPercent: 20, targetDate: '2030-03-01', onTrack: false });
  });

  test('the report day decides what counts: the same day gives the same numbers, an earlier day fewer', async (t) => {
    const { a, a1 } = await handBuiltDataset();
    const first = find(await progressStatistics(database.db, { today: TODAY }), a.id);
    const again = find(await progressStatistics(database.db, { today: TODAY }), a.id);
    t.deepEqual(again, first);
    const earlier = collectionOf(find(await progressStatistics(database.db, { today: '2030-06-29' }), a.id), a1.id);
    t.is(earlier.digitised, 3, 'the item digitised at 03:00 on 06-30 (Vietnam) is not counted on 06-29');
    const afterAll = collectionOf(find(await progressStatistics(database.db, { today: '2030-07-31' }), a.id), a1.id);
    t.is(afterAll.digitised, 5);
    t.is(afterAll.pagesDigitised, 5);
  });

  test('on track: a fast collection with a future deadline', async (t) => {
    const lib = await library(`Thư viện Cần Thơ ${uniqueSlug('c')}`);
    // 30 held, 50 % → 15 items by 2030-08-30 (61 days). Ten digitised on the last ten days.
    const col = await collection(lib.id, { holdingsCount: 30, targetPercent: 50, targetDate: '2030-08-30' });
    for (let day = 21; day <= 30; day += 1) await item(col.id, 'digitised', on(`2030-06-${day}`));
    const progress = collectionOf(find(await progressStatistics(database.db, { today: TODAY }), lib.id), col.id);
    // Window = 10 days since the first digitisation: 10 / 10 × 30.4375 = 30.4 per month.
    // Needed: 5 remaining / (61 / 30.4375) = 2.49 → 2.5.
    t.like(progress, { digitised: 10, percentDigitised: 33.3, achievedPerMonth: 30.4, neededPerMonth: 2.5, onTrack: true });
    t.like(find(await progressStatistics(database.db, { today: TODAY }), lib.id), { onTrack: true });
  });

  test('not on track: the same collection a month later, having stopped', async (t) => {
    const lib = await library(`Thư viện Cà Mau ${uniqueSlug('c')}`);
    const col = await collection(lib.id, { holdingsCount: 30, targetPercent: 50, targetDate: '2030-08-30' });
    for (let day = 21; day <= 30; day += 1) await item(col.id, 'digitised', on(`2030-06-${day}`));
    // On 2030-08-29: window = 70 days since the first → 10 / 70 × 30.4375 = 4.3; needed 5 in 1 day = 152.2.
    const progress = collectionOf(find(await progressStatistics(database.db, { today: '2030-08-29' }), lib.id), col.id);
    t.like(progress, { achievedPerMonth: 4.3, neededPerMonth: 152.2, onTrack: false });
    // No target date: onTrack is null, the library's too.
    await repos.collections.update(col.id, { targetDate: null });
    const undated = find(await progressStatistics(database.db, { today: TODAY }), lib.id);
    t.like(collectionOf(undated, col.id), { onTrack: null, neededPerMonth: null });
    t.is(undated.onTrack, null);
  });

  test('a library without collections is listed with zeros; a malformed day is refused', async (t) => {
    const lib = await library(`Thư viện trống ${uniqueSlug('e')}`);
    t.like(find(await progressStatistics(database.db, { today: TODAY }), lib.id), {
      holdings: 0,
      digitised: 0,
      percentDigitised: 0,
      targetDate: null,
      onTrack: null,
      collections: [],
    });
    await t.throwsAsync(progressStatistics(database.db, { today: '2030-02-30' }), { code: 'INVALID_INPUT' } as never);
  });

  test('digitised per day: a dense cumulative series that ends at the digitised count', async (t) => {
    const { a1, a2 } = await handBuiltDataset();
    const series = await digitisedPerDay(database.db, { from: '2030-06-14', to: TODAY });
    const mine = series.find((s) => s.collectionId === a1.id)!;
    t.is(mine.points.length, 17);
    t.deepEqual(mine.points[0], { day: '2030-06-14', digitised: 0, cumulative: 2 });
    t.deepEqual(mine.points[1], { day: '2030-06-15', digitised: 1, cumulative: 3 });
    t.deepEqual(mine.points.at(-1), { day: TODAY, digitised: 1, cumulative: 4 });
    t.is(mine.points.reduce((total, point) => total + point.digitised, 0), 2);
    const other = series.find((s) => s.collectionId === a2.id)!;
    t.true(other.points.every((point) => point.digitised === 0 && point.cumulative === 1));
    await t.throwsAsync(digitisedPerDay(database.db, { from: TODAY, to: '2030-06-01' }), { code: 'INVALID_INPUT' } as never);
  });

  // --- HTTP ---------------------------------------------------------------------------------

  test('the JSON API and the CSV report carry identical numbers', async (t) => {
    const { a, b } = await handBuiltDataset();
    const jsonResponse = await fetch(`${baseUrl}/api/stats/progress`);
    t.is(jsonResponse.status, 200);
    const json = (await jsonResponse.json()) as ProgressStatistics & { generatedAt: string };
    t.is(json.generatedAt, CLOCK.toISOString());
    t.is(json.asOf, TODAY);
    // The API gives what the function gives.
    t.deepEqual(find(json, a.id), find(await progressStatistics(database.db, { today: TODAY }), a.id));

    const csvResponse = await fetch(`${baseUrl}/api/reports/progress.csv`);
    t.is(csvResponse.status, 200);
    t.regex(csvResponse.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    t.is(csvResponse.headers.get('content-disposition'), `attachment; filename="bao-cao-tien-do-${TODAY}.csv"`);
    const bytes = new Uint8Array(await csvResponse.arrayBuffer());
    t.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 BOM');
    const rows = parseCsv(new TextDecoder().decode(bytes));
    t.true(rows.every((row) => row.kind === 'record'));
    const [header, ...body] = rows.map((row) => (row.kind === 'record' ? row.fields : []));
    const records = body.map((fields) => Object.fromEntries(header!.map((name, index) => [name, fields[index]!])));
    // Other tests add libraries meanwhile, so the whole files are not compared; every library has one total row.
    const totals = records.filter((record) => record.level === 'library').map((record) => record.libraryId);
    t.is(new Set(totals).size, totals.length);
    t.true(records.every((record) => record.level === 'library' || record.level === 'collection'));

    const cells = (figures: Record<string, unknown>) =>
      Object.fromEntries(
        ['holdings', 'registered', 'digitised', 'percentDigitised', 'targetPercent', 'targetDate', 'onTrack', 'neededPerMonth', 'achievedPerMonth', 'pagesDigitised', 'failuresWaiting'].map(
          (name) => [name, figures[name] === null ? '' : String(figures[name])],
        ),
      );
    let compared = 0;
    for (const lib of [find(json, a.id), find(json, b.id)]) {
      const mine = records.filter((record) => record.libraryId === lib.id);
      t.deepEqual(
        mine.map((record) => record.level),
        [...lib.collections.map(() => 'collection'), 'library'],
        'collections first, then the library total',
      );
      const total = mine.at(-1)!;
      t.is(total.libraryName, lib.name);
      t.like(total, cells(lib as unknown as Record<string, unknown>));
      compared += 1;
      for (const col of lib.collections) {
        const row = mine.find((record) => record.collectionId === col.id)!;
        t.is(row.collectionTitle, col.title);
        t.like(row, cells(col as unknown as Record<string, unknown>));
        compared += 1;
      }
    }
    t.is(compared, 5);
    // Vietnamese survives: the library name with its diacritics, byte for byte.
    t.true(records.some((record) => record.libraryName === find(json, b.id).name && record.libraryName!.includes('Bắc Ninh')));
  });

  test('?date= reproduces a report as of a day; a bad date is a 400', async (t) => {
    const { a, a1 } = await handBuiltDataset();
    const json = (await (await fetch(`${baseUrl}/api/stats/progress?date=2030-06-29`)).json()) as ProgressStatistics;
    t.is(json.asOf, '2030-06-29');
    t.is(collectionOf(find(json, a.id), a1.id).digitised, 3);
    const csv = await fetch(`${baseUrl}/api/reports/progress.csv?date=2030-06-29`);
    t.is(csv.headers.get('content-disposition'), 'attachment; filename="bao-cao-tien-do-2030-06-29.csv"');
    await csv.arrayBuffer();
    const bad = await fetch(`${baseUrl}/api/stats/progress?date=yesterday`);
    t.is(bad.status, 400);
    t.is(((await bad.json()) as { error: { code: string } }).error.code, 'INVALID_INPUT');
  });

  // --- holdings import --------------------------------------------------------------------------

  async function postCsv(collectionId: string, body: string | Uint8Array, query = '', contentType = 'text/csv; charset=utf-8') {
    const response = await fetch(`${baseUrl}/api/collections/${collectionId}/holdings${query}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    return { status: response.status, body: (await response.json()) as HoldingsImportResult & { error?: { code: string; message: string } } };
  }

  async function emptyCollection(holdingsCount = 0) {
    const lib = await library(`Thư viện nhập ${uniqueSlug('i')}`);
    return collection(lib.id, { holdingsCount, targetPercent: 80, targetDate: null });
  }

  test('import: valid rows become registered items with Dublin Core; percentages follow', async (t) => {
    const col = await emptyCollection(4);
    const d = await item(col.id, 'digitised', on('2030-06-01'));
    const before = collectionOf(find(await progressStatistics(database.db, { today: TODAY }), col.libraryId), col.id);
    t.like(before, { holdings: 4, registered: 1, digitised: 1, percentDigitised: 25 });

    const csv = 'identifier,title,author,year,notes\nHV-1,Đại Nam nhất thống chí,Quốc sử quán,1882,extra\nHV-2,Gia Định thành thông chí,Trịnh Hoài Đức,,\n';
    const { status, body } = await postCsv(col.id, csv);
    t.is(status, 200);
    t.deepEqual(body, { imported: 2, updated: 0, skipped: [], errors: [], holdingsCount: 4 });
    const stored = await repos.items.getByIdentifier(col.id, 'HV-1');
    t.is(stored.status, 'registered');
    t.is(stored.title, 'Đại Nam nhất thống chí');
    t.deepEqual(stored.dublinCore.creator, [{ value: 'Quốc sử quán' }]);
    t.deepEqual(stored.dublinCore.date, [{ value: '1882' }]);
    t.deepEqual((await repos.items.getByIdentifier(col.id, 'HV-2')).dublinCore.date, []);

    // 3 registered ≤ 4 held: the holdings stay; digitised 1 of 4 still 25 %.
    const after = collectionOf(find(await progressStatistics(database.db, { today: TODAY }), col.libraryId), col.id);
    t.like(after, { holdings: 4, registered: 3, digitised: 1, percentDigitised: 25 });

    // Two more rows: 5 registered > 4 held → holdings raised to 5; 1 of 5 = 20 %.
    const more = await postCsv(col.id, 'identifier,title\nHV-3,Một\nHV-4,Hai\n');
    t.is(more.body.holdingsCount, 5);
    t.is((await repos.collections.getById(col.id)).holdingsCount, 5);
    t.like(collectionOf(find(await progressStatistics(database.db, { today: TODAY }), col.libraryId), col.id), {
      holdings: 5,
      registered: 5,
      digitised: 1,
      percentDigitised: 20,
    });
    t.is((await repos.items.getById(d.id)).status, 'digitised', 'the import leaves existing items alone');
  });

  test('import: holdings are never lowered', async (t) => {
    const col = await emptyCollection(1000);
    const { body } = await postCsv(col.id, 'identifier,title\nA,B\n');
    t.is(body.imported, 1);
    t.is(body.holdingsCount, 1000);
    t.is((await repos.collections.getById(col.id)).holdingsCount, 1000);
  });

  test('import: duplicates in the collection and in the file are skipped, or updated with ?update=true', async (t) => {
    const col = await emptyCollection();
    await postCsv(col.id, 'identifier,title,author\nX-1,Cũ,Tác giả cũ\n');
    const csv = 'identifier,title,year\nX-1,Mới,1930\nX-2,Hai,\nX-2,Hai lần,\n';
    const skipped = await postCsv(col.id, csv);
    t.deepEqual(skipped.body.skipped.map(({ line, identifier }) => ({ line, identifier })), [
      { line: 2, identifier: 'X-1' },
      { line: 4, identifier: 'X-2' },
    ]);
    t.regex(skipped.body.skipped[0]!.reason, /already registered/);
    t.regex(skipped.body.skipped[1]!.reason, /earlier row/);
    t.deepEqual(skipped.body.skipped.map((row) => row.code), ['already-registered', 'repeated-in-file']);
    t.is(skipped.body.imported, 1);
    t.is((await repos.items.getByIdentifier(col.id, 'X-1')).title, 'Cũ');

    const updated = await postCsv(col.id, 'identifier,title,year\nX-1,Mới,1930\n', '?update=true');
    t.like(updated.body, { imported: 0, updated: 1, skipped: [], errors: [] });
    const x1 = await repos.items.getByIdentifier(col.id, 'X-1');
    t.is(x1.title, 'Mới');
    t.deepEqual(x1.dublinCore.title, [{ value: 'Mới' }]);
    t.deepEqual(x1.dublinCore.date, [{ value: '1930' }]);
    t.deepEqual(x1.dublinCore.creator, [{ value: 'Tác giả cũ' }], 'an absent author keeps the stored one');
    t.is((await postCsv(col.id, 'identifier,title\nX-1,Y\n', '?update=maybe')).status, 400);
  });

  test('import: malformed rows are reported by line and never stop the batch', async (t) => {
    const col = await emptyCollection();
    const csv = [
      'identifier,title,author,year',
      'OK-1,Tốt,,1925',
      ',Không có ký hiệu,,',
      'NO-TITLE,,,',
      'BAD-YEAR,Năm sai,,khoảng 1920',
      `LONG,${'x'.repeat(2001)},,`,
      'QUOTE,Có "ngoặc" sai,,',
      '',
      'OK-2,Cũng tốt,,',
    ].join('\r\n');
    const { status, body } = await postCsv(col.id, csv);
    t.is(status, 200);
    t.is(body.imported, 2);
    t.deepEqual(body.errors.map((error) => error.line), [3, 4, 5, 6, 7]);
    t.regex(body.errors[0]!.reason, /identifier is empty/);
    t.regex(body.errors[1]!.reason, /title is empty/);
    t.regex(body.errors[2]!.reason, /year/);
    t.regex(body.errors[3]!.reason, /title is 2001 characters long/);
    t.regex(body.errors[4]!.reason, /double quote/);
    t.deepEqual(
      body.errors.map((error) => error.problems),
      [
        [{ code: 'identifier-empty' }],
        [{ code: 'title-empty' }],
        [{ code: 'year-invalid', value: 'khoảng 1920' }],
        [{ code: 'too-long', field: 'title', length: 2001, limit: 2000 }],
        [{ code: 'quote-in-field', column: 2 }],
      ],
      'each problem also comes as a code a page can put in the reader’s language',
    );
    t.deepEqual(
      (await repos.items.list({ collectionId: col.id })).rows.map((i) => i.identifier).sort(),
      ['OK-1', 'OK-2'],
    );
  });

  test('import: NFD input is stored NFC, a BOM is tolerated, quoted fields keep commas and line breaks', async (t) => {
    const col = await emptyCollection();
    const title = 'Thư tịch cổ, "Hán Nôm"\nquyển 2';
    const csv = `\uFEFFIdentifier,Title\r\n"NFD-1","${'Thư viện Hà Nội'.normalize('NFD')}"\r\nQ-1,"${title.replaceAll('"', '""')}"\r\nAFTER,Sau\r\n`;
    t.not('Thư viện Hà Nội'.normalize('NFD'), 'Thư viện Hà Nội');
    const { body } = await postCsv(col.id, new TextEncoder().encode(csv));
    t.deepEqual(body, { imported: 3, updated: 0, skipped: [], errors: [], holdingsCount: 3 });
    t.is((await repos.items.getByIdentifier(col.id, 'NFD-1')).title, 'Thư viện Hà Nội'.normalize('NFC'));
    t.is((await repos.items.getByIdentifier(col.id, 'Q-1')).title, title);
    t.truthy(await repos.items.getByIdentifier(col.id, 'AFTER'), 'the line after a multi-line field is read');
  });

  test('import: multipart with one "file" part; bad requests are refused whole', async (t) => {
    const col = await emptyCollection();
    const form = new FormData();
    form.append('file', new Blob(['identifier,title\nMP-1,Tệp\n'], { type: 'text/csv' }), 'danh-muc.csv');
    const response = await fetch(`${baseUrl}/api/collections/${col.id}/holdings`, { method: 'POST', body: form });
    t.is(response.status, 200);
    t.like(await response.json(), { imported: 1 });

    const missingColumn = await postCsv(col.id, 'identifier,name\nA,B\n');
    t.is(missingColumn.status, 400);
    t.regex(missingColumn.body.error!.message, /"title"/);
    t.is((await postCsv(col.id, new Uint8Array([0x69, 0x64, 0xff, 0x0a]))).status, 400, 'not UTF-8');
    t.is((await postCsv(col.id, 'identifier,title\nA,B\n', '', 'application/json')).status, 400);
    t.is((await postCsv(col.id, 'identifier,title\nA,B\n', '', 'text/csv; charset=windows-1258')).status, 400);
    t.is((await postCsv('no-such-collection', 'identifier,title\nA,B\n')).status, 404);
    t.is((await repos.items.list({ collectionId: col.id })).total, 1, 'nothing of the refused requests was stored');
  });

  test('import: a body over the limit is a 413', async (t) => {
    const col = await emptyCollection();
    const small = await serveRouters(actingAs(ADMIN_VIEWER), holdingsImportRoutes({ database, maxBytes: 100 }));
    t.teardown(() => small.close());
    const url = `${small.baseUrl}/api/collections/${col.id}/holdings`;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: `identifier,title\n${'A,B\n'.repeat(100)}` });
    t.is(response.status, 413);
    t.is((await repos.items.list({ collectionId: col.id })).total, 0);
  });

  test('import: 10,000 rows in one request', async (t) => {
    const col = await emptyCollection(9000);
    const lines = ['identifier,title,author,year'];
    for (let n = 1; n <= 10_000; n += 1) lines.push(`KH-${n},"Tài liệu số ${n}, tập ${n % 7}",Tác giả ${n % 13},${1900 + (n % 120)}`);
    const started = performance.now();
    const { status, body } = await postCsv(col.id, lines.join('\n'));
    t.log(`${database.adapter}: 10,000 rows imported in ${Math.round(performance.now() - started)} ms`);
    t.is(status, 200);
    t.like(body, { imported: 10_000, updated: 0, skipped: [], errors: [], holdingsCount: 10_000 });
    t.like(collectionOf(find(await progressStatistics(database.db, { today: TODAY }), col.libraryId), col.id), {
      holdings: 10_000,
      registered: 10_000,
      digitised: 0,
      percentDigitised: 0,
    });
    t.is((await repos.items.getByIdentifier(col.id, 'KH-9999')).title, 'Tài liệu số 9999, tập 3');
  });

  // Direct call: the function behind the route, for scripts.
  test('importHoldings refuses an empty text and an unknown collection', async (t) => {
    const col = await emptyCollection();
    await t.throwsAsync(importHoldings(database.db, col.id, '\n\n'), { message: /empty/ });
    await t.throwsAsync(importHoldings(database.db, 'nope', 'identifier,title\nA,B\n'), { message: /not found/ });
  });
}
