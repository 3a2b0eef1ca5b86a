import {
  DEFAULT_MIGRATION_LOCK_TABLE,
  DEFAULT_MIGRATION_TABLE,
  Kysely,
  PostgresDialect,
  PostgresIntrospector,
  sql,
  type ColumnMetadata,
  type DatabaseIntrospector,
  type DatabaseMetadataOptions,
  type PostgresDialectConfig,
  type TableMetadata,
} from 'kysely';
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

    const db = new Kysely<DatabaseSchema>({ dialect: new SchemaScopedPostgresDialect({ pool }, resolvedSchema) });
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

/**
 * Kysely's PostgreSQL dialect, except that introspection (`db.introspection.getTables()`) sees
 * the tables of one schema only, this database's. Kysely's Migrator calls it on every run, to
 * learn whether its bookkeeping tables exist.
 *
 * Kysely's own introspector reads every table of every schema of the database, and resolves
 * each schema, table and column by name as it goes (`has_schema_privilege(nspname, …)`,
 * `pg_get_serial_sequence('schema.table', 'column')`). The catalogue scan sees the query's
 * snapshot but those functions look the names up in the live catalogue: a schema that another
 * session drops in between fails the whole query (`schema "…" does not exist`, 3F000; also
 * seen: `column "…" of relation "…" does not exist`, 42703). So a process starting, or
 * migrating, while another tenant's or test's schema was dropped failed for a reason that was
 * none of its business. This one reads only its own schema, and looks everything up by OID.
 */
class SchemaScopedPostgresDialect extends PostgresDialect {
  readonly #schema: string;

  constructor(config: PostgresDialectConfig, schema: string) {
    super(config);
    this.#schema = schema;
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SchemaScopedPostgresIntrospector(db, this.#schema);
  }
}

interface ColumnRow {
  table: string;
  is_view: boolean;
  column: string;
  type: string;
  type_schema: string;
  not_null: boolean;
  has_default: boolean;
  auto_incrementing: boolean;
  comment: string | null;
}

/** `getSchemas` is Kysely's (a plain scan of `pg_namespace`); `getTables` reads one schema. */
class SchemaScopedPostgresIntrospector extends PostgresIntrospector {
  readonly #db: Kysely<unknown>;
  readonly #schema: string;

  constructor(db: Kysely<unknown>, schema: string) {
    super(db);
    this.#db = db;
    this.#schema = schema;
  }

  override async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    const kyselyTables = options.withInternalKyselyTables
      ? sql``
      : sql`and c.relname not in (${DEFAULT_MIGRATION_TABLE}, ${DEFAULT_MIGRATION_LOCK_TABLE})`;
    // Auto-incrementing: what pg_get_serial_sequence() finds (a sequence owned by the column,
    // serial or identity), looked up by OID.
    const { rows } = await sql<ColumnRow>`
      select c.relname as table, c.relkind = 'v' as is_view, a.attname as column,
             t.typname as type, tn.nspname as type_schema, a.attnotnull as not_null,
             a.atthasdef as has_default, col_description(c.oid, a.attnum) as comment,
             exists (
               select from pg_catalog.pg_depend d join pg_catalog.pg_class s on s.oid = d.objid
               where d.classid = 'pg_catalog.pg_class'::regclass and s.relkind = 'S'
                 and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = c.oid
                 and d.refobjsubid = a.attnum and d.deptype in ('a', 'i')
             ) as auto_incrementing
      from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        join pg_catalog.pg_attribute a on a.attrelid = c.oid
        join pg_catalog.pg_type t on t.oid = a.atttypid
        join pg_catalog.pg_namespace tn on tn.oid = t.typnamespace
      where n.nspname = ${this.#schema} and has_schema_privilege(n.oid, 'USAGE')
        and c.relkind in ('r', 'v', 'p') and a.attnum > 0 and not a.attisdropped
        ${kyselyTables}
      order by c.relname, a.attnum`.execute(this.#db);

    const tables = new Map<string, { name: string; schema: string; isView: boolean; columns: ColumnMetadata[] }>();
    for (const row of rows) {
      let table = tables.get(row.table);
      if (table === undefined) {
        table = { name: row.table, schema: this.#schema, isView: row.is_view, columns: [] };
        tables.set(row.table, table);
      }
      table.columns.push({
        name: row.column,
        dataType: row.type,
        dataTypeSchema: row.type_schema,
        isNullable: !row.not_null,
        hasDefaultValue: row.has_default,
        isAutoIncrementing: row.auto_incrementing,
        ...(row.comment === null ? {} : { comment: row.comment }),
      });
    }
    return [...tables.values()];
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
