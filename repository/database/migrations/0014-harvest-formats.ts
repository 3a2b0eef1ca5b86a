import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * Harvesting in MARC 21 as well as `oai_dc`. The harvester now picks the format per run (MARC
 * when the source offers it), so `harvest_sources.metadata_prefix` is no longer fixed: it is the
 * prefix of the last successful harvest, the format of what is held from the source (`oai_dc`
 * until one succeeds), which an incremental harvest must keep — another prefix means a full one.
 *
 * Each harvested record says the prefix it came in (`metadata_prefix`; rows from before were
 * all `oai_dc`, and no default after that, so no code path can store a record without saying)
 * and keeps its metadata element as the source sent it (`metadata_xml`; null for rows from
 * before), since the Dublin Core mapped from a MARC record is only part of it.
 */
export const migration0014HarvestFormats: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const statement of [
      `alter table harvest_sources drop constraint harvest_sources_prefix_check`,
      `alter table harvested_records add column metadata_prefix text not null default 'oai_dc'`,
      `alter table harvested_records alter column metadata_prefix drop default`,
      `alter table harvested_records add column metadata_xml text`,
    ]) {
      await sql.raw(statement).execute(db);
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const statement of [
      `alter table harvested_records drop column metadata_xml`,
      `alter table harvested_records drop column metadata_prefix`,
      // What was held in another format is harvested again, in oai_dc, from scratch.
      `update harvest_sources set metadata_prefix = 'oai_dc', last_success_from = null where metadata_prefix <> 'oai_dc'`,
      `alter table harvest_sources add constraint harvest_sources_prefix_check check (metadata_prefix = 'oai_dc')`,
    ]) {
      await sql.raw(statement).execute(db);
    }
  },
};
