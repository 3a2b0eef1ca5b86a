import { sql, type Kysely } from 'kysely';
import type { AccessLevel, DublinCore, ItemStatus } from '../database/domain.types.ts';
import { translateDatabaseError } from '../database/database-errors.ts';
import { expandDublinCore } from '../database/item.repository.ts';
import type { DatabaseSchema, MarcInJson, StoredDublinCore } from '../database/schema.ts';
import type { SetSelection } from './set-spec.ts';

/** One record as the provider shows it: live with its item, or deleted (header only). */
export interface OaiRecord {
  itemId: string;
  datestamp: Date;
  /** Null for a deleted record whose library or collection is gone too. */
  librarySlug: string | null;
  collectionSlug: string | null;
  item?: { identifier: string; dublinCore: DublinCore; marcRecord: MarcInJson | null; status: ItemStatus; updatedAt: Date };
}

export interface OaiRecordFilter {
  /** The levels whose items are harvestable (public; restricted when RESTRICTED_METADATA=shown). */
  levels: readonly AccessLevel[];
  set?: SetSelection;
  /** Inclusive bounds, `YYYY-MM-DDThh:mm:ssZ`. */
  from?: string;
  until?: string;
}

export interface OaiSets {
  libraries: { slug: string; name: string; province: string }[];
  collections: { librarySlug: string; libraryName: string; slug: string; title: string; description: string }[];
}

const RECORD_COLUMNS = [
  'r.item_id',
  'r.datestamp',
  'r.deleted',
  'r.access_level',
  'l.slug as library_slug',
  'c.slug as collection_slug',
  'i.identifier',
  'i.dublin_core',
  'i.marc_record',
  'i.status',
  'i.updated_at',
] as const;

const RESUMPTION_KEY_NAME = 'oai-resumption-token';

/**
 * Reads `oai_records` (migration 0011) for the OAI-PMH provider. An item ever harvestable at
 * the given levels appears: live while it exists at one of them, deleted afterwards; one
 * that never was does not appear at all.
 */
export class OaiRecordRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  /** Records after `after` in (datestamp, item id) order, at most `limit`. */
  async list(filter: OaiRecordFilter, after: { datestamp: string; itemId: string } | undefined, limit: number): Promise<OaiRecord[]> {
    let query = this.#filtered(filter);
    if (after !== undefined) query = query.where(sql<boolean>`(r.datestamp, r.item_id) > (${after.datestamp}::timestamptz, ${after.itemId})`);
    const rows = await this.#run(() => query.select(RECORD_COLUMNS).orderBy('r.datestamp').orderBy('r.item_id').limit(limit).execute());
    return rows.map((row) => toRecord(row, filter.levels));
  }

  async count(filter: OaiRecordFilter): Promise<number> {
    const { total } = await this.#run(() =>
      this.#filtered(filter).select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    );
    return Number(total);
  }

  /** Undefined when the item never was harvestable at these levels (or never existed). */
  async get(itemId: string, levels: readonly AccessLevel[]): Promise<OaiRecord | undefined> {
    const row = await this.#run(() => this.#filtered({ levels }).where('r.item_id', '=', itemId).select(RECORD_COLUMNS).executeTakeFirst());
    return row === undefined ? undefined : toRecord(row, levels);
  }

  /** The lower limit of every datestamp (Identify's `earliestDatestamp`); undefined while there are none. */
  async earliestDatestamp(): Promise<Date | undefined> {
    const row = await this.#run(() =>
      this.#db.selectFrom('oai_records').select((eb) => eb.fn.min('datestamp').as('earliest')).executeTakeFirst(),
    );
    return row?.earliest ?? undefined;
  }

  async sets(): Promise<OaiSets> {
    return this.#run(async () => {
      const libraries = await this.#db.selectFrom('libraries').select(['slug', 'name', 'province']).orderBy('slug').execute();
      const collections = await this.#db
        .selectFrom('collections as c')
        .innerJoin('libraries as l', 'l.id', 'c.library_id')
        .select(['l.slug as librarySlug', 'l.name as libraryName', 'c.slug', 'c.title', 'c.description'])
        .orderBy('l.slug')
        .orderBy('c.slug')
        .execute();
      return { libraries, collections };
    });
  }

  /** The key that signs resumption tokens, made once by migration 0011. */
  async resumptionKey(): Promise<string> {
    const row = await this.#run(() =>
      this.#db.selectFrom('server_secrets').select('secret').where('name', '=', RESUMPTION_KEY_NAME).executeTakeFirstOrThrow(),
    );
    return row.secret;
  }

  #filtered(filter: OaiRecordFilter) {
    let query = this.#db
      .selectFrom('oai_records as r')
      .leftJoin('libraries as l', 'l.id', 'r.library_id')
      .leftJoin('collections as c', 'c.id', 'r.collection_id')
      .leftJoin('items as i', 'i.id', 'r.item_id')
      .where('r.most_open_level', 'in', [...filter.levels]);
    if (filter.from !== undefined) query = query.where('r.datestamp', '>=', new Date(filter.from));
    if (filter.until !== undefined) query = query.where('r.datestamp', '<=', new Date(filter.until));
    const set = filter.set;
    if (set !== undefined && set.kind !== 'all') {
      query = query.where('l.slug', '=', set.librarySlug);
      if (set.kind === 'collection') query = query.where('c.slug', '=', set.collectionSlug);
    }
    return query;
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }
}

interface RecordRow {
  item_id: string;
  datestamp: Date;
  deleted: boolean;
  access_level: AccessLevel;
  library_slug: string | null;
  collection_slug: string | null;
  identifier: string | null;
  dublin_core: StoredDublinCore | null;
  marc_record: MarcInJson | null;
  status: ItemStatus | null;
  updated_at: Date | null;
}

function toRecord(row: RecordRow, levels: readonly AccessLevel[]): OaiRecord {
  const record: OaiRecord = { itemId: row.item_id, datestamp: row.datestamp, librarySlug: row.library_slug, collectionSlug: row.collection_slug };
  const live = !row.deleted && levels.includes(row.access_level) && row.identifier !== null && row.dublin_core !== null;
  if (!live) return record;
  return {
    ...record,
    item: {
      identifier: row.identifier!,
      dublinCore: expandDublinCore(row.dublin_core!),
      marcRecord: row.marc_record,
      status: row.status!,
      updatedAt: row.updated_at!,
    },
  };
}
