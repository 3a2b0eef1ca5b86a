import { sql, type RawBuilder } from 'kysely';
import { ConfigurationError } from '../../storage/index.ts';

/** Quotes a PostgreSQL identifier (schema, savepoint, …). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Accepts lower-case unquoted PostgreSQL identifiers only, so a schema name never needs escaping. */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new ConfigurationError(
      `Database schema name '${schema}' is not allowed: use lower-case letters, digits and underscores (at most 63, not starting with a digit)`,
    );
  }
  return schema;
}

/**
 * A collation-independent sort key for display text: diacritics folded (`immutable_unaccent`,
 * created by the first migration; đ → d), lower-cased, compared byte-wise. PGlite runs with the
 * C locale and a server may not, so ordering by the raw column would differ between adapters.
 */
export function foldedSortKey(column: string): RawBuilder<string> {
  return sql<string>`lower(immutable_unaccent(${sql.ref(column)})) collate "C"`;
}

/** Orders exactly by code point, whatever the database's default collation. */
export function byCodePoint(column: string): RawBuilder<string> {
  return sql<string>`${sql.ref(column)} collate "C"`;
}
