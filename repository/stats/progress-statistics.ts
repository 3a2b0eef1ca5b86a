import { sql, type Kysely } from 'kysely';
import { translateDatabaseError } from '../database/database-errors.ts';
import type { CollectionCategory } from '../database/domain.types.ts';
import type { DatabaseSchema } from '../database/schema.ts';
import { assessPace } from './assess-pace.ts';
import { addDays, parseDay, reportingDaySql } from './reporting-day.ts';

/** The figures shown for a collection and, summed, for a library. Counts only: no titles of items. */
export interface ProgressFigures {
  /** Documents held (the denominator): the collection's `holdingsCount`, or the library's sum. */
  holdings: number;
  /** Items registered in the database, in any status. */
  registered: number;
  /** Items with status `digitised` whose digitisation day is on or before the report day. */
  digitised: number;
  /** digitised ÷ holdings × 100, one decimal; 0 when holdings is 0. May exceed 100. */
  percentDigitised: number;
  /** Collection: its target, 0–100. Library: the holdings-weighted mean of its collections' targets, one decimal. */
  targetPercent: number;
  /** Collection: its deadline. Library: the latest deadline of its collections. */
  targetDate: string | null;
  /** See `assessPace`. Library: true when every collection with a target date is on track; null when none has one. */
  onTrack: boolean | null;
  /** See `assessPace`, one decimal. Null for a library. */
  neededPerMonth: number | null;
  /** See `assessPace`, one decimal. Null for a library. */
  achievedPerMonth: number | null;
  /** Pages with status `done` of the digitised items counted above. */
  pagesDigitised: number;
  /** Pages with status `failed` now, in any item (an operational figure, not dated). */
  failuresWaiting: number;
}

export interface CollectionProgress extends ProgressFigures {
  id: string;
  slug: string;
  title: string;
  category: CollectionCategory;
}

export interface LibraryProgress extends ProgressFigures {
  id: string;
  slug: string;
  name: string;
  province: string;
  collections: CollectionProgress[];
}

export interface ProgressStatistics {
  /** The report day: everything is counted as of the end of this day (Vietnam time). */
  asOf: string;
  libraries: LibraryProgress[];
}

export interface ProgressStatisticsOptions {
  /** The report day `YYYY-MM-DD`; the caller's clock decides it (see `reportingDay`). */
  today: string;
}

interface Row {
  library_id: string;
  library_slug: string;
  library_name: string;
  province: string;
  collection_id: string | null;
  collection_slug: string | null;
  collection_title: string | null;
  category: CollectionCategory | null;
  holdings: number | null;
  target_percent: number | null;
  target_date: string | null;
  registered: number;
  digitised: number;
  digitised_in_window: number;
  first_digitised_on: string | null;
  pages_digitised: number;
  failures_waiting: number;
}

/** One decimal, the rounding every consumer shows. */
export function roundOne(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * Digitisation progress of every library and collection as of the end of `today`: the one
 * query set behind the JSON API, the CSV report and any page, so their numbers cannot disagree.
 * Counting happens in one SQL statement (one snapshot of the database); the ratios and the pace
 * are derived from those counts by `assessPace` and the rules on `ProgressFigures`. Libraries
 * and collections are ordered by name/title with diacritics folded, then id; libraries without
 * collections are listed with zeros. Throws `InvalidInputError` for a malformed day.
 */
export async function progressStatistics(db: Kysely<DatabaseSchema>, options: ProgressStatisticsOptions): Promise<ProgressStatistics> {
  const today = parseDay(options.today, 'report day');
  const windowStart = addDays(today, -89);
  const day = reportingDaySql('i.digitised_at');
  const digitisedAsOf = sql`i.status = 'digitised' and (i.digitised_at is null or ${day} <= ${today}::date)`;
  let rows: Row[];
  try {
    const result = await sql<Row>`
      with item_counts as (
        select i.collection_id,
               count(*) as registered,
               count(*) filter (where ${digitisedAsOf}) as digitised,
               count(*) filter (where i.status = 'digitised' and ${day} between ${windowStart}::date and ${today}::date) as digitised_in_window,
               min(${day}) filter (where ${digitisedAsOf}) as first_digitised_on
          from items i
         group by i.collection_id
      ), page_counts as (
        select i.collection_id,
               count(*) filter (where p.status = 'done' and ${digitisedAsOf}) as pages_digitised,
               count(*) filter (where p.status = 'failed') as failures_waiting
          from pages p
          join items i on i.id = p.item_id
         group by i.collection_id
      )
      select l.id as library_id, l.slug as library_slug, l.name as library_name, l.province,
             c.id as collection_id, c.slug as collection_slug, c.title as collection_title, c.category,
             c.holdings_count as holdings, c.target_percent, c.target_date,
             coalesce(ic.registered, 0) as registered,
             coalesce(ic.digitised, 0) as digitised,
             coalesce(ic.digitised_in_window, 0) as digitised_in_window,
             ic.first_digitised_on,
             coalesce(pc.pages_digitised, 0) as pages_digitised,
             coalesce(pc.failures_waiting, 0) as failures_waiting
        from libraries l
        left join collections c on c.library_id = l.id
        left join item_counts ic on ic.collection_id = c.id
        left join page_counts pc on pc.collection_id = c.id
       order by lower(immutable_unaccent(l.name)) collate "C", l.id,
                lower(immutable_unaccent(c.title)) collate "C", c.id`.execute(db);
    rows = result.rows;
  } catch (error) {
    throw translateDatabaseError(error);
  }

  const libraries: LibraryProgress[] = [];
  for (const row of rows) {
    let library = libraries.at(-1);
    if (library?.id !== row.library_id) {
      library = { id: row.library_id, slug: row.library_slug, name: row.library_name, province: row.province, ...emptyFigures(), collections: [] };
      libraries.push(library);
    }
    if (row.collection_id === null) continue;
    library.collections.push(collectionProgress(row, today));
  }
  for (const library of libraries) Object.assign(library, libraryFigures(library.collections));
  return { asOf: today, libraries };
}

function collectionProgress(row: Row, today: string): CollectionProgress {
  const holdings = row.holdings ?? 0;
  const targetPercent = row.target_percent ?? 0;
  const pace = assessPace({
    today,
    holdings,
    targetPercent,
    targetDate: row.target_date,
    digitised: row.digitised,
    digitisedInWindow: row.digitised_in_window,
    firstDigitisedOn: row.first_digitised_on,
  });
  return {
    id: row.collection_id!,
    slug: row.collection_slug!,
    title: row.collection_title!,
    category: row.category!,
    holdings,
    registered: row.registered,
    digitised: row.digitised,
    percentDigitised: percent(row.digitised, holdings),
    targetPercent,
    targetDate: row.target_date,
    onTrack: pace.onTrack,
    neededPerMonth: pace.neededPerMonth === null ? null : roundOne(pace.neededPerMonth),
    achievedPerMonth: roundOne(pace.achievedPerMonth),
    pagesDigitised: row.pages_digitised,
    failuresWaiting: row.failures_waiting,
  };
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : roundOne((part / whole) * 100);
}

function emptyFigures(): ProgressFigures {
  return libraryFigures([]);
}

/** A library's figures from its collections' (see `ProgressFigures` for each rule). */
function libraryFigures(collections: readonly CollectionProgress[]): ProgressFigures {
  const sum = (pick: (collection: CollectionProgress) => number) => collections.reduce((total, c) => total + pick(c), 0);
  const holdings = sum((c) => c.holdings);
  const digitised = sum((c) => c.digitised);
  const dated = collections.filter((c) => c.targetDate !== null);
  return {
    holdings,
    registered: sum((c) => c.registered),
    digitised,
    percentDigitised: percent(digitised, holdings),
    targetPercent: holdings === 0 ? 0 : roundOne(sum((c) => c.targetPercent * c.holdings) / holdings),
    targetDate: dated.reduce<string | null>((latest, c) => (latest === null || c.targetDate! > latest ? c.targetDate : latest), null),
    onTrack: dated.length === 0 ? null : dated.every((c) => c.onTrack === true),
    neededPerMonth: null,
    achievedPerMonth: null,
    pagesDigitised: sum((c) => c.pagesDigitised),
    failuresWaiting: sum((c) => c.failuresWaiting),
  };
}
