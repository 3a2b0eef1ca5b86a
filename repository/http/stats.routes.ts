import { Router, type Request } from 'express';
import type { Database } from '../database/database.port.ts';
import { digitisedPerDay } from '../stats/digitised-per-day.ts';
import { progressReportCsv } from '../stats/progress-report-csv.ts';
import { progressStatistics, type ProgressStatistics } from '../stats/progress-statistics.ts';
import { addDays, parseDay, reportingDay } from '../stats/reporting-day.ts';

export interface StatsRoutesDependencies {
  database: Database;
  /** The only source of "now": decides the report day and `generatedAt`. */
  clock: () => Date;
}

/**
 * Digitisation progress for administrators. Counts only (no item titles), which the access
 * decision (design §6) allows for every viewer.
 *
 * - `GET /api/stats/progress[?date=YYYY-MM-DD]` → `{ generatedAt, asOf, libraries: [...] }`
 *   (see `progressStatistics`). `date` re-runs the report as of that day (default: today in
 *   Vietnam by the clock), so a yearly report can be reproduced later.
 * - `GET /api/reports/progress.csv[?date=…]` → the same numbers as CSV (see `progressReportCsv`),
 *   as the attachment `bao-cao-tien-do-{asOf}.csv`.
 * - `GET /api/stats/digitised-per-day?from=…&to=…` → `{ from, to, collections: [...] }` for the burn-up chart
 *   (see `digitisedPerDay`); `to` defaults to today, `from` to 89 days before `to`.
 */
export function statsRoutes(deps: StatsRoutesDependencies): Router {
  const { database, clock } = deps;
  const router = Router();

  const report = async (req: Request): Promise<{ generatedAt: Date; statistics: ProgressStatistics }> => {
    const generatedAt = clock();
    const today = req.query.date === undefined ? reportingDay(generatedAt) : parseDay(req.query.date, 'query "date"');
    return { generatedAt, statistics: await progressStatistics(database.db, { today }) };
  };

  router.get('/api/stats/progress', async (req, res) => {
    const { generatedAt, statistics } = await report(req);
    res.set('Cache-Control', 'no-store').json({ generatedAt: generatedAt.toISOString(), ...statistics });
  });

  router.get('/api/reports/progress.csv', async (req, res) => {
    const { statistics } = await report(req);
    res
      .status(200)
      .set({
        'Content-Type': 'text/csv; charset=utf-8; header=present',
        'Content-Disposition': `attachment; filename="bao-cao-tien-do-${statistics.asOf}.csv"`,
        'Cache-Control': 'no-store',
      })
      .send(Buffer.from(progressReportCsv(statistics), 'utf8'));
  });

  router.get('/api/stats/digitised-per-day', async (req, res) => {
    const to = req.query.to === undefined ? reportingDay(clock()) : parseDay(req.query.to, 'query "to"');
    const from = req.query.from === undefined ? addDays(to, -89) : parseDay(req.query.from, 'query "from"');
    res.set('Cache-Control', 'no-store').json({ from, to, collections: await digitisedPerDay(database.db, { from, to }) });
  });

  return router;
}
