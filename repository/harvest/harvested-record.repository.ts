import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../database/schema.ts';
import { foldForKey, matchKeys } from './match-keys.ts';
import type { HarvestedRecord } from './parse-oai-response.ts';

/** What is stored of a page: its live and deleted records (malformed ones are the harvester's to report). */
export type StorableRecord = Extract<HarvestedRecord, { kind: 'live' | 'deleted' }>;

/** Elements a union search looks in. */
const SEARCHED = ['title', 'creator', 'contributor', 'subject', 'publisher', 'identifier'] as const;

/** The `harvested_records` table: one page of a harvest at a time. */
export class HarvestedRecordRepository {
  private readonly db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.db = db;
  }

  /** Stores a page harvested in `metadataPrefix`: live records inserted or replaced, deleted ones removed. Returns the counts. */
  async apply(sourceId: string, metadataPrefix: string, records: readonly StorableRecord[]): Promise<{ harvested: number; deleted: number }> {
    // The last word on an identifier wins should a page repeat it (one upsert may not touch a row twice).
    const latest = new Map(records.map((record) => [record.identifier, record]));
    const live = [...latest.values()].filter((record) => record.kind === 'live');
    const gone = [...latest.values()].filter((record) => record.kind === 'deleted').map((record) => record.identifier);
    await this.db.transaction().execute(async (trx) => {
      if (gone.length > 0) await trx.deleteFrom('harvested_records').where('source_id', '=', sourceId).where('oai_identifier', 'in', gone).execute();
      if (live.length === 0) return;
      await trx
        .insertInto('harvested_records')
        .values(live.map((record) => recordRow(sourceId, metadataPrefix, record)))
        .onConflict((oc) =>
          oc.columns(['source_id', 'oai_identifier']).doUpdateSet((eb) => ({
            datestamp: eb.ref('excluded.datestamp'),
            dublin_core: eb.ref('excluded.dublin_core'),
            title: eb.ref('excluded.title'),
            standard_numbers: eb.ref('excluded.standard_numbers'),
            title_key: eb.ref('excluded.title_key'),
            search_folded: eb.ref('excluded.search_folded'),
            manifest_url: eb.ref('excluded.manifest_url'),
            document_url: eb.ref('excluded.document_url'),
            metadata_prefix: eb.ref('excluded.metadata_prefix'),
            metadata_xml: eb.ref('excluded.metadata_xml'),
            harvested_at: eb.fn('now'),
          })),
        )
        .execute();
    });
    return { harvested: live.length, deleted: gone.length };
  }
}

function recordRow(sourceId: string, metadataPrefix: string, { identifier, datestamp, dublinCore: dc, metadataXml }: Extract<StorableRecord, { kind: 'live' }>) {
  const keys = matchKeys(dc);
  const links = [...(dc.relation ?? []), ...(dc.identifier ?? [])].map((value) => value.value).filter((value) => /^https?:\/\//iu.test(value));
  const manifest = links.find((link) => /manifest/iu.test(link));
  const document = links.find((link) => link !== manifest);
  return {
    source_id: sourceId,
    oai_identifier: identifier,
    datestamp,
    dublin_core: JSON.stringify(dc),
    title: dc.title?.[0]?.value ?? identifier,
    standard_numbers: keys.standardNumbers,
    title_key: keys.titleKey,
    search_folded: SEARCHED.flatMap((element) => (dc[element] ?? []).map((value) => foldForKey(value.value))).join(' '),
    manifest_url: manifest ?? null,
    document_url: document ?? null,
    metadata_prefix: metadataPrefix,
    metadata_xml: metadataXml,
  };
}
