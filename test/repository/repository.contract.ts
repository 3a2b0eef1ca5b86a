import { createHash, randomBytes } from 'node:crypto';
import type { TestFn } from 'ava';
import { sql } from 'kysely';
import {
  appliedMigrations,
  CollectionRepository,
  createRepositories,
  ItemRepository,
  LibraryRepository,
  migrateToLatest,
  PageRepository,
  StoredObjectRepository,
  translateDatabaseError,
  UserRepository,
  type Database,
  type LibraryKind,
  type Repositories,
} from '../../repository/index.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../../storage/index.ts';
import { EXPECTED_MIGRATIONS } from '../helpers/migrations.ts';

/**
 * The behaviour every database adapter must show. Each test file opens one fresh database
 * (PGlite in memory, or a new schema on the PostgreSQL server), migrates it, and runs these
 * tests concurrently against it: so every test makes its own parent records with unique slugs
 * and only counts what it made.
 */
export interface ContractTarget {
  /** Opens a fresh, empty, not yet migrated database. */
  open(): Promise<Database>;
  /** Closes it and removes whatever `open` created. */
  dispose(database: Database): Promise<void>;
}

const SHA_A = 'a'.repeat(64);
const SHA_B = '0123456789abcdef'.repeat(4);

let counter = 0;
/** A slug no other test (or earlier run sharing the server) uses. */
export function uniqueSlug(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(4).toString('hex')}`;
}

const codePoints = (text: string): number => [...text].length;

export function runRepositoryContract(test: TestFn, target: ContractTarget): void {
  let database: Database;
  let repos: Repositories;
  let firstMigration: string[] = [];

  test.before(async () => {
    database = await target.open();
    firstMigration = await migrateToLatest(database);
    repos = createRepositories(database.db);
  });

  test.after.always(async () => {
    if (database !== undefined) await target.dispose(database);
  });

  async function makeLibrary(overrides: { province?: string; kind?: LibraryKind } = {}) {
    return repos.libraries.create({
      slug: uniqueSlug('lib'),
      name: 'Thư viện tỉnh Đắk Nông',
      province: overrides.province ?? 'Đắk Nông',
      kind: overrides.kind ?? 'provincial',
    });
  }

  async function makeCollection() {
    const library = await makeLibrary();
    return repos.collections.create({
      libraryId: library.id,
      slug: uniqueSlug('col'),
      title: 'Địa chí Đắk Nông',
      category: 'dia-chi',
      holdingsCount: 1200,
    });
  }

  async function makeItem(title = 'Đắk Nông xưa và nay') {
    const collection = await makeCollection();
    return repos.items.create({ collectionId: collection.id, identifier: uniqueSlug('DC'), title });
  }

  async function makePage(itemId: string, seq: number) {
    return repos.pages.create({
      itemId,
      seq,
      masterKey: `masters/${itemId}/${seq}.tif`,
      // One scan per page: the same master twice in an item is refused (pages_item_master_key).
      masterSha256: createHash('sha256').update(String(seq)).digest('hex'),
      masterSize: 1000 + seq,
      contentType: 'image/tiff',
    });
  }

  // --- migrations and extensions ---------------------------------------------------------

  test('migrations apply on a fresh database and create every table', async (t) => {
    t.deepEqual(firstMigration, EXPECTED_MIGRATIONS);
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = ${database.schema} order by table_name`.execute(database.db);
    const names = tables.rows.map((row) => row.name);
    for (const table of ['api_tokens', 'audit_log', 'collections', 'fixity_checks', 'iiif_access_tokens', 'items', 'libraries', 'login_failures', 'pages', 'sessions', 'stored_objects', 'users']) {
      t.true(names.includes(table), `table ${table} in schema ${database.schema}`);
    }
  });

  test('running the migrations again changes nothing', async (t) => {
    t.deepEqual(await migrateToLatest(database), []);
    t.deepEqual(await appliedMigrations(database), EXPECTED_MIGRATIONS);
  });

  test('unaccent folds Vietnamese diacritics, đ/Đ included, from NFC and NFD alike', async (t) => {
    const result = await sql<{ plain: string; pinned: string; nfd: string; lone: string }>`
      select unaccent('Đắk Nông thư viện') as plain,
             immutable_unaccent('Đắk Nông thư viện') as pinned,
             immutable_unaccent(${'Thư viện Hà Nội'.normalize('NFD')}) as nfd,
             immutable_unaccent('đĐ') as lone`.execute(database.db);
    const row = result.rows[0];
    t.is(row?.plain, 'Dak Nong thu vien');
    t.is(row?.pinned, 'Dak Nong thu vien');
    t.is(row?.nfd, 'Thu vien Ha Noi');
    t.is(row?.lone, 'dD');
  });

  test('pg_trgm similarity works and the folded title finds items typed without diacritics', async (t) => {
    const similarity = await sql<{ same: number; near: number; far: number }>`
      select similarity('thu vien', 'thu vien') as same,
             similarity(immutable_unaccent('thư viện tỉnh'), 'thu vien') as near,
             similarity('thu vien', 'xyz') as far`.execute(database.db);
    const row = similarity.rows[0];
    t.is(row?.same, 1);
    t.true((row?.near ?? 0) > 0.3 && (row?.near ?? 1) < 1, `near = ${row?.near}`);
    t.is(row?.far, 0);

    const item = await makeItem(`Địa chí Đắk Nông ${uniqueSlug('x')}`);
    const found = await database.db
      .selectFrom('items')
      .select('id')
      .where(sql<string>`lower(immutable_unaccent(title))`, 'like', `%dia chi dak nong%`)
      .where('collection_id', '=', item.collectionId)
      .execute();
    t.deepEqual(
      found.map((r) => r.id),
      [item.id],
    );
  });

  test('ping answers and describe names the adapter without secrets', async (t) => {
    await t.notThrowsAsync(database.ping());
    t.regex(database.describe(), database.adapter === 'pglite' ? /PGlite/ : /PostgreSQL at /);
    t.false(database.describe().includes('password'));
  });

  // --- libraries ---------------------------------------------------------------------------

  test('libraries: create, get by id and slug, update', async (t) => {
    const slug = uniqueSlug('tv-ha-noi');
    const created = await repos.libraries.create({ slug, name: 'Thư viện Hà Nội', province: 'Hà Nội', kind: 'provincial' });
    t.is(created.slug, slug);
    t.is(created.kind, 'provincial');
    t.true(created.createdAt instanceof Date);
    t.deepEqual(await repos.libraries.getById(created.id), created);
    t.deepEqual(await repos.libraries.getBySlug(slug), created);

    const updated = await repos.libraries.update(created.id, { name: 'Thư viện Thành phố Hà Nội', kind: 'community' });
    t.is(updated.name, 'Thư viện Thành phố Hà Nội');
    t.is(updated.kind, 'community');
    t.is(updated.province, 'Hà Nội');
    t.true(updated.updatedAt.getTime() >= created.updatedAt.getTime());
    t.deepEqual(await repos.libraries.getById(created.id), updated);
  });

  test('libraries: missing ids and slugs are NotFoundError naming them', async (t) => {
    const byId = await t.throwsAsync(repos.libraries.getById('no-such-library'), { instanceOf: NotFoundError });
    t.regex(byId.message, /no-such-library/);
    const bySlug = await t.throwsAsync(repos.libraries.getBySlug('no-such-slug'), { instanceOf: NotFoundError });
    t.regex(bySlug.message, /no-such-slug/);
    await t.throwsAsync(repos.libraries.update('no-such-library', { name: 'X' }), { instanceOf: NotFoundError });
  });

  test('libraries: a duplicate slug is a ConflictError naming the slug', async (t) => {
    const library = await makeLibrary();
    const error = await t.throwsAsync(
      repos.libraries.create({ slug: library.slug, name: 'Khác', province: 'Huế', kind: 'district' }),
      { instanceOf: ConflictError },
    );
    t.true(error.message.includes(library.slug), error.message);
    const other = await makeLibrary();
    await t.throwsAsync(repos.libraries.update(other.id, { slug: library.slug }), { instanceOf: ConflictError });
  });

  test('libraries: bad input is InvalidInputError before the database, and the CHECK holds behind it', async (t) => {
    const kind = await t.throwsAsync(
      repos.libraries.create({ slug: uniqueSlug('x'), name: 'X', province: 'Y', kind: 'national' as LibraryKind }),
      { instanceOf: InvalidInputError },
    );
    t.regex(kind.message, /kind/);
    await t.throwsAsync(repos.libraries.create({ slug: 'Not A Slug', name: 'X', province: 'Y', kind: 'school' }), {
      instanceOf: InvalidInputError,
    });
    await t.throwsAsync(repos.libraries.create({ slug: uniqueSlug('x'), name: '   ', province: 'Y', kind: 'school' }), {
      instanceOf: InvalidInputError,
    });

    // Straight to the table, past the repository's validation.
    const raw = await t.throwsAsync(
      database.db
        .insertInto('libraries')
        .values({ id: uniqueSlug('raw'), slug: uniqueSlug('raw'), name: 'X', province: 'Y', kind: 'national' as LibraryKind })
        .execute(),
    );
    const translated = translateDatabaseError(raw);
    t.true(translated instanceof InvalidInputError);
    t.regex(translated.message, /libraries_kind_check/);
  });

  test('libraries: list filters, pages and counts', async (t) => {
    const province = `Tỉnh ${uniqueSlug('p')}`;
    const slugs: string[] = [];
    for (const name of ['Thư viện Bắc', 'Thư viện Ánh Dương', 'thư viện an', 'Thư viện Đông', 'Thư viện Cầu']) {
      const slug = uniqueSlug('l');
      slugs.push(slug);
      await repos.libraries.create({ slug, name, province, kind: 'district' });
    }
    await repos.libraries.create({ slug: uniqueSlug('l'), name: 'Other', province, kind: 'school' });

    const first = await repos.libraries.list({ province, kind: 'district', limit: 2, offset: 0 });
    t.is(first.total, 5);
    t.deepEqual(
      first.rows.map((row) => row.name),
      ['thư viện an', 'Thư viện Ánh Dương'],
    );
    const last = await repos.libraries.list({ province, kind: 'district', limit: 2, offset: 4 });
    t.is(last.total, 5);
    t.deepEqual(
      last.rows.map((row) => row.name),
      ['Thư viện Đông'],
    );
    const beyond = await repos.libraries.list({ province, kind: 'district', limit: 2, offset: 10 });
    t.deepEqual(beyond, { rows: [], total: 5 });
    t.is((await repos.libraries.list({ province })).total, 6);
    await t.throwsAsync(repos.libraries.list({ limit: 0 }), { instanceOf: InvalidInputError });
    await t.throwsAsync(repos.libraries.list({ limit: 1001 }), { instanceOf: InvalidInputError });
  });

  // --- Unicode -----------------------------------------------------------------------------

  test('text arrives in NFD and is stored in NFC', async (t) => {
    const nfd = 'Thư viện Hà Nội'.normalize('NFD');
    const nfc = 'Thư viện Hà Nội'.normalize('NFC');
    t.not(nfd, nfc);
    const library = await repos.libraries.create({ slug: uniqueSlug('nfd'), name: nfd, province: nfd, kind: 'community' });
    t.is(library.name, nfc);
    const stored = await sql<{ name: string; length: number }>`
      select name, char_length(name) as length from libraries where id = ${library.id}`.execute(database.db);
    t.is(stored.rows[0]?.name, nfc);
    t.is(stored.rows[0]?.length, codePoints(nfc));
    // A lookup typed in NFD finds the NFC record.
    const collection = await repos.collections.create({
      libraryId: library.id,
      slug: uniqueSlug('c'),
      title: nfd,
      category: 'other',
    });
    const item = await repos.items.create({ collectionId: collection.id, identifier: 'Hán Nôm 45'.normalize('NFD'), title: nfd });
    t.is(item.identifier, 'Hán Nôm 45');
    t.is((await repos.items.getByIdentifier(collection.id, 'Hán Nôm 45'.normalize('NFD'))).id, item.id);
  });

  test('characters outside the BMP and in the Private Use Area survive a round trip', async (t) => {
    // 𡨸 (U+21A38, the Nôm character for "chữ") and a supplementary PUA code point used by Nôm fonts.
    const title = 'Truyện Kiều 𡨸 \u{F047C} 傳翹';
    t.is(codePoints(title), title.length - 2);
    const item = await makeItem(title);
    const read = await repos.items.getById(item.id);
    t.is(read.title, title);
    t.is(codePoints(read.title), codePoints(title));
    t.deepEqual(read.dublinCore.title, [{ value: title }]);
    const counted = await sql<{ length: number; bytes: number }>`
      select char_length(title) as length, octet_length(title) as bytes from items where id = ${item.id}`.execute(database.db);
    t.is(counted.rows[0]?.length, codePoints(title));
    t.is(counted.rows[0]?.bytes, Buffer.byteLength(title, 'utf8'));
  });

  // --- collections and dates ---------------------------------------------------------------

  test('collections: create with defaults, get, update, list per library', async (t) => {
    const library = await makeLibrary();
    const created = await repos.collections.create({
      libraryId: library.id,
      slug: 'dia-chi',
      title: 'Tài liệu địa chí',
      category: 'dia-chi',
    });
    t.like(created, {
      libraryId: library.id,
      description: '',
      holdingsCount: 0,
      targetPercent: 0,
      targetDate: null,
      defaultAccess: 'public',
      ocrProfile: 'vie',
      minDpi: 300,
    });
    t.deepEqual(await repos.collections.getById(created.id), created);
    t.deepEqual(await repos.collections.getBySlug(library.id, 'dia-chi'), created);

    const updated = await repos.collections.update(created.id, {
      holdingsCount: 5400,
      targetPercent: 62.5,
      defaultAccess: 'restricted',
      ocrProfile: 'han-vert',
      minDpi: 400,
      description: 'Sách Hán Nôm',
    });
    t.like(updated, {
      holdingsCount: 5400,
      targetPercent: 62.5,
      defaultAccess: 'restricted',
      ocrProfile: 'han-vert',
      minDpi: 400,
      description: 'Sách Hán Nôm',
      title: 'Tài liệu địa chí',
    });

    // The same slug is fine in another library.
    const other = await makeLibrary();
    await t.notThrowsAsync(repos.collections.create({ libraryId: other.id, slug: 'dia-chi', title: 'Khác', category: 'other' }));
    const listed = await repos.collections.list({ libraryId: library.id });
    t.is(listed.total, 1);
    t.is(listed.rows[0]?.id, created.id);
  });

  test('collections: duplicate slug in a library, missing library, out-of-range values', async (t) => {
    const collection = await makeCollection();
    const duplicate = await t.throwsAsync(
      repos.collections.create({ libraryId: collection.libraryId, slug: collection.slug, title: 'X', category: 'rare' }),
      { instanceOf: ConflictError },
    );
    t.true(duplicate.message.includes(collection.slug), duplicate.message);

    const missing = await t.throwsAsync(
      repos.collections.create({ libraryId: 'missing-library-id', slug: 'x', title: 'X', category: 'rare' }),
      { instanceOf: NotFoundError },
    );
    t.regex(missing.message, /missing-library-id/);

    for (const bad of [{ targetPercent: 100.5 }, { targetPercent: -1 }, { holdingsCount: -3 }, { minDpi: 0 }, { targetDate: '2030-02-30' }]) {
      await t.throwsAsync(repos.collections.update(collection.id, bad), { instanceOf: InvalidInputError }, JSON.stringify(bad));
    }
    await t.throwsAsync(repos.collections.update(collection.id, { category: 'secret' as 'rare' }), { instanceOf: InvalidInputError });
    await t.throwsAsync(repos.collections.update(collection.id, { defaultAccess: 'open' as 'public' }), {
      instanceOf: InvalidInputError,
    });

    // The CHECK constraints hold for writes that skip the repository.
    for (const values of [{ category: 'secret' }, { default_access: 'open' }, { target_percent: 150 }, { ocr_profile: 'eng' }]) {
      const raw = await t.throwsAsync(
        database.db
          .updateTable('collections')
          .set(values as never)
          .where('id', '=', collection.id)
          .execute(),
      );
      t.true(translateDatabaseError(raw) instanceof InvalidInputError, JSON.stringify(values));
    }
  });

  test('dates come back as YYYY-MM-DD whatever the process time zone', async (t) => {
    // The test files run with TZ=Asia/Ho_Chi_Minh (UTC+7), where a Date at local midnight
    // would print as the day before in UTC.
    t.is(new Date(2030, 11, 31).getTimezoneOffset(), -420);
    const library = await makeLibrary();
    const created = await repos.collections.create({
      libraryId: library.id,
      slug: uniqueSlug('d'),
      title: 'Hạn chót',
      category: 'other',
      targetDate: '2030-12-31',
    });
    t.is(created.targetDate, '2030-12-31');
    t.is((await repos.collections.getById(created.id)).targetDate, '2030-12-31');
    const raw = await sql<{ d: unknown }>`select date '2025-01-01' as d`.execute(database.db);
    t.is(raw.rows[0]?.d, '2025-01-01');
    t.is((await repos.collections.update(created.id, { targetDate: null })).targetDate, null);
  });

  test('bigint, count and numeric come back as numbers; timestamptz as Date; jsonb as objects', async (t) => {
    const result = await sql<{ big: unknown; total: unknown; ratio: unknown; at: unknown; doc: unknown }>`
      select 5000000000::bigint as big, (select count(*) from libraries where false) as total,
             1.25::numeric as ratio, timestamptz '2025-06-30 23:30:00+00' as at,
             '{"a":[1,{"b":"Huế"}]}'::jsonb as doc`.execute(database.db);
    const row = result.rows[0];
    t.is(row?.big, 5_000_000_000);
    t.is(row?.total, 0);
    t.is(row?.ratio, 1.25);
    t.true(row?.at instanceof Date);
    t.is((row?.at as Date).toISOString(), '2025-06-30T23:30:00.000Z');
    t.deepEqual(row?.doc, { a: [1, { b: 'Huế' }] });
  });

  // --- items -------------------------------------------------------------------------------

  test('items: Dublin Core round trip, title from it, inherited access and OCR profile', async (t) => {
    const collection = await makeCollection();
    await repos.collections.update(collection.id, { defaultAccess: 'restricted', ocrProfile: 'han' });
    const dublinCore = {
      title: [{ value: 'Đại Nam nhất thống chí', lang: 'vi' }, { value: '大南一統志', lang: 'lzh' }],
      creator: [{ value: 'Quốc sử quán triều Nguyễn' }],
      date: [{ value: '1882' }],
      subject: [{ value: 'Địa chí' }, { value: 'Lịch sử' }],
    };
    const item = await repos.items.create({ collectionId: collection.id, identifier: 'HN.0001', dublinCore, script: 'Hani', language: 'lzh' });
    t.is(item.title, 'Đại Nam nhất thống chí');
    t.deepEqual(item.dublinCore.title, dublinCore.title);
    t.deepEqual(item.dublinCore.subject, dublinCore.subject);
    t.deepEqual(item.dublinCore.publisher, []);
    t.is(Object.keys(item.dublinCore).length, 15);
    t.like(item, {
      status: 'registered',
      digitisedAt: null,
      accessLevel: null,
      ocrProfile: null,
      effectiveAccessLevel: 'restricted',
      effectiveOcrProfile: 'han',
      language: 'lzh',
      script: 'Hani',
    });
    const stored = await sql<{ dc: unknown }>`select dublin_core as dc from items where id = ${item.id}`.execute(database.db);
    t.deepEqual(stored.rows[0]?.dc, dublinCore);

    const overridden = await repos.items.update(item.id, { accessLevel: 'confidential', ocrProfile: 'han-vert' });
    t.is(overridden.effectiveAccessLevel, 'confidential');
    t.is(overridden.effectiveOcrProfile, 'han-vert');
    const inherited = await repos.items.update(item.id, { accessLevel: null });
    t.is(inherited.accessLevel, null);
    t.is(inherited.effectiveAccessLevel, 'restricted');

    const retitled = await repos.items.update(item.id, { title: 'Đại Nam nhất thống chí (bản Duy Tân)' });
    t.is(retitled.title, 'Đại Nam nhất thống chí (bản Duy Tân)');
    t.deepEqual(retitled.dublinCore.title[0], { value: 'Đại Nam nhất thống chí (bản Duy Tân)', lang: 'vi' });
    t.deepEqual(retitled.dublinCore.title[1], dublinCore.title[1]);
  });

  test('items: defaults, title required, digitised stamps the time', async (t) => {
    const collection = await makeCollection();
    await t.throwsAsync(repos.items.create({ collectionId: collection.id, identifier: 'no-title' }), { instanceOf: InvalidInputError });
    await t.throwsAsync(
      repos.items.create({ collectionId: collection.id, identifier: 'x', title: 'X', dublinCore: { colour: [] } as never }),
      { instanceOf: InvalidInputError },
    );
    const item = await repos.items.create({ collectionId: collection.id, identifier: 'SN.12', title: 'Sắc phong' });
    t.like(item, { language: 'vi', script: 'Latn', status: 'registered', effectiveAccessLevel: 'public', effectiveOcrProfile: 'vie' });
    const processing = await repos.items.update(item.id, { status: 'processing' });
    t.is(processing.digitisedAt, null);
    const digitised = await repos.items.update(item.id, { status: 'digitised' });
    t.true(digitised.digitisedAt instanceof Date);
    const again = await repos.items.update(item.id, { status: 'digitised' });
    t.deepEqual(again.digitisedAt, digitised.digitisedAt);
    await t.throwsAsync(repos.items.update(item.id, { status: 'lost' as 'failed' }), { instanceOf: InvalidInputError });
    const raw = await t.throwsAsync(database.db.updateTable('items').set({ status: 'lost' as 'failed' }).where('id', '=', item.id).execute());
    t.true(translateDatabaseError(raw) instanceof InvalidInputError);
  });

  test('items: duplicate identifier in a collection, missing collection', async (t) => {
    const item = await makeItem();
    const duplicate = await t.throwsAsync(
      repos.items.create({ collectionId: item.collectionId, identifier: item.identifier, title: 'Khác' }),
      { instanceOf: ConflictError },
    );
    t.true(duplicate.message.includes(item.identifier), duplicate.message);
    const missing = await t.throwsAsync(
      repos.items.create({ collectionId: 'missing-collection-id', identifier: 'A1', title: 'X' }),
      { instanceOf: NotFoundError },
    );
    t.regex(missing.message, /missing-collection-id/);
    await t.throwsAsync(repos.items.getById('missing-item-id'), { instanceOf: NotFoundError, message: /missing-item-id/ });
  });

  test('items: list pages through a collection in folded title order with totals', async (t) => {
    const collection = await makeCollection();
    for (const [index, title] of ['Ba', 'Ánh', 'Đông', 'Cam', 'an', 'Em'].entries()) {
      await repos.items.create({ collectionId: collection.id, identifier: `I-${index}`, title });
    }
    const titles: string[] = [];
    for (let offset = 0; offset < 6; offset += 4) {
      const page = await repos.items.list({ collectionId: collection.id, limit: 4, offset });
      t.is(page.total, 6);
      titles.push(...page.rows.map((row) => row.title));
    }
    t.deepEqual(titles, ['an', 'Ánh', 'Ba', 'Cam', 'Đông', 'Em']);
    const first = await repos.items.list({ collectionId: collection.id, limit: 1 });
    await repos.items.update(first.rows[0]?.id ?? '', { status: 'failed' });
    const failed = await repos.items.list({ collectionId: collection.id, status: 'failed' });
    t.is(failed.total, 1);
    t.is(failed.rows[0]?.title, 'an');
    const byIdentifier = await repos.items.list({ collectionId: collection.id, identifier: 'I-3'.normalize('NFD') });
    t.deepEqual(byIdentifier.rows.map((row) => row.title), ['Cam']);
    t.is((await repos.items.list({ collectionId: collection.id, identifier: 'I-9' })).total, 0);
  });

  // --- pages -------------------------------------------------------------------------------

  test('pages: create, list by item in seq order, big sizes as numbers, update', async (t) => {
    const item = await makeItem();
    for (const seq of [3, 1, 2]) await makePage(item.id, seq);
    const big = await repos.pages.create({
      itemId: item.id,
      seq: 4,
      label: 'bìa sau',
      masterKey: `masters/${item.id}/4.tif`,
      masterSha256: SHA_B.toUpperCase(),
      masterSize: 5_000_000_000,
      contentType: 'image/TIFF',
      width: 7000,
      height: 9000,
      dpi: 600,
    });
    t.is(big.masterSize, 5_000_000_000);
    t.is(typeof big.masterSize, 'number');
    t.is(big.masterSha256, SHA_B);
    t.is(big.contentType, 'image/tiff');
    t.like(big, { status: 'pending', stages: {}, derivatives: {}, skewAngle: null, ocrConfidence: null, label: 'bìa sau' });

    const pages = await repos.pages.listByItem(item.id);
    t.deepEqual(
      pages.map((page) => page.seq),
      [1, 2, 3, 4],
    );
    t.deepEqual(await repos.pages.getById(big.id), big);
    t.deepEqual(await repos.pages.listByItem('missing-item'), []);

    const measured = await repos.pages.update(big.id, { skewAngle: -1.75, ocrConfidence: 91.5, derivatives: { thumb: 'derivatives/x/thumb.jpg' } });
    t.like(measured, { skewAngle: -1.75, ocrConfidence: 91.5, derivatives: { thumb: 'derivatives/x/thumb.jpg' } });
    const listed = await repos.pages.list({ itemId: item.id, limit: 3, offset: 3 });
    t.is(listed.total, 4);
    t.is(listed.rows[0]?.id, big.id);
  });

  test('pages: duplicate seq, missing item, bad checksum, CHECKs behind the repository', async (t) => {
    const item = await makeItem();
    await makePage(item.id, 1);
    const duplicate = await t.throwsAsync(makePage(item.id, 1), { instanceOf: ConflictError });
    t.regex(duplicate.message, /page 1/);
    const missing = await t.throwsAsync(makePage('missing-item-for-page', 1), { instanceOf: NotFoundError });
    t.regex(missing.message, /missing-item-for-page/);
    await t.throwsAsync(
      repos.pages.create({ itemId: item.id, seq: 2, masterKey: 'k', masterSha256: 'abc', masterSize: 1, contentType: 'image/tiff' }),
      { instanceOf: InvalidInputError, message: /masterSha256/ },
    );
    await t.throwsAsync(
      repos.pages.create({ itemId: item.id, seq: 0, masterKey: 'k', masterSha256: SHA_A, masterSize: 1, contentType: 'image/tiff' }),
      { instanceOf: InvalidInputError, message: /seq/ },
    );
    const raw = await t.throwsAsync(
      database.db.updateTable('pages').set({ status: 'lost' as 'done' }).where('item_id', '=', item.id).execute(),
    );
    t.true(translateDatabaseError(raw) instanceof InvalidInputError);
  });

  test('pages: stage status drives the page status and counts attempts', async (t) => {
    const item = await makeItem();
    const page = await makePage(item.id, 1);

    const running = await repos.pages.setStageStatus(page.id, 'validate', 'running');
    t.is(running.status, 'processing');
    t.like(running.stages.validate, { status: 'running', attempts: 1 });
    t.false('error' in (running.stages.validate ?? {}));
    t.true(Number.isFinite(Date.parse(running.stages.validate?.updatedAt ?? '')));

    const failed = await repos.pages.setStageStatus(page.id, 'validate', 'failed', 'DPI 150 dưới mức tối thiểu 300');
    t.is(failed.status, 'failed');
    t.like(failed.stages.validate, { status: 'failed', attempts: 1, error: 'DPI 150 dưới mức tối thiểu 300' });

    const retried = await repos.pages.setStageStatus(page.id, 'validate', 'running');
    t.is(retried.status, 'processing');
    t.like(retried.stages.validate, { status: 'running', attempts: 2 });
    t.false('error' in (retried.stages.validate ?? {}));

    await repos.pages.setStageStatus(page.id, 'validate', 'done');
    await repos.pages.setStageStatus(page.id, 'deskew', 'done');
    await repos.pages.setStageStatus(page.id, 'derivatives', 'done');
    t.is((await repos.pages.getById(page.id)).status, 'processing');
    const done = await repos.pages.setStageStatus(page.id, 'ocr', 'skipped');
    t.is(done.status, 'done');
    t.deepEqual(Object.keys(done.stages).sort(), ['derivatives', 'deskew', 'ocr', 'validate']);

    await t.throwsAsync(repos.pages.setStageStatus('missing-page', 'ocr', 'done'), { instanceOf: NotFoundError, message: /missing-page/ });
    await t.throwsAsync(repos.pages.setStageStatus(page.id, 'print' as 'ocr', 'done'), { instanceOf: InvalidInputError });
    await t.throwsAsync(repos.pages.setStageStatus(page.id, 'ocr', 'maybe' as 'done'), { instanceOf: InvalidInputError });
  });

  test('pages: reorder renumbers 1…n in the order given, and refuses an order that is not a permutation', async (t) => {
    const item = await makeItem();
    const [first, second, third] = [await makePage(item.id, 1), await makePage(item.id, 2), await makePage(item.id, 3)];
    const other = await makePage((await makeItem()).id, 1);

    const reordered = await repos.pages.reorder(item.id, [third!.id, first!.id, second!.id]);
    t.deepEqual(reordered.map((page) => [page.id, page.seq]), [[third!.id, 1], [first!.id, 2], [second!.id, 3]]);
    t.deepEqual((await repos.pages.listByItem(item.id)).map((page) => page.id), [third!.id, first!.id, second!.id]);
    t.is((await repos.pages.getById(first!.id)).masterSha256, first!.masterSha256, 'a page keeps its master');

    await t.throwsAsync(repos.pages.reorder(item.id, [third!.id, first!.id]), { instanceOf: InvalidInputError, message: /missing: pages 3/ });
    await t.throwsAsync(repos.pages.reorder(item.id, [third!.id, first!.id, second!.id, other.id]), {
      instanceOf: InvalidInputError,
      message: new RegExp(`not pages of this document: ${other.id}`),
    });
    await t.throwsAsync(repos.pages.reorder(item.id, [third!.id, first!.id, first!.id]), { instanceOf: InvalidInputError, message: /listed twice/ });
    t.deepEqual((await repos.pages.listByItem(item.id)).map((page) => page.seq), [1, 2, 3], 'a refused order changes nothing');
    t.deepEqual(await repos.pages.reorder((await makeItem()).id, []), []);
  });

  test('pages: concurrent updates of different stages and derivatives lose nothing', async (t) => {
    const item = await makeItem();
    const page = await makePage(item.id, 1);
    await Promise.all([
      repos.pages.setStageStatus(page.id, 'validate', 'done'),
      repos.pages.setStageStatus(page.id, 'deskew', 'done'),
      repos.pages.setStageStatus(page.id, 'derivatives', 'done'),
      repos.pages.setStageStatus(page.id, 'ocr', 'done'),
      repos.pages.setDerivative(page.id, 'pyramid', `derivatives/${item.id}/1/pyramid.tif`),
      repos.pages.setDerivative(page.id, 'thumb', `derivatives/${item.id}/1/thumb.jpg`),
    ]);
    const read = await repos.pages.getById(page.id);
    t.is(read.status, 'done');
    t.deepEqual(Object.keys(read.stages).sort(), ['derivatives', 'deskew', 'ocr', 'validate']);
    t.deepEqual(read.derivatives, {
      pyramid: `derivatives/${item.id}/1/pyramid.tif`,
      thumb: `derivatives/${item.id}/1/thumb.jpg`,
    });
  });

  // --- stored objects ----------------------------------------------------------------------

  test('stored objects: record, upsert, get, list by item, remove', async (t) => {
    const item = await makeItem();
    const page = await makePage(item.id, 1);
    const key = `masters/${item.id}/1.tif`;
    const first = await repos.storedObjects.record({ key, sha256: SHA_A, size: 6_000_000_000, contentType: 'image/tiff', itemId: item.id, pageId: page.id, kind: 'master' });
    t.like(first, { key, sha256: SHA_A, size: 6_000_000_000, itemId: item.id, pageId: page.id, kind: 'master' });
    const again = await repos.storedObjects.record({ key, sha256: SHA_B, size: 42, contentType: 'image/tiff', itemId: item.id, pageId: page.id, kind: 'master' });
    t.is(again.sha256, SHA_B);
    t.is(again.size, 42);
    t.deepEqual(again.createdAt, first.createdAt);
    t.deepEqual(await repos.storedObjects.get(key), again);

    await repos.storedObjects.record({ key: `packages/${item.id}/document.pdf`, sha256: SHA_A, size: 10, contentType: 'application/pdf', itemId: item.id, kind: 'pdf' });
    await repos.storedObjects.record({ key: `derivatives/${item.id}/1/thumb.jpg`, sha256: SHA_A, size: 5, contentType: 'image/jpeg', itemId: item.id, pageId: page.id, kind: 'thumb' });
    t.deepEqual(
      (await repos.storedObjects.listByItem(item.id)).map((object) => object.kind),
      ['thumb', 'master', 'pdf'],
    );
    const pdfs = await repos.storedObjects.list({ itemId: item.id, kind: 'pdf' });
    t.is(pdfs.total, 1);

    t.true(await repos.storedObjects.remove(key));
    t.false(await repos.storedObjects.remove(key));
    await t.throwsAsync(repos.storedObjects.get(key), { instanceOf: NotFoundError, message: new RegExp(key) });
  });

  test('stored objects: missing item or page, bad checksum', async (t) => {
    const missingItem = await t.throwsAsync(
      repos.storedObjects.record({ key: uniqueSlug('k'), sha256: SHA_A, size: 1, contentType: 'image/tiff', itemId: 'missing-item-x', kind: 'master' }),
      { instanceOf: NotFoundError },
    );
    t.regex(missingItem.message, /missing-item-x/);
    await t.throwsAsync(
      repos.storedObjects.record({ key: uniqueSlug('k'), sha256: SHA_A, size: 1, contentType: 'image/tiff', pageId: 'missing-page-x', kind: 'master' }),
      { instanceOf: NotFoundError, message: /missing-page-x/ },
    );
    await t.throwsAsync(
      repos.storedObjects.record({ key: uniqueSlug('k'), sha256: 'nope', size: 1, contentType: 'image/tiff', kind: 'master' }),
      { instanceOf: InvalidInputError },
    );
    await t.throwsAsync(
      repos.storedObjects.record({ key: '../etc/passwd', sha256: SHA_A, size: 1, contentType: 'image/tiff', kind: 'master' }),
      { instanceOf: InvalidInputError },
    );
  });

  test('deleting an item takes its pages along, but not while objects are recorded for it', async (t) => {
    const item = await makeItem();
    const page = await makePage(item.id, 1);
    await repos.storedObjects.record({ key: page.masterKey, sha256: SHA_A, size: 1, contentType: 'image/tiff', itemId: item.id, pageId: page.id, kind: 'master' });
    const refused = await t.throwsAsync(database.db.deleteFrom('items').where('id', '=', item.id).execute());
    const translated = translateDatabaseError(refused);
    t.true(translated instanceof ConflictError, translated.message);
    t.regex(translated.message, /still/);

    await repos.storedObjects.remove(page.masterKey);
    await database.db.deleteFrom('items').where('id', '=', item.id).execute();
    await t.throwsAsync(repos.pages.getById(page.id), { instanceOf: NotFoundError });
  });

  // --- users -------------------------------------------------------------------------------

  test('users: create, case-insensitive names, credentials kept apart, update, list', async (t) => {
    const library = await makeLibrary();
    const name = `Op.${uniqueSlug('u')}`;
    const user = await repos.users.create({
      username: name,
      displayName: 'Nguyễn Thị Hương'.normalize('NFD'),
      email: 'huong@example.vn',
      role: 'operator',
      libraryId: library.id,
      passwordHash: '$argon2id$v=19$fake',
    });
    t.like(user, { username: name, displayName: 'Nguyễn Thị Hương', role: 'operator', libraryId: library.id, disabled: false });
    t.false('passwordHash' in user);
    t.false('password_hash' in user);
    t.deepEqual(await repos.users.getByUsername(name.toUpperCase()), user);
    const credentials = await repos.users.getCredentials(name.toLowerCase());
    t.is(credentials.passwordHash, '$argon2id$v=19$fake');
    t.is(credentials.user.id, user.id);

    const clash = await t.throwsAsync(
      repos.users.create({ username: name.toLowerCase(), displayName: 'Khác', role: 'reader' }),
      { instanceOf: ConflictError },
    );
    t.true(clash.message.includes(name.toLowerCase()), clash.message);

    const disabled = await repos.users.update(user.id, { disabled: true, role: 'reader', libraryId: null });
    t.like(disabled, { disabled: true, role: 'reader', libraryId: null });
    const second = await repos.users.create({ username: `${name}-2`, displayName: 'An', role: 'operator', libraryId: library.id });
    const byLibrary = await repos.users.list({ libraryId: library.id });
    t.is(byLibrary.total, 1);
    t.is(byLibrary.rows[0]?.id, second.id);
  });

  test('users: bad role, bad name, missing library', async (t) => {
    await t.throwsAsync(repos.users.create({ username: uniqueSlug('u'), displayName: 'X', role: 'root' as 'admin' }), {
      instanceOf: InvalidInputError,
      message: /role/,
    });
    await t.throwsAsync(repos.users.create({ username: 'Hương', displayName: 'X', role: 'reader' }), {
      instanceOf: InvalidInputError,
      message: /username/,
    });
    await t.throwsAsync(repos.users.create({ username: uniqueSlug('u'), displayName: 'X', role: 'operator', libraryId: 'missing-lib-u' }), {
      instanceOf: NotFoundError,
      message: /missing-lib-u/,
    });
    await t.throwsAsync(repos.users.getByUsername('nobody-here'), { instanceOf: NotFoundError, message: /nobody-here/ });
  });

  // --- transactions ------------------------------------------------------------------------

  test('a transaction that throws leaves nothing behind; one that returns keeps everything', async (t) => {
    const slug = uniqueSlug('tx');
    await t.throwsAsync(
      database.db.transaction().execute(async (trx) => {
        const library = await new LibraryRepository(trx).create({ slug, name: 'Tạm', province: 'Huế', kind: 'school' });
        await new CollectionRepository(trx).create({ libraryId: library.id, slug: 'c', title: 'Tạm', category: 'other' });
        throw new Error('boom');
      }),
      { message: 'boom' },
    );
    await t.throwsAsync(repos.libraries.getBySlug(slug), { instanceOf: NotFoundError });

    const kept = await database.db.transaction().execute(async (trx) => {
      const library = await new LibraryRepository(trx).create({ slug, name: 'Giữ', province: 'Huế', kind: 'school' });
      const collection = await new CollectionRepository(trx).create({ libraryId: library.id, slug: 'c', title: 'Giữ', category: 'other' });
      const item = await new ItemRepository(trx).create({ collectionId: collection.id, identifier: 'T1', title: 'Giữ' });
      const page = await makePageIn(new PageRepository(trx), item.id);
      await new PageRepository(trx).setStageStatus(page.id, 'validate', 'done');
      await new StoredObjectRepository(trx).record({ key: page.masterKey, sha256: SHA_A, size: 1, contentType: 'image/tiff', itemId: item.id, pageId: page.id, kind: 'master' });
      await new UserRepository(trx).create({ username: uniqueSlug('tx'), displayName: 'Giữ', role: 'operator', libraryId: library.id });
      return item;
    });
    t.is((await repos.libraries.getBySlug(slug)).name, 'Giữ');
    t.is((await repos.pages.listByItem(kept.id))[0]?.stages.validate?.status, 'done');
    t.is((await repos.storedObjects.listByItem(kept.id)).length, 1);
  });

  test('a failed statement inside a transaction rolls back the statements before it', async (t) => {
    const existing = await makeLibrary();
    const slug = uniqueSlug('tx2');
    const error = await t.throwsAsync(
      database.db.transaction().execute(async (trx) => {
        const libraries = new LibraryRepository(trx);
        await libraries.create({ slug, name: 'Trước', province: 'Huế', kind: 'school' });
        await libraries.create({ slug: existing.slug, name: 'Trùng', province: 'Huế', kind: 'school' });
      }),
    );
    t.true(error instanceof ConflictError);
    await t.throwsAsync(repos.libraries.getBySlug(slug), { instanceOf: NotFoundError });
  });
}

async function makePageIn(pages: PageRepository, itemId: string) {
  return pages.create({
    itemId,
    seq: 1,
    masterKey: `masters/${itemId}/1.tif`,
    masterSha256: SHA_A,
    masterSize: 1,
    contentType: 'image/tiff',
  });
}
