import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { ConfigurationError, UpstreamError } from '../../storage/index.ts';
import type { Database } from './database.port.ts';
import { describeCause, postgresErrorFields, translateDatabaseError } from './database-errors.ts';
import type { DatabaseSchema } from './schema.ts';
import { checkSchemaName, quoteIdentifier } from './sql-helpers.ts';
import { TYPE_PARSERS } from './type-parsers.ts';

export interface PostgresDatabaseOptions {
  /**
   * Put the tables in this schema instead of the user's default: the schema is created if
   * missing and every connection gets `search_path = <schema>, public` (the extensions stay
   * in `public`, shared). Tests use one schema per test file.
   */
  schema?: string;
  logger?: Logger;
  /** Pool size; default 10. */
  maxConnections?: number;
  /** How long to wait for a connection before failing; default 10 s. */
  connectTimeoutMs?: number;
}

/** Where a `DATABASE_URL` points, without its password. */
export interface PostgresLocation {
  host: string;
  port: number;
  database: string;
  user: string | undefined;
}

/**
 * Checks that `databaseUrl` is a PostgreSQL URL and says where it points. Throws
 * `ConfigurationError` for anything else (the message never repeats the URL: it may hold a
 * password).
 */
export function parseDatabaseUrl(databaseUrl: string): PostgresLocation {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(databaseUrl)?.[1]?.toLowerCase();
  if (scheme !== 'postgres' && scheme !== 'postgresql') {
    const got = scheme === undefined ? 'a value that is not a URL' : `a '${scheme}:' URL`;
    throw new ConfigurationError(
      `DATABASE_URL must be a PostgreSQL URL starting with postgres:// or postgresql:// (e.g. postgres://user:password@host:5432/database), but it is ${got}. Leave it unset to use the embedded database.`,
    );
  }
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch (error) {
    throw new ConfigurationError('DATABASE_URL is not a valid URL: check its spelling (and percent-encode special characters in the password)', {
      cause: error,
    });
  }
  const host = decodeURIComponent(url.hostname) || url.searchParams.get('host') || 'localhost';
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || url.searchParams.get('dbname') || '';
  return {
    host,
    port: url.port === '' ? 5432 : Number(url.port),
    database,
    user: url.username === '' ? undefined : decodeURIComponent(url.username),
  };
}

/** node-postgres type parsers: ours first, then pg's defaults. */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    const parser = format === 'binary' ? undefined : TYPE_PARSERS[oid];
    return parser ?? pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** A PostgreSQL server reached through a node-postgres pool. */
export class PostgresDatabase implements Database {
  readonly adapter = 'postgres' as const;
  readonly schema: string;
  readonly db: Kysely<DatabaseSchema>;
  readonly #location: PostgresLocation;
  readonly #schemaRequested: boolean;
  readonly #pool: pg.Pool;
  #closed: Promise<void> | undefined;

  private constructor(
    db: Kysely<DatabaseSchema>,
    pool: pg.Pool,
    location: PostgresLocation,
    schema: string,
    schemaRequested: boolean,
  ) {
    this.db = db;
    this.#pool = pool;
    this.#location = location;
    this.schema = schema;
    this.#schemaRequested = schemaRequested;
  }

  /**
   * Connects (one round trip, so a wrong address fails here and not at the first request),
   * creates the schema if one was asked for. Throws `ConfigurationError` for a URL that is not
   * PostgreSQL's, a failed login or a missing database; `UpstreamError` naming host and port
   * when the server cannot be reached.
   */
  static async open(databaseUrl: string, options: PostgresDatabaseOptions = {}): Promise<PostgresDatabase> {
    const location = parseDatabaseUrl(databaseUrl);
    const schema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      types: pgTypes,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      application_name: 'thu-vien-so',
      ...(schema === undefined ? {} : { options: `-c search_path=${schema},public` }),
    });
    pool.on('error', (error) => {
      // An idle connection died (server restart, network): the pool replaces it on demand.
      options.logger?.warn({ err: error, database: describeLocation(location) }, 'idle database connection failed');
    });

    let resolvedSchema: string;
    try {
      const result = await pool.query<{ schema: string | null }>('select current_schema() as schema');
      resolvedSchema = schema ?? result.rows[0]?.schema ?? 'public';
      if (schema !== undefined) await createSchema(pool, schema);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw connectError(error, location);
    }

    const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
    const database = new PostgresDatabase(db, pool, location, resolvedSchema, schema !== undefined);
    options.logger?.info({ database: database.describe() }, 'database opened');
    return database;
  }

  describe(): string {
    const schema = this.#schemaRequested ? ` (schema ${this.schema})` : '';
    return `PostgreSQL at ${describeLocation(this.#location)}${schema}`;
  }

  async ping(): Promise<void> {
    try {
      await sql`select 1`.execute(this.db);
    } catch (error) {
      throw new UpstreamError(`PostgreSQL at ${describeLocation(this.#location)} does not answer: ${describeCause(error)}`, {
        cause: error,
      });
    }
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      // Kysely only ends a pool it has used: end it ourselves if it has not.
      await this.db.destroy();
      if (!this.#pool.ended && !this.#pool.ending) await this.#pool.end();
    })();
    return this.#closed;
  }
}

function describeLocation(location: PostgresLocation): string {
  const user = location.user === undefined ? '' : `${location.user}@`;
  return `${user}${location.host}:${location.port}/${location.database}`;
}

async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`create schema if not exists ${quoteIdentifier(schema)}`);
  } catch (error) {
    // Two processes creating the same schema at once: the loser sees a duplicate.
    const code = postgresErrorFields(error)?.code;
    if (code !== '23505' && code !== '42P06') throw error;
  }
}

function connectError(error: unknown, location: PostgresLocation): Error {
  const where = describeLocation(location);
  const code = postgresErrorFields(error)?.code;
  if (code === '28P01' || code === '28000') {
    return new ConfigurationError(
      `PostgreSQL at ${where} refused the login: check the user name and password in DATABASE_URL`,
      { cause: error },
    );
  }
  if (code === '3D000') {
    return new ConfigurationError(`PostgreSQL at ${where}: the database '${location.database}' does not exist; create it first`, {
      cause: error,
    });
  }
  if (code !== undefined && !code.startsWith('08') && !code.startsWith('57P') && !code.startsWith('53')) {
    return translateDatabaseError(error);
  }
  return new UpstreamError(
    `Cannot connect to PostgreSQL at ${location.host}:${location.port} (database ${location.database}): ${describeCause(error)}. Check DATABASE_URL and that the server is running.`,
    { cause: error },
  );
}
