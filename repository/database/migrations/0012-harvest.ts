import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * The harvester and the union catalogue: remote OAI-PMH repositories (`harvest_sources`) and
 * the records harvested from them (`harvested_records`), one row per (source, OAI identifier).
 * A record the source reports deleted is removed, so the union shows only what is held now.
 *
 * `last_success_from` is the source's own `responseDate` at the start of the last harvest that
 * finished: the next one asks `from` it (less a second), in the source's clock, so clock skew
 * between the two servers loses nothing. Match keys are computed at harvest time (see
 * `matchKeys`) so a union search compares stored strings only.
 */
export const migration0012Harvest: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const statement of [
      `create table harvest_sources (
         id text primary key,
         name text not null,
         base_url text not null unique,
         metadata_prefix text not null default 'oai_dc',
         set_spec text,
         enabled boolean not null default true,
         interval_minutes integer not null default 60,
         last_attempt_at timestamptz,
         last_success_at timestamptz,
         last_success_from text,
         last_request_from text,
         last_error text,
         last_harvested integer not null default 0,
         last_deleted integer not null default 0,
         record_count integer not null default 0,
         created_at timestamptz not null default now(),
         updated_at timestamptz not null default now(),
         constraint harvest_sources_interval_check check (interval_minutes >= 1),
         constraint harvest_sources_prefix_check check (metadata_prefix = 'oai_dc')
       )`,
      `create table harvested_records (
         source_id text not null references harvest_sources (id) on delete cascade,
         oai_identifier text not null,
         datestamp text not null,
         dublin_core jsonb not null,
         title text not null,
         standard_numbers text[] not null default '{}',
         title_key text,
         search_folded text not null,
         manifest_url text,
         document_url text,
         harvested_at timestamptz not null default now(),
         primary key (source_id, oai_identifier)
       )`,
      `create index harvested_records_standard_numbers_idx on harvested_records using gin (standard_numbers)`,
      `create index harvested_records_title_key_idx on harvested_records (title_key)`,
    ]) {
      await sql.raw(statement).execute(db);
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await sql.raw('drop table harvested_records').execute(db);
    await sql.raw('drop table harvest_sources').execute(db);
  },
};
