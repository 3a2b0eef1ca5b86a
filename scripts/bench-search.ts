/**
 * Site search latency: fills a fresh schema with generated Vietnamese OCR text — by default
 * 100 000 pages of ~150 words across 2 000 items in 10 collections of 5 libraries — then times
 * 20 queries (with and without diacritics, with facet filters) through `searchCatalogue` and
 * prints p50/p95. The text mixes a list of common Vietnamese words (skewed: a few very
 * frequent) with ~4 000 generated syllables (a long tail), so some query words hit most
 * pages and others few. The schema is dropped at the end.
 *
 *   npx tsx scripts/bench-search.ts [--database-url postgres://…] [--pglite] [--pages 100000] [--items 2000]
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { pino } from 'pino';
import { ANONYMOUS, IN_MEMORY, migrateToLatest, PgliteDatabase, PostgresDatabase, type Database } from '../repository/index.ts';
import { searchCatalogue, type SearchQuery } from '../repository/search/index.ts';

const arg = (name: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const PAGES = Number(arg('pages') ?? 100_000);
const ITEMS = Number(arg('items') ?? 2_000);
const WORDS_PER_PAGE = 150;
const USE_PGLITE = process.argv.includes('--pglite');
const DATABASE_URL = arg('database-url') ?? 'postgres://postgres@127.0.0.1:5432/test';

const COMMON = `thư viện địa chí Đắk Nông tỉnh huyện xã làng người dân lịch sử văn hoá dân gian nhà nước
  của và là có trong được những một các cho với không này đã năm sau trước ngày tháng sách báo tài liệu
  quý hiếm nội sinh chữ Nôm Hán Việt Nam miền Trung Tây Nguyên núi sông đồng ruộng chùa đình miếu lễ hội
  phong tục tập quán nghề truyền thống Gia Lai Kon Tum Lâm Đồng Buôn Ma Thuột cà phê hồ tiêu cao su
  triều Nguyễn vua quan lính chiến tranh hoà bình kinh tế giáo dục trường học đường thành phố`
  .split(/\s+/u)
  .filter((word) => word !== '');

/** ~4 000 Vietnamese-looking syllables with diacritics: the long tail of the vocabulary. */
function syllables(): string[] {
  const initials = ['b', 'c', 'd', 'đ', 'g', 'h', 'kh', 'l', 'm', 'n', 'ng', 'nh', 'ph', 'qu', 's', 't', 'th', 'tr', 'v', 'x'];
  const nuclei = ['a', 'á', 'à', 'ả', 'ã', 'ạ', 'ă', 'ắ', 'â', 'ấ', 'e', 'é', 'ê', 'ề', 'i', 'í', 'o', 'ó', 'ô', 'ồ', 'ơ', 'ớ', 'u', 'ú', 'ư', 'ứ'];
  const finals = ['', 'n', 'ng', 'c', 't', 'm', 'nh', 'p'];
  return initials.flatMap((i) => nuclei.flatMap((n) => finals.map((f) => `${i}${n}${f}`)));
}

const QUERIES: { label: string; query: SearchQuery }[] = [
  { label: 'thu vien', query: { q: 'thu vien' } },
  { label: 'thư viện', query: { q: 'thư viện' } },
  { label: 'dia chi', query: { q: 'dia chi' } },
  { label: 'địa chí', query: { q: 'địa chí' } },
  { label: 'Dak Nong', query: { q: 'Dak Nong' } },
  { label: 'Đắk Nông', query: { q: 'Đắk Nông' } },
  { label: 'le hoi dinh lang', query: { q: 'le hoi dinh lang' } },
  { label: 'chữ Nôm', query: { q: 'chữ Nôm' } },
  { label: 'buon ma thuot', query: { q: 'buon ma thuot' } },
  { label: 'trieu nguyen', query: { q: 'trieu nguyen' } },
  { label: 'thu vien +library', query: { q: 'thu vien', libraryId: 'lib-2' } },
  { label: 'dia chi +category', query: { q: 'dia chi', category: 'dia-chi' } },
  { label: 'dak nong +years', query: { q: 'dak nong', yearFrom: 1900, yearTo: 1949 } },
  { label: 'ca phe +collection', query: { q: 'ca phe', collectionId: 'col-3' } },
  { label: 'thu vien offset 100', query: { q: 'thu vien', offset: 100 } },
  { label: 'khấp (tail)', query: { q: 'khấp' } },
  { label: 'nhung thap (tail)', query: { q: 'nhung thap' } },
  { label: 'thớm (tail)', query: { q: 'thớm' } },
  { label: 'tai lieu quy hiem', query: { q: 'tai lieu quy hiem' } },
  { label: 'kinh te giao duc', query: { q: 'kinh te giao duc' } },
];

async function fill(database: Database): Promise<void> {
  const db = database.db;
  const common = COMMON.join(' ');
  const tail = syllables().join(' ');
  // A word: 30 % a common word (cubic skew: a few very frequent), else a tail syllable (squared skew).
  const word = sql`case when random() < 0.3
      then (string_to_array(${common}, ' '))[1 + floor(power(random(), 3) * ${COMMON.length})::int]
      else (string_to_array(${tail}, ' '))[1 + floor(power(random(), 2) * ${syllables().length})::int] end`;
  await sql`insert into libraries (id, slug, name, province, kind)
    select 'lib-' || g, 'lib-' || g, 'Thư viện số ' || g, 'Tỉnh ' || g, 'provincial' from generate_series(1, 5) g`.execute(db);
  await sql`insert into collections (id, library_id, slug, title, category, default_access)
    select 'col-' || g, 'lib-' || (1 + g % 5), 'col-' || g, 'Bộ sưu tập ' || g,
           (array['dia-chi', 'rare', 'endogenous', 'other'])[1 + g % 4], case when g = 10 then 'restricted' else 'public' end
    from generate_series(1, 10) g`.execute(db);
  await sql`insert into items (id, collection_id, identifier, title, dublin_core, script, access_level, status)
    select 'item-' || g, 'col-' || (1 + g % 10), 'DC-' || g, t.title,
           jsonb_build_object('title', jsonb_build_array(jsonb_build_object('value', t.title)),
                              'date', jsonb_build_array(jsonb_build_object('value', (1850 + floor(random() * 150))::int::text)),
                              'creator', jsonb_build_array(jsonb_build_object('value', 'Nguyễn Văn ' || g))),
           case when g % 7 = 0 then 'Hani' else 'Latn' end,
           case when g % 20 = 0 then 'confidential' else null end, 'digitised'
    from generate_series(1, ${ITEMS}) g
    cross join lateral (select string_agg(${word}, ' ') as title from generate_series(1, 4 + g % 4) w where g > 0) t`.execute(db);
  const perItem = Math.ceil(PAGES / ITEMS);
  await sql`insert into pages (id, item_id, seq, master_key, master_sha256, master_size, content_type, status)
    select 'page-' || g, 'item-' || (1 + (g - 1) / ${perItem}), 1 + (g - 1) % ${perItem}, 'masters/' || g || '.tif',
           md5(g::text) || md5(g::text), 1000, 'image/tiff', 'done'
    from generate_series(1, ${PAGES}) g`.execute(db);
  // In slices, so progress shows and no single statement holds the whole text in memory.
  const slice = 10_000;
  for (let from = 1; from <= PAGES; from += slice) {
    await sql`insert into page_texts (page_id, item_id, text)
      select 'page-' || g, 'item-' || (1 + (g - 1) / ${perItem}), t.text
      from generate_series(${from}::int, ${Math.min(PAGES, from + slice - 1)}::int) g
      cross join lateral (select string_agg(${word}, ' ') as text from generate_series(1, ${WORDS_PER_PAGE}) w where g > 0) t`.execute(db);
    process.stdout.write(`  page_texts ${Math.min(PAGES, from + slice - 1)}/${PAGES}\r`);
  }
  process.stdout.write('\n');
  await sql`analyze`.execute(db);
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  const logger = pino({ level: 'silent' });
  const schema = `bench_search_${process.pid}`;
  const database: Database = USE_PGLITE
    ? await PgliteDatabase.open(IN_MEMORY)
    : await PostgresDatabase.open(DATABASE_URL, { schema, logger });
  try {
    await migrateToLatest(database);
    const t0 = performance.now();
    await fill(database);
    console.log(`${database.adapter}: filled ${PAGES} pages / ${ITEMS} items in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    for (const { query } of QUERIES) await searchCatalogue(database.db, query, ANONYMOUS); // warm caches
    const latencies: number[] = [];
    for (const { label, query } of QUERIES) {
      const started = performance.now();
      const response = await searchCatalogue(database.db, query, ANONYMOUS);
      const ms = performance.now() - started;
      latencies.push(ms);
      console.log(`${label.padEnd(22)} ${ms.toFixed(1).padStart(8)} ms  total ${String(response.total).padStart(5)}`);
    }
    latencies.sort((a, b) => a - b);
    console.log(`p50 ${percentile(latencies, 50).toFixed(1)} ms  p95 ${percentile(latencies, 95).toFixed(1)} ms  max ${latencies.at(-1)!.toFixed(1)} ms`);
  } finally {
    if (database.adapter === 'postgres') await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
    await database.close();
  }
}

await main();
