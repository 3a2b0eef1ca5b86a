import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import { UpstreamError } from '../../storage/index.ts';
import type { Database } from './database.port.ts';
import { describeCause, translateDatabaseError } from './database-errors.ts';
import { PgliteDialect } from './pglite.dialect.ts';
import type { DatabaseSchema } from './schema.ts';
import { checkSchemaName, quoteIdentifier } from './sql-helpers.ts';
import { TYPE_PARSERS } from './type-parsers.ts';

export interface PgliteDatabaseOptions {
  /** Put the tables in this schema (created if missing) instead of `public`. */
  schema?: string;
  logger?: Logger;
}

/** The keyword for a database that lives in memory and vanishes on close (tests). */
export const IN_MEMORY = 'memory';

/**
 * Embedded PostgreSQL (PGlite, WebAssembly) with the `unaccent` and `pg_trgm` extensions
 * available (the first migration creates them). Data lives in a directory (`DATA_DIR/db` in
 * the embedded default) or in memory.
 *
 * One process per data directory: PGlite has no locking of its own between processes.
 */
export class PgliteDatabase implements Database {
  readonly adapter = 'pglite' as const;
  readonly schema: string;
  readonly db: Kysely<DatabaseSchema>;
  readonly #location: string;
  readonly #pglite: PGlite;
  #closed: Promise<void> | undefined;

  private constructor(db: Kysely<DatabaseSchema>, pglite: PGlite, location: string, schema: string) {
    this.db = db;
    this.#pglite = pglite;
    this.#location = location;
    this.schema = schema;
  }

  /**
   * Opens (creating if needed) the database in directory `location`, or in memory when
   * `location` is `'memory'`. Throws `UpstreamError` naming the directory when PGlite cannot
   * start there.
   */
  static async open(location: string, options: PgliteDatabaseOptions = {}): Promise<PgliteDatabase> {
    const schema = checkSchemaName(options.schema ?? 'public');
    const inMemory = location === IN_MEMORY;
    const directory = inMemory ? IN_MEMORY : resolve(location);
    let pglite: PGlite;
    try {
      if (!inMemory) await mkdir(directory, { recursive: true });
      pglite = await PGlite.create({
        ...(inMemory ? {} : { dataDir: directory }),
        extensions: { unaccent, pg_trgm },
        parsers: { ...TYPE_PARSERS },
      });
    } catch (error) {
      throw new UpstreamError(
        `Cannot start the embedded database (PGlite) ${inMemory ? 'in memory' : `in ${directory}`}: ${describeCause(error)}. Check that the directory is writable and not used by another process.`,
        { cause: error, retryable: false },
      );
    }
    const database = new PgliteDatabase(
      new Kysely<DatabaseSchema>({ dialect: new PgliteDialect(pglite) }),
      pglite,
      directory,
      schema,
    );
    try {
      if (schema !== 'public') {
        await sql`create schema if not exists ${sql.raw(quoteIdentifier(schema))}`.execute(database.db);
        await sql`set search_path to ${sql.raw(quoteIdentifier(schema))}, public`.execute(database.db);
      }
    } catch (error) {
      await database.close();
      throw translateDatabaseError(error);
    }
    options.logger?.info({ database: database.describe() }, 'database opened');
    return database;
  }

  describe(): string {
    const where = this.#location === IN_MEMORY ? 'in memory' : `at ${this.#location}`;
    const schema = this.schema === 'public' ? '' : ` (schema ${this.schema})`;
    return `PGlite (embedded PostgreSQL) ${where}${schema}`;
  }

  async ping(): Promise<void> {
    try {
      await sql`select 1`.execute(this.db);
    } catch (error) {
      throw new UpstreamError(`The embedded database ${this.describe()} does not answer: ${describeCause(error)}`, {
        cause: error,
      });
    }
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      // Kysely only tears down a driver it has used: close PGlite ourselves if it has not.
      await this.db.destroy();
      if (!this.#pglite.closed) await this.#pglite.close();
    })();
    return this.#closed;
  }
}
