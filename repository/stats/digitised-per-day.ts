import { sql, type Kysely } from 'kysely';
import { InvalidInputError } from '../../storage/index.ts';
import { translateDatabaseError } from '../database/database-errors.ts';
import type { DatabaseSchema } from '../database/schema.ts';
import { addDays, daysBetween, parseDay, reportingDaySql } from './reporting-day.ts';

/** Longest range one call may ask for (about ten years of days). */
export const MAX_BURN_UP_DAYS = 3660;

export interface BurnUpPoint {
  day: string;
  /** Items digitised on this day. */
  digitised: number;
  /** Items digitised on or before this day, since the beginning (not since `from`). */
  cumulative: number;
}

export interface CollectionBurnUp {
  collectionId: string;
  libraryId: string;
  /** One point per day from `from` to `to`, both included, with no gaps. */
  points: BurnUpPoint[];
}

export interface DigitisedPerDayOptions {
  /** First day, `YYYY-MM-DD`. */
  from: string;
  /** Last day, `YYYY-MM-DD`, not before `from`. */
  to: string;
}

/**
 * Items digitised per reporting day (Vietnam), by collection, with the running total: the data
 * of a burn-up chart. Counts the same items as `progressStatistics` (status `digitised`, by the
 * day of `digitisedAt`), so the last cumulative value of a series whose `to` is the report day
 * equals that collection's `digitised`, except for items with no recorded digitisation time,
 * which have no day to be plotted on. Every collection gets a series, ordered by id. Throws
 * `InvalidInputError` for malformed days, `to` before `from`, or a range over MAX_BURN_UP_DAYS.
 */
export async function digitisedPerDay(db: Kysely<DatabaseSchema>, options: DigitisedPerDayOptions): Promise<CollectionBurnUp[]> {
  const from = parseDay(options.from, 'first day (from)');
  const to = parseDay(options.to, 'last day (to)');
  const span = daysBetween(from, to) + 1;
  if (span < 1) throw new InvalidInputError(`The last day (${to}) is before the first day (${from}): swap them`);
  if (span > MAX_BURN_UP_DAYS) throw new InvalidInputError(`Ask for at most ${MAX_BURN_UP_DAYS} days at once; ${from} to ${to} is ${span}`);

  const day = reportingDaySql('i.digitised_at');
  let collections: { id: string; library_id: string }[];
  let counts: { collection_id: string; day: string | null; digitised: number }[];
  try {
    // One statement, one snapshot: per collection, the items before `from` (day null) and per day in the range.
    const result = await sql<{ id: string; library_id: string; day: string | null; digitised: number | null }>`
      with counted as (
        select i.collection_id,
               case when ${day} < ${from}::date then null else ${day} end as day,
               count(*) as digitised
          from items i
         where i.status = 'digitised' and i.digitised_at is not null and ${day} <= ${to}::date
         group by 1, 2
      )
      select c.id, c.library_id, counted.day, counted.digitised
        from collections c
        left join counted on counted.collection_id = c.id
       order by c.id, counted.day nulls first`.execute(db);
    collections = [];
    counts = [];
    for (const row of result.rows) {
      if (collections.at(-1)?.id !== row.id) collections.push({ id: row.id, library_id: row.library_id });
      if (row.digitised !== null) counts.push({ collection_id: row.id, day: row.day, digitised: row.digitised });
    }
  } catch (error) {
    throw translateDatabaseError(error);
  }

  const byCollection = new Map<string, typeof counts>();
  for (const count of counts) byCollection.set(count.collection_id, [...(byCollection.get(count.collection_id) ?? []), count]);
  return collections.map((collection) => {
    const mine = byCollection.get(collection.id) ?? [];
    const before = mine.find((count) => count.day === null)?.digitised ?? 0;
    const byDay = new Map(mine.filter((count) => count.day !== null).map((count) => [count.day!, count.digitised]));
    let cumulative = before;
    const points: BurnUpPoint[] = [];
    for (let offset = 0; offset < span; offset += 1) {
      const current = addDays(from, offset);
      const digitised = byDay.get(current) ?? 0;
      cumulative += digitised;
      points.push({ day: current, digitised, cumulative });
    }
    return { collectionId: collection.id, libraryId: collection.library_id, points };
  });
}
