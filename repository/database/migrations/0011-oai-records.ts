import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * What the OAI-PMH provider shows of each item, kept by triggers so that no code path can
 * forget a change and deletions persist (Identify: `deletedRecord` = `persistent`).
 *
 * One row per item ever created, never removed: `deleted` when the item is gone,
 * `access_level` its effective level now (its own, or its collection's default), and
 * `most_open_level` the most open level it ever had — what decides whether it was ever
 * harvestable and so whether it must be shown as a deleted record once it is no longer.
 * The provider turns a row into a live record, a deleted record or nothing by comparing
 * these with the levels it shows (public, and restricted with RESTRICTED_METADATA=shown),
 * which is configuration the database does not know.
 *
 * `datestamp` (to the second, the OAI granularity, so a keyset cursor on it is exact) is the
 * item's `updated_at`, or later: the moment the item was deleted, or its effective level or
 * library changed through its collection — changes incremental harvesters must see although
 * the item's row did not change.
 *
 * `server_secrets` holds the key that signs resumption tokens, random and made once here so
 * that every server process on this database, before and after a restart, accepts the tokens
 * of the others.
 */
export const migration0011OaiRecords: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const openness = (level: string) => `(case ${level} when 'public' then 0 when 'restricted' then 1 else 2 end)`;
    const moreOpen = (a: string, b: string) => `(case when ${openness(a)} <= ${openness(b)} then ${a} else ${b} end)`;
    for (const statement of [
      `create table oai_records (
         item_id text primary key,
         library_id text not null,
         collection_id text not null,
         access_level text not null,
         most_open_level text not null,
         deleted boolean not null default false,
         datestamp timestamptz not null,
         constraint oai_records_access_level_check check (access_level in ('public', 'restricted', 'confidential')),
         constraint oai_records_most_open_level_check check (most_open_level in ('public', 'restricted', 'confidential'))
       )`,
      `create index oai_records_datestamp_idx on oai_records (datestamp, item_id)`,
      `create table server_secrets (
         name text primary key,
         secret text not null,
         created_at timestamptz not null default now()
       )`,
      // gen_random_uuid() draws from PostgreSQL's strong random source: two give 244 random bits.
      `insert into server_secrets (name, secret)
         values ('oai-resumption-token', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''))`,
      `create function note_oai_item_change() returns trigger
         language plpgsql
         set search_path from current
         as $$
         declare
           level text;
           library text;
         begin
           select coalesce(new.access_level, c.default_access), c.library_id into level, library
             from collections c where c.id = new.collection_id;
           insert into oai_records (item_id, library_id, collection_id, access_level, most_open_level, datestamp)
             values (new.id, library, new.collection_id, level, level, date_trunc('second', new.updated_at))
           on conflict (item_id) do update set
             library_id = excluded.library_id,
             collection_id = excluded.collection_id,
             access_level = excluded.access_level,
             most_open_level = ${moreOpen('oai_records.most_open_level', 'excluded.access_level')},
             deleted = false,
             datestamp = date_trunc('second', greatest(new.updated_at, now()));
           return null;
         end $$`,
      `create trigger items_oai_change after insert or update on items
         for each row execute function note_oai_item_change()`,
      `create function note_oai_item_deletion() returns trigger
         language plpgsql
         set search_path from current
         as $$
         begin
           update oai_records set deleted = true, datestamp = date_trunc('second', now()) where item_id = old.id;
           return null;
         end $$`,
      `create trigger items_oai_deletion after delete on items
         for each row execute function note_oai_item_deletion()`,
      `create function note_oai_collection_change() returns trigger
         language plpgsql
         set search_path from current
         as $$
         begin
           update oai_records r set
             library_id = new.library_id,
             access_level = coalesce(i.access_level, new.default_access),
             most_open_level = ${moreOpen('r.most_open_level', 'coalesce(i.access_level, new.default_access)')},
             datestamp = date_trunc('second', now())
           from items i
           where i.id = r.item_id and i.collection_id = new.id
             and (r.library_id is distinct from new.library_id or r.access_level is distinct from coalesce(i.access_level, new.default_access));
           return null;
         end $$`,
      `create trigger collections_oai_change after update of default_access, library_id on collections
         for each row execute function note_oai_collection_change()`,
      `insert into oai_records (item_id, library_id, collection_id, access_level, most_open_level, datestamp)
         select i.id, c.library_id, i.collection_id, coalesce(i.access_level, c.default_access), coalesce(i.access_level, c.default_access),
                date_trunc('second', i.updated_at)
         from items i join collections c on c.id = i.collection_id`,
    ]) {
      await sql.raw(statement).execute(db);
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await sql.raw('drop trigger collections_oai_change on collections').execute(db);
    await sql.raw('drop trigger items_oai_deletion on items').execute(db);
    await sql.raw('drop trigger items_oai_change on items').execute(db);
    for (const fn of ['note_oai_collection_change', 'note_oai_item_deletion', 'note_oai_item_change']) {
      await sql.raw(`drop function ${fn}()`).execute(db);
    }
    await sql.raw('drop table server_secrets').execute(db);
    await sql.raw('drop table oai_records').execute(db);
  },
};
