import { Migrator, type MigrationProvider } from 'kysely';
import type { Logger } from 'pino';
import { UpstreamError } from '../../storage/index.ts';
import type { Database } from './database.port.ts';
import { describeCause } from './database-errors.ts';
import { MIGRATIONS } from './migrations/index.ts';

const provider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};

function migrator(database: Database): Migrator {
  return new Migrator({
    db: database.db,
    provider,
    // Kysely looks for its bookkeeping tables in every schema unless told which one: with
    // several schemas in one database (tests) it must be this database's own. (It finds out
    // whether they exist through the dialect's introspector, which the PostgreSQL adapter
    // limits to this schema: see `SchemaScopedPostgresDialect`.)
    migrationTableSchema: database.schema,
  });
}

/**
 * Brings the schema up to date; run at every start. Safe when several processes start at
 * once: Kysely's migration lock (a PostgreSQL advisory lock) lets one migrate while the
 * others wait, then finds nothing left to do. All pending migrations run in one transaction.
 * Returns the names of the migrations it applied (empty when already up to date). Throws
 * `UpstreamError` (not retryable) naming the migration that failed.
 */
export async function migrateToLatest(database: Database, logger?: Logger): Promise<string[]> {
  const { error, results = [] } = await migrator(database).migrateToLatest();
  const failed = results.find((result) => result.status === 'Error');
  if (error !== undefined) {
    const which = failed ? ` at migration ${failed.migrationName}` : '';
    throw new UpstreamError(`Database migration failed${which} on ${database.describe()}: ${describeCause(error)}`, {
      cause: error,
      retryable: false,
    });
  }
  const applied = results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
  if (applied.length > 0) logger?.info({ migrations: applied, database: database.describe() }, 'database migrated');
  return applied;
}

/** Names of the migrations already applied, oldest first. */
export async function appliedMigrations(database: Database): Promise<string[]> {
  const migrations = await migrator(database).getMigrations();
  return migrations.filter((migration) => migration.executedAt !== undefined).map((migration) => migration.name);
}
