/**
 * Digitisation progress statistics, the progress report and the holdings import. Wire the two
 * routers (`statsRoutes`, `holdingsImportRoutes`) into the app; everything else is for pages and
 * scripts that need the same numbers.
 */
export {
  progressStatistics,
  roundOne,
  type ProgressStatistics,
  type ProgressStatisticsOptions,
  type LibraryProgress,
  type CollectionProgress,
  type ProgressFigures,
} from './progress-statistics.ts';
export { assessPace, DAYS_PER_MONTH, PACE_WINDOW_DAYS, type Pace, type PaceInput } from './assess-pace.ts';
export {
  digitisedPerDay,
  MAX_BURN_UP_DAYS,
  type BurnUpPoint,
  type CollectionBurnUp,
  type DigitisedPerDayOptions,
} from './digitised-per-day.ts';
export { progressReportCsv, PROGRESS_CSV_COLUMNS, UTF8_BOM } from './progress-report-csv.ts';
export {
  importHoldings,
  HOLDINGS_FIELD_LIMITS,
  type HoldingsImportOptions,
  type HoldingsImportResult,
  type HoldingsProblem,
  type HoldingsSkipCode,
} from './import-holdings.ts';
export { parseCsv, type CsvProblem, type CsvRow } from './parse-csv.ts';
export { formatCsv } from './format-csv.ts';
export { reportingDay, REPORTING_UTC_OFFSET_HOURS } from './reporting-day.ts';
export { statsRoutes, type StatsRoutesDependencies } from '../http/stats.routes.ts';
export {
  holdingsImportRoutes,
  HOLDINGS_IMPORT_MAX_BYTES,
  type HoldingsImportRoutesDependencies,
} from '../http/holdings-import.routes.ts';
