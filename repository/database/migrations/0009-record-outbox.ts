import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * Self-describing storage (design §5): the object store keeps a JSON record of every library,
 * collection and item beside the files, so the catalogue can be rebuilt from storage alone.
 * Triggers note every change of a described row in `record_outbox` within the writing
 * transaction, so no code path can forget one; the record writer turns the noted subjects
 * into records. `revision` tells the writer whether the subject changed again while it wrote.
 */
export const migration0009RecordOutbox: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const triggers: [table: string, subjectType: string, idColumn: string][] = [
      ['libraries', 'library', 'id'],
      ['collections', 'collection', 'id'],
      ['items', 'item', 'id'],
      ['pages', 'item', 'item_id'],
      ['page_texts', 'item', 'item_id'],
      ['stored_objects', 'item', 'item_id'],
    ];
    for (const statement of [
      `create table record_outbox (
         subject_type text not null,
         subject_id text not null,
         revision bigint not null default 1,
         changed_at timestamptz not null default clock_timestamp(),
         claimed_by text,
         claimed_until timestamptz,
         primary key (subject_type, subject_id),
         constraint record_outbox_subject_type_check check (subject_type in ('library', 'collection', 'item'))
       )`,
      `create index record_outbox_changed_at_idx on record_outbox (changed_at)`,
      // The search_path is pinned so the trigger finds this schema's outbox whatever the
      // writing session's path is.
      `create function note_record_change() returns trigger
         language plpgsql
         set search_path from current
         as $$
         declare
           subject text := (case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end) ->> tg_argv[1];
         begin
           if subject is not null then
             insert into record_outbox (subject_type, subject_id) values (tg_argv[0], subject)
             on conflict (subject_type, subject_id)
             do update set revision = record_outbox.revision + 1, changed_at = clock_timestamp();
           end if;
           return null;
         end $$`,
      ...triggers.map(
        ([table, subjectType, idColumn]) =>
          `create trigger ${table}_record_change after insert or update or delete on ${table}
             for each row execute function note_record_change('${subjectType}', '${idColumn}')`,
      ),
      // What exists before this migration has no record yet.
      `insert into record_outbox (subject_type, subject_id)
         select 'library', id from libraries
         union all select 'collection', id from collections
         union all select 'item', id from items`,
    ]) {
      await sql.raw(statement).execute(db);
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['libraries', 'collections', 'items', 'pages', 'page_texts', 'stored_objects']) {
      await sql.raw(`drop trigger ${table}_record_change on ${table}`).execute(db);
    }
    await sql.raw('drop function note_record_change()').execute(db);
    await sql.raw('drop table record_outbox').execute(db);
  },
};
