import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../database/database.port.ts';
import type { DatabaseSchema } from '../database/schema.ts';

/**
 * One table row as PostgreSQL's `to_jsonb` renders it in a session set to UTC: snake_case
 * columns, timestamps to the microsecond (a JavaScript Date would drop the last three
 * digits), jsonb columns as nested JSON. Read back with `jsonb_populate_record` it is the
 * same row, which is what lets the catalogue be rebuilt exactly from its records.
 */
export type Row = Record<string, unknown>;

type Executor = Kysely<DatabaseSchema>;

/** The tables the records describe, in the order foreign keys let them be filled, each with the column that orders it. */
export const CATALOGUE_TABLES = [
  { table: 'libraries', key: 'id' },
  { table: 'collections', key: 'id' },
  { table: 'items', key: 'id' },
  { table: 'pages', key: 'id' },
  { table: 'page_texts', key: 'page_id' },
  { table: 'stored_objects', key: 'key' },
] as const;

export type CatalogueTable = (typeof CATALOGUE_TABLES)[number]['table'];

/**
 * Runs `read` in one repeatable-read snapshot with timestamps rendered in UTC. Keep it to
 * queries: on PGlite every other query waits while the transaction is open.
 */
export function inUtcSnapshot<T>(database: Database, read: (trx: Executor) => Promise<T>): Promise<T> {
  return database.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await sql`set local time zone 'UTC'`.execute(trx);
      return read(trx);
    });
}

/** The `row` column of each result row of `query` (a `select to_jsonb(…) as row …`). */
export async function selectRows(executor: Executor, query: RawBuilder<{ row: Row }>): Promise<Row[]> {
  return (await query.execute(executor)).rows.map((result) => result.row);
}

/** Columns of `table` a row may be inserted with: every one but the generated ones PostgreSQL computes itself. */
export async function insertableColumns(executor: Executor, table: CatalogueTable): Promise<string[]> {
  const result = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} and is_generated = 'NEVER'
    order by ordinal_position`.execute(executor);
  return result.rows.map((row) => row.column_name);
}

/** Inserts `row` (as read by {@link selectRows}) into `table`, every value exactly as it was. */
export async function insertRow(executor: Executor, table: CatalogueTable, columns: readonly string[], row: Row): Promise<void> {
  const list = sql.join(columns.map((column) => sql.ref(column)));
  await sql`insert into ${sql.table(table)} (${list})
    select ${list} from jsonb_populate_record(null::${sql.table(table)}, ${JSON.stringify(row)}::jsonb)`.execute(executor);
}
