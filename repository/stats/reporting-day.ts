import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';
import { parseInput } from '../database/validation.ts';

/**
 * Statistics count calendar days in Vietnam (UTC+7, no daylight saving since 1975), whatever
 * the time zone of the server or of the database session: an item digitised at 23:30 in
 * Hà Nội counts on that day, on every machine.
 */
export const REPORTING_UTC_OFFSET_HOURS = 7;

const MS_PER_DAY = 86_400_000;

/** A calendar day `YYYY-MM-DD` (a real date: 2026-02-30 is refused). */
export const isoDay = z.iso.date();

/** Validates a `YYYY-MM-DD` day; throws `InvalidInputError` naming `what`. */
export function parseDay(value: unknown, what: string): string {
  return parseInput(isoDay, value, what);
}

/** The reporting day (Vietnam) an instant falls on. */
export function reportingDay(instant: Date): string {
  return new Date(instant.getTime() + REPORTING_UTC_OFFSET_HOURS * 3_600_000).toISOString().slice(0, 10);
}

/** SQL: the reporting day (Vietnam) of a `timestamptz` column, as a `date`. */
export function reportingDaySql(column: string): RawBuilder<string> {
  return sql<string>`((${sql.ref(column)} at time zone 'UTC') + make_interval(hours => ${sql.lit(REPORTING_UTC_OFFSET_HOURS)}))::date`;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / MS_PER_DAY);
}

/** The day `days` after `day` (before, when negative). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);
}
