import { sql, type Kysely, type RawBuilder } from 'kysely';
import { canSeeContent, type Viewer } from '../access/access-decision.ts';
import { ACCESS_LEVELS, type CollectionCategory } from '../database/domain.types.ts';
import type { DatabaseSchema } from '../database/schema.ts';
import { buildSnippet } from './build-snippet.ts';
import { parseSearchQuery, type ParsedSearchQuery, type SearchQuery } from './parse-search-query.ts';

export interface SearchSnippet {
  /** Absent for a snippet of the item's title or metadata. */
  pageId?: string;
  seq?: number;
  /** HTML-escaped text with the matched words in `<mark>`. */
  html: string;
}

export interface SearchResult {
  itemId: string;
  identifier: string;
  title: string;
  collection: { id: string; title: string };
  library: { id: string; name: string };
  score: number;
  snippets: SearchSnippet[];
}

export interface FacetValue {
  id: string;
  label: string;
  count: number;
}

export interface SearchFacets {
  library: FacetValue[];
  collection: FacetValue[];
  category: FacetValue[];
  script: FacetValue[];
  /** Decades of the item's first Dublin Core date: id `1920`, label `1920–1929`. */
  decade: FacetValue[];
}

export interface SearchResponse {
  total: number;
  results: SearchResult[];
  facets: SearchFacets;
}

/** Labels shown for collection categories. */
const CATEGORY_LABELS: Record<CollectionCategory, string> = {
  'dia-chi': 'Địa chí',
  rare: 'Tài liệu quý hiếm',
  endogenous: 'Tài liệu nội sinh',
  other: 'Khác',
};

/** Snippets from at most this many matching pages per result. */
const PAGE_SNIPPETS = 2;

type Filter = 'library' | 'collection' | 'category' | 'script' | 'year';

/** `%term%` with LIKE's wildcards escaped (terms are letters and digits, but be safe). */
const pattern = (term: string): string => `%${term.replace(/[\\%_]/gu, (c) => `\\${c}`)}%`;

/** Every term occurs in the folded text. It must be an indexed column or expression to use its trigram index. */
function allTermsIn(folded: RawBuilder<string>, terms: readonly string[]): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(
    terms.map((term) => sql`${folded} like ${pattern(term)}`),
    sql` and `,
  )})`;
}

/** The filters on `candidates` except `without` (a facet counts as if its own filter were off). */
function filters(query: ParsedSearchQuery, without?: Filter): RawBuilder<boolean> {
  const conditions: RawBuilder<unknown>[] = [sql`true`];
  if (without !== 'library' && query.libraryId !== undefined) conditions.push(sql`library_id = ${query.libraryId}`);
  if (without !== 'collection' && query.collectionId !== undefined) conditions.push(sql`collection_id = ${query.collectionId}`);
  if (without !== 'category' && query.category !== undefined) conditions.push(sql`category = ${query.category}`);
  if (without !== 'script' && query.script !== undefined) conditions.push(sql`script = ${query.script}`);
  if (without !== 'year' && query.yearFrom !== undefined) conditions.push(sql`year >= ${query.yearFrom}`);
  if (without !== 'year' && query.yearTo !== undefined) conditions.push(sql`year <= ${query.yearTo}`);
  return sql<boolean>`(${sql.join(conditions, sql` and `)})`;
}

function facet(query: ParsedSearchQuery, own: Filter, id: RawBuilder<unknown>, label: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(select coalesce(json_agg(json_build_object('id', f.id, 'label', f.label, 'count', f.count) order by f.count desc, f.id), '[]')
    from (select ${id} as id, ${label} as label, count(*)::int as count
          from candidates where ${filters(query, own)} and ${id} is not null group by 1, 2) f)`;
}

interface ResultRow {
  item_id: string;
  identifier: string;
  title: string;
  collection_id: string;
  collection_title: string;
  library_id: string;
  library_name: string;
  score: number;
  in_metadata: boolean;
}

interface SearchRow {
  total: number;
  results: ResultRow[];
  library: FacetValue[];
  collection: FacetValue[];
  category: FacetValue[];
  script: FacetValue[];
  decade: FacetValue[];
}

/**
 * Site search over the catalogue (design §1, researcher): the items whose title and Dublin
 * Core metadata (title, creator, subject, description, coverage, contributor, publisher), or
 * one of whose pages' OCR text, contain every query word, ignoring case and Vietnamese marks
 * (`thu vien` finds `thư viện`, `Dak Nong` finds `Đắk Nông`). Only items the viewer may see
 * (design §6: the item's level, or its collection's default, through `canSeeContent`).
 *
 * Ranking: all words in the title (+ as a phrase) > all words in the metadata > OCR text
 * only; ties by folded title. Facets count the matching
 * items under every active filter but their own. Snippets: the title when the metadata
 * matched, then up to two matching pages in page order, each a window of the original text
 * with the matched words in `<mark>`.
 *
 * Throws `InvalidInputError` (see `parseSearchQuery`).
 */
export async function searchCatalogue(db: Kysely<DatabaseSchema>, input: SearchQuery, viewer: Viewer): Promise<SearchResponse> {
  const query = parseSearchQuery(input);
  const levels = ACCESS_LEVELS.filter((level) => canSeeContent(level, viewer));
  const empty: SearchResponse = {
    total: 0,
    results: [],
    facets: { library: [], collection: [], category: [], script: [], decade: [] },
  };
  if (levels.length === 0) return empty;

  const foldedTitle = sql<string>`lower(immutable_unaccent(i.title))`;
  // Stored generated columns (migration 0005): no unaccent over each candidate at query time.
  const foldedMetadata = sql<string>`i.search_folded`;
  const foldedText = sql<string>`pt.folded`;
  const phrase = pattern(query.terms.join(' '));

  const { rows } = await sql<SearchRow>`
    with metadata_hits as (
      select i.id as item_id, ${allTermsIn(foldedTitle, query.terms)} as in_title,
             ${foldedTitle} like ${phrase} as phrase_in_title
      from items i
      where ${allTermsIn(foldedMetadata, query.terms)}
    ),
    page_hits as (
      -- Existence, not a count: the planner may stop at an item's first matching page (a
      -- common word) or collect the pages of a rare one through the trigram index.
      select i.id as item_id, 1 as pages
      from items i
      where exists (select 1 from page_texts pt where pt.item_id = i.id and ${allTermsIn(foldedText, query.terms)})
    ),
    hits as (
      select coalesce(m.item_id, p.item_id) as item_id,
             coalesce(m.in_title, false) as in_title,
             coalesce(m.phrase_in_title, false) as phrase_in_title,
             m.item_id is not null as in_metadata,
             coalesce(p.pages, 0) as pages
      from metadata_hits m full join page_hits p on p.item_id = m.item_id
    ),
    candidates as materialized (
      select h.item_id, h.in_metadata, i.identifier, i.title, i.script,
             c.id as collection_id, c.title as collection_title, c.category,
             l.id as library_id, l.name as library_name,
             substring(i.dublin_core -> 'date' -> 0 ->> 'value' from '[0-9]{4}')::int as year,
             (case when h.in_title then 10 else 0 end
              + case when h.phrase_in_title then 2 else 0 end
              + case when h.in_metadata then 5 else 0 end
              + case when h.pages > 0 then 1 else 0 end)::float8 as score
      from hits h
      join items i on i.id = h.item_id
      join collections c on c.id = i.collection_id
      join libraries l on l.id = c.library_id
      where coalesce(i.access_level, c.default_access) in (${sql.join(levels)})
    )
    select
      (select count(*)::int from candidates where ${filters(query)}) as total,
      (select coalesce(json_agg(r), '[]') from (
         select item_id, identifier, title, collection_id, collection_title, library_id, library_name, score, in_metadata
         from candidates where ${filters(query)}
         order by score desc, lower(immutable_unaccent(title)) collate "C", item_id
         limit ${query.limit} offset ${query.offset}) r) as results,
      ${facet(query, 'library', sql`library_id`, sql`library_name`)} as library,
      ${facet(query, 'collection', sql`collection_id`, sql`collection_title`)} as collection,
      ${facet(query, 'category', sql`category`, sql`category`)} as category,
      ${facet(query, 'script', sql`script`, sql`script`)} as script,
      ${facet(query, 'year', sql`((year / 10) * 10)::text`, sql`((year / 10) * 10)::text || '–' || ((year / 10) * 10 + 9)::text`)} as decade
  `.execute(db);
  const row = rows[0];
  if (!row) return empty;

  const pageSnippets = await matchingPages(db, row.results.map((result) => result.item_id), query.terms, foldedText);
  const results = row.results.map((result): SearchResult => {
    const snippets: SearchSnippet[] = [];
    if (result.in_metadata) {
      const html = buildSnippet(result.title, query.terms, { maxLength: 400, before: 400 });
      if (html !== null) snippets.push({ html });
    }
    for (const page of pageSnippets.get(result.item_id) ?? []) {
      const html = buildSnippet(page.text, query.terms);
      if (html !== null) snippets.push({ pageId: page.page_id, seq: page.seq, html });
    }
    return {
      itemId: result.item_id,
      identifier: result.identifier,
      title: result.title,
      collection: { id: result.collection_id, title: result.collection_title },
      library: { id: result.library_id, name: result.library_name },
      score: result.score,
      snippets,
    };
  });
  const category = row.category.map((value) => ({ ...value, label: CATEGORY_LABELS[value.id as CollectionCategory] ?? value.id }));
  const decade = [...row.decade].sort((a, b) => Number(a.id) - Number(b.id));
  return {
    total: row.total,
    results,
    facets: { library: row.library, collection: row.collection, category, script: row.script, decade },
  };
}

interface PageTextRow {
  item_id: string;
  page_id: string;
  seq: number;
  text: string;
}

/** The first matching pages of each item, in page order; only items already allowed. */
async function matchingPages(
  db: Kysely<DatabaseSchema>,
  itemIds: readonly string[],
  terms: readonly string[],
  foldedText: RawBuilder<string>,
): Promise<Map<string, PageTextRow[]>> {
  const byItem = new Map<string, PageTextRow[]>();
  if (itemIds.length === 0) return byItem;
  // Per item through the item_id index: the trigram index would visit every page of a common word.
  const { rows } = await sql<PageTextRow>`
    select ids.item_id, m.page_id, m.seq, m.text
    from unnest(array[${sql.join(itemIds)}]::text[]) as ids(item_id)
    cross join lateral (
      select pt.page_id, p.seq, pt.text
      from page_texts pt join pages p on p.id = pt.page_id
      where pt.item_id = ids.item_id and ${allTermsIn(foldedText, terms)}
      order by p.seq
      limit ${PAGE_SNIPPETS}
    ) m
    order by ids.item_id, m.seq`.execute(db);
  for (const row of rows) {
    const list = byItem.get(row.item_id) ?? [];
    list.push(row);
    byItem.set(row.item_id, list);
  }
  return byItem;
}
