import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Database } from './database.port.ts';
import { PgliteDatabase } from './pglite.database.ts';
import { PostgresDatabase } from './postgres.database.ts';

export interface OpenDatabaseOptions {
  /** `DATABASE_URL`; unset or empty → the embedded database under `dataDir/db`. */
  databaseUrl?: string | undefined;
  /** `DATA_DIR`: the embedded database lives in its `db` sub-directory. */
  dataDir: string;
  /** Tables in this schema instead of the default one (tests). */
  schema?: string | undefined;
  logger: Logger;
}

/**
 * Picks the adapter from the configuration: PostgreSQL when a URL is given (throws
 * `ConfigurationError` if it is not a postgres:// URL, `UpstreamError` if the server cannot be
 * reached), PGlite in `dataDir/db` otherwise. Does not migrate: call `migrateToLatest` next.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const logger = options.logger.child({ component: 'database' });
  const schema = options.schema === undefined || options.schema === '' ? {} : { schema: options.schema };
  if (options.databaseUrl !== undefined && options.databaseUrl.trim() !== '') {
    return PostgresDatabase.open(options.databaseUrl.trim(), { ...schema, logger });
  }
  return PgliteDatabase.open(embeddedDatabaseDir(options.dataDir), { ...schema, logger });
}

/** Where the embedded (PGlite) database of a `DATA_DIR` lives: the server opens it there, backup and restore copy it. */
export function embeddedDatabaseDir(dataDir: string): string {
  return join(dataDir, 'db');
}
