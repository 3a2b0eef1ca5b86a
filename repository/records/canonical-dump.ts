import { sql } from 'kysely';
import type { Database } from '../database/database.port.ts';
import { CATALOGUE_TABLES, inUtcSnapshot, type CatalogueTable } from './catalogue-rows.ts';

/** Rows per query: the dump never holds a whole table. */
const PAGE_SIZE = 1000;

/**
 * Every row of one catalogue table as canonical text (`to_jsonb` in UTC: fixed key order,
 * microsecond timestamps), ordered by its key in byte order; paged by key. Two databases hold
 * the same catalogue exactly when these lines are equal, table by table.
 */
export async function* canonicalRows(database: Database, table: CatalogueTable): AsyncGenerator<string> {
  const key = CATALOGUE_TABLES.find((entry) => entry.table === table)!.key;
  const ordered = sql`${sql.ref(`t.${key}`)} collate "C"`;
  let after: string | undefined;
  for (;;) {
    const from = after;
    const rows = await inUtcSnapshot(database, async (trx) =>
      (
        await sql<{ line: string; key: string }>`
          select to_jsonb(t)::text as line, ${sql.ref(`t.${key}`)} as key from ${sql.table(table)} t
          where ${from === undefined ? sql`true` : sql`${ordered} > ${from}`}
          order by ${ordered} limit ${PAGE_SIZE}`.execute(trx)
      ).rows,
    );
    for (const row of rows) yield row.line;
    if (rows.length < PAGE_SIZE) return;
    after = rows.at(-1)!.key;
  }
}

export interface CatalogueDifference {
  table: CatalogueTable;
  /** The first row where the two differ (undefined: that side has no more rows). */
  left?: string;
  right?: string;
  /** Rows compared up to and including the difference. */
  position: number;
}

/** The first difference in each catalogue table between two databases; empty when they hold the same catalogue. */
export async function compareCatalogues(left: Database, right: Database): Promise<CatalogueDifference[]> {
  const differences: CatalogueDifference[] = [];
  for (const { table } of CATALOGUE_TABLES) {
    const a = canonicalRows(left, table);
    const b = canonicalRows(right, table);
    for (let position = 1; ; position++) {
      const [x, y] = await Promise.all([a.next(), b.next()]);
      if (x.done && y.done) break;
      if (x.value !== y.value) {
        differences.push({ table, position, ...(x.done ? {} : { left: x.value }), ...(y.done ? {} : { right: y.value }) });
        await Promise.all([a.return(undefined), b.return(undefined)]);
        break;
      }
    }
  }
  return differences;
}
