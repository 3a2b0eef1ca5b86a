import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * The OCR correction editor (repository/corrections):
 * - `ocr_corrections`: every saved edit of a recognised box (who, when, before, after, where);
 * - `character_samples`: the crop of each corrected box, labelled, kept as training data for the
 *   recogniser (the PNG is in the store under `training/{libraryId}/{id}.png`);
 * - `nom_readings_learned`: Quốc ngữ reading → character pairs operators chose while
 *   correcting, per library, which extend the readings table built from the corpus.
 * Labels and texts are NFC and may hold characters beyond the BMP or in the Private Use Area.
 */
export const migration0016OcrCorrections: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const statement of [
      `create table ocr_corrections (
         id text primary key,
         page_id text not null references pages (id) on delete cascade,
         item_id text not null references items (id) on delete cascade,
         line_index integer not null,
         word_index integer not null,
         before text not null,
         after text not null,
         box jsonb not null,
         user_id text references users (id) on delete set null,
         user_name text not null,
         at timestamptz not null default now(),
         constraint ocr_corrections_index_check check (line_index >= 0 and word_index >= 0)
       )`,
      `create index ocr_corrections_page_idx on ocr_corrections (page_id, at)`,
      `create table character_samples (
         id text primary key,
         library_id text not null references libraries (id) on delete cascade,
         item_id text not null references items (id) on delete cascade,
         page_id text not null references pages (id) on delete cascade,
         label text not null,
         box jsonb not null,
         correction_id text references ocr_corrections (id) on delete set null,
         key text not null unique,
         sha256 text not null,
         width integer not null,
         height integer not null,
         created_at timestamptz not null default now(),
         constraint character_samples_label_check check (label <> ''),
         constraint character_samples_sha256_check check (sha256 ~ '^[0-9a-f]{64}$')
       )`,
      `create index character_samples_library_idx on character_samples (library_id, created_at)`,
      `create table nom_readings_learned (
         library_id text not null references libraries (id) on delete cascade,
         reading text not null,
         folded text not null,
         character text not null,
         count integer not null default 1,
         updated_at timestamptz not null default now(),
         primary key (library_id, reading, character)
       )`,
      `create index nom_readings_learned_folded_idx on nom_readings_learned (library_id, folded)`,
    ]) {
      await sql.raw(statement).execute(db);
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['nom_readings_learned', 'character_samples', 'ocr_corrections']) await sql.raw(`drop table ${table}`).execute(db);
  },
};
