/**
 * Text-format parsers shared by both adapters so that PGlite and node-postgres hand back the
 * same JavaScript values. Keys are PostgreSQL type OIDs.
 *
 * - `int8` (also `count(*)`, `sum(int)`) and `numeric` → number. The schema keeps byte sizes
 *   and counts far below 2^53; avoid `numeric` columns, use integer or double precision.
 * - `date` → the `YYYY-MM-DD` text as PostgreSQL sent it. node-postgres would build a Date at
 *   local midnight, which shifts the day when serialised in any zone east of UTC.
 * `timestamptz` → Date and `json`/`jsonb` → parsed value are already the default of both.
 */
export const PG_TYPE_OIDS = {
  INT8: 20,
  DATE: 1082,
  NUMERIC: 1700,
} as const;

const toNumber = (value: string): number => Number(value);
const keepText = (value: string): string => value;

export const TYPE_PARSERS: Readonly<Record<number, (value: string) => unknown>> = Object.freeze({
  [PG_TYPE_OIDS.INT8]: toNumber,
  [PG_TYPE_OIDS.NUMERIC]: toNumber,
  [PG_TYPE_OIDS.DATE]: keepText,
});
