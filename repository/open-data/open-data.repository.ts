import { sql, type Kysely } from 'kysely';
import type { AccessLevel, ItemStatus } from '../database/domain.types.ts';
import type { DatabaseSchema, StoredDublinCore } from '../database/schema.ts';

/** One document of the open catalogue, with what the exports need of its collection and library. */
export interface CatalogueRecord {
  id: string;
  identifier: string;
  title: string;
  dublinCore: StoredDublinCore;
  /** The item's own BCP 47 tag, used when Dublin Core names no language. */
  language: string;
  status: ItemStatus;
  digitisedAt: Date | null;
  accessLevel: AccessLevel;
  pageCount: number;
  collection: { id: string; title: string };
  library: { id: string; name: string; province: string };
}

/** How many documents a catalogue export holds and when anything in it last changed. */
export interface CatalogueFreshness {
  count: number;
  /** Newest `updated_at` of those documents, their collections and libraries; null when there is nothing. */
  lastModified: Date | null;
}

/** Documents per keyset page of an export: large enough to amortise the query, small enough to hold. */
export const DEFAULT_EXPORT_PAGE_SIZE = 500;

/** The read-only queries of the open-data exports. */
export class OpenDataRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  /**
   * Every document whose effective access level is one of `levels`, in id order, fetched
   * `pageSize` at a time by keyset (`id > last id`, the primary key's index): one page is in
   * memory at a time, and a page is only read when the consumer asks for its first record,
   * so a slow client holds back the queries rather than filling memory.
   */
  async *catalogueRecords(levels: readonly AccessLevel[], pageSize = DEFAULT_EXPORT_PAGE_SIZE): AsyncGenerator<CatalogueRecord> {
    if (levels.length === 0) return;
    let after: string | undefined;
    for (;;) {
      let query = this.#visible(levels)
        .innerJoin('libraries', 'libraries.id', 'collections.library_id')
        .select((eb) => [
          'items.id',
          'items.identifier',
          'items.title',
          'items.dublin_core',
          'items.language',
          'items.status',
          'items.digitised_at',
          effectiveLevel().as('access_level'),
          eb
            .selectFrom('pages')
            .select(eb.fn.countAll<number>().as('count'))
            .whereRef('pages.item_id', '=', 'items.id')
            .as('page_count'),
          'collections.id as collection_id',
          'collections.title as collection_title',
          'libraries.id as library_id',
          'libraries.name as library_name',
          'libraries.province as library_province',
        ])
        .orderBy('items.id')
        .limit(pageSize);
      if (after !== undefined) query = query.where('items.id', '>', after);
      const rows = await query.execute();
      for (const row of rows) {
        yield {
          id: row.id,
          identifier: row.identifier,
          title: row.title,
          dublinCore: row.dublin_core,
          language: row.language,
          status: row.status,
          digitisedAt: row.digitised_at,
          accessLevel: row.access_level,
          pageCount: Number(row.page_count ?? 0),
          collection: { id: row.collection_id, title: row.collection_title },
          library: { id: row.library_id, name: row.library_name, province: row.library_province },
        };
      }
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]?.id;
    }
  }

  /** Count and newest change of the documents at `levels`: one aggregate query, no rows. */
  async catalogueFreshness(levels: readonly AccessLevel[]): Promise<CatalogueFreshness> {
    if (levels.length === 0) return { count: 0, lastModified: await this.lastChange() };
    const row = await this.#visible(levels)
      .innerJoin('libraries', 'libraries.id', 'collections.library_id')
      .select((eb) => [
        eb.fn.countAll<number>().as('count'),
        sql<Date | null>`greatest(max(${sql.ref('items.updated_at')}), max(${sql.ref('collections.updated_at')}), max(${sql.ref('libraries.updated_at')}))`.as(
          'last_modified',
        ),
      ])
      .executeTakeFirstOrThrow();
    return { count: Number(row.count), lastModified: row.last_modified };
  }

  /** Newest `updated_at` of any library, collection or document (what the statistics and IIIF collections are built from). */
  async lastChange(): Promise<Date | null> {
    const newest = (table: 'libraries' | 'collections' | 'items') =>
      this.#db.selectFrom(table).select(sql<Date | null>`max(${sql.ref('updated_at')})`.as('at'));
    const rows = await newest('libraries').unionAll(newest('collections')).unionAll(newest('items')).execute();
    const times = rows.map((row) => row.at).filter((at): at is Date => at !== null);
    return times.length === 0 ? null : new Date(Math.max(...times.map((at) => at.getTime())));
  }

  /** The library registered first: by default the publisher of the open data. */
  async firstLibraryName(): Promise<string | undefined> {
    const row = await this.#db.selectFrom('libraries').select('name').orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
    return row?.name;
  }

  #visible(levels: readonly AccessLevel[]) {
    return this.#db
      .selectFrom('items')
      .innerJoin('collections', 'collections.id', 'items.collection_id')
      .where(effectiveLevel(), 'in', levels);
  }
}

/** The level every door enforces: the item's own, or its collection's default. */
function effectiveLevel() {
  return sql<AccessLevel>`coalesce(${sql.ref('items.access_level')}, ${sql.ref('collections.default_access')})`;
}
