import type { Kysely } from 'kysely';
import type { DatabaseSchema } from './schema.ts';

/** Which technology answers the queries. Both speak the same SQL dialect (PostgreSQL). */
export type DatabaseAdapter = 'pglite' | 'postgres';

/**
 * A connection to the product's PostgreSQL database, embedded (PGlite) or a real server.
 *
 * Both adapters return the same JavaScript types for the same SQL types:
 * `int8`/`count(*)`/`numeric` → `number`, `date` → `'YYYY-MM-DD'` string (never shifted by
 * the process time zone), `timestamptz` → `Date`, `json`/`jsonb` → parsed value.
 * Write jsonb values as `JSON.stringify(...)` strings: node-postgres would otherwise send a
 * JavaScript array as a PostgreSQL array literal.
 */
export interface Database {
  readonly adapter: DatabaseAdapter;
  /** The schema that unqualified table names resolve to (`public` unless one was asked for). */
  readonly schema: string;
  readonly db: Kysely<DatabaseSchema>;
  /** Where the data lives, for logs: never contains a password. */
  describe(): string;
  /** Round trip to the database; throws `UpstreamError` when it cannot be reached. */
  ping(): Promise<void>;
  /** Releases every connection (or stops the embedded engine). Idempotent. */
  close(): Promise<void>;
}
