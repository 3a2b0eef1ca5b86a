import type { Request } from 'express';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../database/schema.ts';
import { FixityCheckRepository, type FixityFailure } from '../fixity/fixity-check.repository.ts';
import { digitisedPerDay } from '../stats/digitised-per-day.ts';
import { progressStatistics, type ProgressStatistics } from '../stats/progress-statistics.ts';
import { parseDay, reportingDay } from '../stats/reporting-day.ts';
import { burnUpFrom, monthlyBurnUp, type MonthlyBurnUp } from './monthly-burn-up.ts';

/**
 * The data of `/quan-tri` and `/quan-tri/bao-cao`: `progressStatistics` (the one source of the
 * JSON API and the CSV) as of `?date=YYYY-MM-DD` or today by `clock`, and, when `charts`, the
 * 12-month burn-up of every collection and the objects failing their fixity audit. Throws `InvalidInputError` for a malformed date.
 */
export async function loadAdminPage(
  db: Kysely<DatabaseSchema>,
  req: Request,
  clock: () => Date,
  charts: boolean,
): Promise<{ statistics: ProgressStatistics; charts?: Map<string, MonthlyBurnUp>; fixityFailures?: FixityFailure[] }> {
  const today = req.query.date === undefined ? reportingDay(clock()) : parseDay(req.query.date, 'query "date"');
  const statistics = await progressStatistics(db, { today });
  if (!charts) return { statistics };
  const series = await digitisedPerDay(db, { from: burnUpFrom(today), to: today });
  const byId = new Map(series.map((entry) => [entry.collectionId, entry.points]));
  const result = new Map<string, MonthlyBurnUp>();
  for (const library of statistics.libraries) {
    for (const collection of library.collections) {
      const points = byId.get(collection.id);
      if (points === undefined || points.length === 0) continue;
      result.set(collection.id, monthlyBurnUp({ points, ...collection }));
    }
  }
  return { statistics, charts: result, fixityFailures: await new FixityCheckRepository(db).failures(100) };
}
