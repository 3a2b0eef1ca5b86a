import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Pages as the pipeline needs them:
 * - `master_page`: the page's index inside a multi-page master (a multi-page TIFF is stored
 *   once and becomes several pages); null for a single-image master.
 * - `image_width` / `image_height`: size of the served image (after deskew), which IIIF
 *   canvases and the PDF use; `width`/`height` stay the master's.
 * - `warnings`: what validation flagged without refusing (low resolution, unknown DPI).
 * - One page per (item, master bytes, page index): the same file uploaded twice is one page,
 *   even when two uploads race.
 * - `page_texts`: each page's OCR text for site search, folded for diacritic-free matching.
 */
export const migration0003PageSources: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Qualified like in 0001: the operator class lives with the extension, maybe outside search_path.
    const { rows } = await sql<{ schema: string }>`
      select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
      where e.extname = 'pg_trgm'`.execute(db);
    const trgmSchema = `"${(rows[0]?.schema ?? 'public').replaceAll('"', '""')}"`;
    for (const statement of [
      `alter table pages add column master_page integer`,
      `alter table pages add column image_width integer`,
      `alter table pages add column image_height integer`,
      `alter table pages add column warnings jsonb not null default '[]'`,
      `alter table pages add constraint pages_master_page_check check (master_page >= 0)`,
      `alter table pages add constraint pages_warnings_check check (jsonb_typeof(warnings) = 'array')`,
      `create unique index pages_item_master_key on pages (item_id, master_sha256, coalesce(master_page, -1))`,
      `create table page_texts (
         page_id text primary key references pages (id) on delete cascade,
         item_id text not null references items (id) on delete cascade,
         text text not null,
         updated_at timestamptz not null default now()
       )`,
      `create index page_texts_item_id_idx on page_texts (item_id)`,
      `create index page_texts_folded_trgm_idx on page_texts using gin (lower(immutable_unaccent(text)) ${trgmSchema}.gin_trgm_ops)`,
    ]) {
      await sql.raw(statement).execute(db);
    }
  },
};
