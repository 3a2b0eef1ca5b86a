import { sql, type Kysely } from 'kysely';
import type { Viewer } from '../access/access-decision.ts';
import type { DatabaseSchema, StoredDublinCore } from '../database/schema.ts';
import { digitalCopyLinks } from '../metadata/digital-copy-links.ts';
import { MAX_LIMIT, parseSearchQuery } from '../search/parse-search-query.ts';
import { searchCatalogue } from '../search/search-catalogue.ts';
import { groupWorks, type Holding, type WorkGroup } from './group-works.ts';
import { matchKeys } from './match-keys.ts';

/** Harvested records considered per search: more than any page of groups needs. */
const HARVESTED_CANDIDATES = 500;

export interface UnionSearchResponse {
  total: number;
  groups: WorkGroup[];
}

/**
 * The union catalogue (mục lục liên hợp): the local items the viewer may see that match `q`
 * (the site search, so ranking and access rules are its), then the harvested records whose
 * title, creators, subjects, publishers or identifiers contain every folded query word
 * (`truyen kieu` finds `Truyện Kiều`), grouped by work (see `groupWorks`). Harvested records
 * are what their sources publish openly, so every viewer sees them.
 *
 * Throws `InvalidInputError` for a query the site search refuses.
 */
export async function unionSearch(db: Kysely<DatabaseSchema>, input: { q: string; limit?: number | undefined; offset?: number | undefined }, viewer: Viewer, baseUrl: string): Promise<UnionSearchResponse> {
  const query = parseSearchQuery({ q: input.q, limit: input.limit, offset: input.offset });
  const local = await searchCatalogue(db, { q: input.q, limit: MAX_LIMIT }, viewer);
  const ids = local.results.map((result) => result.itemId);
  const items =
    ids.length === 0
      ? []
      : await db
          .selectFrom('items as i')
          .innerJoin('collections as c', 'c.id', 'i.collection_id')
          .innerJoin('libraries as l', 'l.id', 'c.library_id')
          .select(['i.id', 'i.title', 'i.dublin_core', 'i.status', 'l.name as library'])
          .where('i.id', 'in', ids)
          .execute();
  const byId = new Map(items.map((item) => [item.id, item]));
  const localHoldings = ids.flatMap((id): Holding[] => {
    const item = byId.get(id);
    if (item === undefined) return [];
    const links = digitalCopyLinks(baseUrl, item);
    return [holding({ library: item.library, origin: 'local', metadataPrefix: null }, item.title, item.dublin_core, links.page, links.manifest ?? null)];
  });

  const harvested = await db
    .selectFrom('harvested_records as r')
    .innerJoin('harvest_sources as s', 's.id', 'r.source_id')
    .select(['s.name as library', 'r.metadata_prefix', 'r.title', 'r.dublin_core', 'r.document_url', 'r.manifest_url'])
    .where(sql<boolean>`${sql.join(
      query.terms.map((term) => sql`r.search_folded like ${`%${term.replace(/[\\%_]/gu, (c) => `\\${c}`)}%`}`),
      sql` and `,
    )}`)
    .orderBy('r.title')
    .orderBy('s.name')
    .limit(HARVESTED_CANDIDATES)
    .execute();
  const harvestedHoldings = harvested.map((row) => holding({ library: row.library, origin: 'harvested', metadataPrefix: row.metadata_prefix }, row.title, row.dublin_core, row.document_url, row.manifest_url));

  const groups = groupWorks([...localHoldings, ...harvestedHoldings]);
  return { total: groups.length, groups: groups.slice(query.offset, query.offset + query.limit) };
}

function holding(holder: Pick<Holding, 'library' | 'origin' | 'metadataPrefix'>, title: string, dc: StoredDublinCore, documentUrl: string | null, manifestUrl: string | null): Holding {
  return {
    ...holder,
    title,
    creator: dc.creator?.[0]?.value ?? null,
    date: dc.date?.[0]?.value ?? null,
    documentUrl,
    manifestUrl,
    digitalCopy: manifestUrl !== null,
    keys: matchKeys(dc),
  };
}
