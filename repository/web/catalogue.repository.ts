import { sql, type Kysely } from 'kysely';
import type { AccessLevel, Paged } from '../database/domain.types.ts';
import type { DatabaseSchema } from '../database/schema.ts';
import { byCodePoint, foldedSortKey } from '../database/sql-helpers.ts';

/** How many documents a collection has: registered (any status) and digitised. */
export interface CollectionCounts {
  registered: number;
  digitised: number;
}

/** One document of a collection's browse grid. */
export interface BrowseEntry {
  id: string;
  title: string;
  identifier: string;
  /** The page with the lowest sequence number, for the thumbnail; null if there is none. */
  firstPageId: string | null;
}

/** The read-only queries of the researcher pages that the domain repositories do not offer. */
export class CatalogueRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  /** Counts per collection id; collections without items are absent. */
  async countsByCollection(): Promise<Map<string, CollectionCounts>> {
    const rows = await this.#db
      .selectFrom('items')
      .select((eb) => [
        'collection_id',
        eb.fn.countAll<number>().as('registered'),
        sql<number>`count(*) filter (where ${sql.ref('status')} = 'digitised')`.as('digitised'),
      ])
      .groupBy('collection_id')
      .execute();
    return new Map(rows.map((row) => [row.collection_id, { registered: Number(row.registered), digitised: Number(row.digitised) }]));
  }

  /**
   * Digitised documents of one collection whose effective access level is one of `levels`,
   * ordered by title (diacritics folded), then call number.
   */
  async digitisedItems(collectionId: string, levels: readonly AccessLevel[], limit: number, offset: number): Promise<Paged<BrowseEntry>> {
    if (levels.length === 0) return { rows: [], total: 0 };
    const visible = this.#db
      .selectFrom('items')
      .innerJoin('collections', 'collections.id', 'items.collection_id')
      .where('items.collection_id', '=', collectionId)
      .where('items.status', '=', 'digitised')
      .where(sql<AccessLevel>`coalesce(${sql.ref('items.access_level')}, ${sql.ref('collections.default_access')})`, 'in', levels);
    const { total } = await visible.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await visible
      .select((eb) => [
        'items.id',
        'items.title',
        'items.identifier',
        eb
          .selectFrom('pages')
          .select('pages.id')
          .whereRef('pages.item_id', '=', 'items.id')
          .orderBy('pages.seq')
          .limit(1)
          .as('first_page_id'),
      ])
      .orderBy(foldedSortKey('items.title'))
      .orderBy(byCodePoint('items.identifier'))
      .orderBy('items.id')
      .limit(limit)
      .offset(offset)
      .execute();
    return {
      total: Number(total),
      rows: rows.map((row) => ({ id: row.id, title: row.title, identifier: row.identifier, firstPageId: row.first_page_id ?? null })),
    };
  }
}
