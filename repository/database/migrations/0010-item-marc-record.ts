import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * The original MARC 21 catalogue record of an item imported from MARC (MARCXML or ISO 2709),
 * kept as MARC-in-JSON (`{ leader, fields: [...] }`, the Library of Congress' JSON form) so
 * the OAI-PMH `marcxml` format can give it back as catalogued. Null for items not imported
 * from MARC. Being a column of `items`, it is in the item's record in the object store too.
 */
export const migration0010ItemMarcRecord: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql.raw(`alter table items add column marc_record jsonb`).execute(db);
    await sql
      .raw(`alter table items add constraint items_marc_record_check check (marc_record is null or jsonb_typeof(marc_record) = 'object')`)
      .execute(db);
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await sql.raw('alter table items drop column marc_record').execute(db);
  },
};
