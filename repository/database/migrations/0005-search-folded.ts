import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Site search matches stored folded text instead of folding at query time: the trigram index
 * only narrows the candidates, and PostgreSQL then rechecks `LIKE` on every candidate row, which
 * with an expression index re-ran `unaccent` over each candidate page's whole OCR text.
 * - `page_texts.folded`: `lower(immutable_unaccent(text))`, stored, with the trigram index
 *   that replaces the expression index of 0003 (only search used it).
 * - `items.search_folded`: the title and the searched Dublin Core elements (title, creator,
 *   subject, description, coverage, contributor, publisher), folded the same way, stored, with
 *   a trigram index. A generated column may not hold a subquery, so the extraction lives in an
 *   immutable function. `items_title_folded_trgm_idx` stays: item listings filter on it.
 *
 * Every statement is its own query (PGlite, see 0001).
 */
export const migration0005SearchFolded: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Qualified like in 0001: the operator class lives with the extension, maybe outside search_path.
    const { rows } = await sql<{ trgm: string | null; own: string }>`
      select (select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace
              where e.extname = 'pg_trgm') as trgm,
             current_schema() as own`.execute(db);
    const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
    const trgmSchema = quote(rows[0]?.trgm ?? 'public');
    // The function body is resolved when it runs, maybe under a restricted search_path
    // (index and generated-column maintenance): qualify it with this schema.
    const own = quote(rows[0]?.own ?? 'public');
    for (const statement of [
      `create function search_metadata_folded(title text, dublin_core jsonb) returns text
         language sql immutable parallel safe
         as $$ select lower(${own}.immutable_unaccent(title || ' ' || coalesce((
           select string_agg(v.value ->> 'value', ' ')
           from jsonb_each(dublin_core) e, jsonb_array_elements(e.value) v
           where e.key in ('title', 'creator', 'subject', 'description', 'coverage', 'contributor', 'publisher')
             and jsonb_typeof(e.value) = 'array'), ''))) $$`,
      `alter table items add column search_folded text
         generated always as (${own}.search_metadata_folded(title, dublin_core)) stored`,
      `create index items_search_folded_trgm_idx on items using gin (search_folded ${trgmSchema}.gin_trgm_ops)`,
      `alter table page_texts add column folded text
         generated always as (lower(${own}.immutable_unaccent(text))) stored`,
      `create index page_texts_folded_col_trgm_idx on page_texts using gin (folded ${trgmSchema}.gin_trgm_ops)`,
      `drop index page_texts_folded_trgm_idx`,
    ]) {
      await sql.raw(statement).execute(db);
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    const { rows } = await sql<{ trgm: string | null }>`
      select n.nspname as trgm from pg_extension e join pg_namespace n on n.oid = e.extnamespace
      where e.extname = 'pg_trgm'`.execute(db);
    const trgmSchema = `"${(rows[0]?.trgm ?? 'public').replaceAll('"', '""')}"`;
    for (const statement of [
      `create index page_texts_folded_trgm_idx on page_texts using gin (lower(immutable_unaccent(text)) ${trgmSchema}.gin_trgm_ops)`,
      `alter table page_texts drop column folded`,
      `alter table items drop column search_folded`,
      `drop function search_metadata_folded(text, jsonb)`,
    ]) {
      await sql.raw(statement).execute(db);
    }
  },
};
