import type { BurnUpPoint } from '../stats/digitised-per-day.ts';
import { addDays, daysBetween } from '../stats/reporting-day.ts';

/** Months shown by the burn-up chart, the current one included. */
export const BURN_UP_MONTHS = 12;

export interface MonthPoint {
  /** `YYYY-MM`. */
  month: string;
  /** The month's last day, or the report day for the current month. */
  day: string;
  cumulative: number;
}

export interface MonthlyBurnUp {
  from: string;
  to: string;
  /** Digitised before `from` (the line's starting value). */
  start: number;
  months: MonthPoint[];
  /** Documents to reach the target (holdings × target %); null without a deadline or target. */
  target: { count: number; day: string } | null;
}

/** The first day of the chart for report day `today`: the 1st of the month 11 months earlier. */
export function burnUpFrom(today: string): string {
  const [year, month] = today.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(year, month - 1 - (BURN_UP_MONTHS - 1), 1));
  return first.toISOString().slice(0, 10);
}

/**
 * The monthly burn-up of one collection from `digitisedPerDay`'s daily series (`from` to the
 * report day). `digitised` is the collection's figure from `progressStatistics`: documents
 * digitised with no recorded time count there on every day but have no day in the series, so
 * they are added to every point, and the last point equals the figure the tables show.
 */
export function monthlyBurnUp(input: {
  points: readonly BurnUpPoint[];
  digitised: number;
  holdings: number;
  targetPercent: number;
  targetDate: string | null;
}): MonthlyBurnUp {
  const { points } = input;
  const first = points[0];
  const last = points.at(-1);
  if (first === undefined || last === undefined) throw new Error('monthlyBurnUp needs at least one day');
  const undated = Math.max(0, input.digitised - last.cumulative);
  const months: MonthPoint[] = [];
  for (const point of points) {
    const month = point.day.slice(0, 7);
    const entry = { month, day: point.day, cumulative: point.cumulative + undated };
    if (months.at(-1)?.month === month) months[months.length - 1] = entry;
    else months.push(entry);
  }
  const count = Math.round((input.holdings * input.targetPercent) / 100);
  return {
    from: first.day,
    to: last.day,
    start: first.cumulative - first.digitised + undated,
    months,
    target: input.targetDate === null || count === 0 ? null : { count, day: input.targetDate },
  };
}

/** Position of `day` in [0, 1] over the chart's days (may fall outside for a far deadline). */
export function dayFraction(from: string, to: string, day: string): number {
  const span = Math.max(1, daysBetween(from, to));
  return daysBetween(from, day) / span;
}

export { addDays };
