import { sql, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../storage/index.ts';
import { translateDatabaseError, type ConstraintErrors } from './database-errors.ts';
import {
  ACCESS_LEVELS,
  COLLECTION_CATEGORIES,
  OCR_PROFILES,
  type Collection,
  type Paged,
} from './domain.types.ts';
import type { CollectionTable, DatabaseSchema } from './schema.ts';
import { byCodePoint, foldedSortKey } from './sql-helpers.ts';
import {
  newId,
  nonNegativeInt32,
  optionalText,
  pageRequest,
  parseInput,
  positiveInt32,
  recordId,
  slug,
  text,
} from './validation.ts';

const collectionFields = {
  slug,
  title: text(500),
  description: optionalText(10_000).optional(),
  category: z.enum(COLLECTION_CATEGORIES),
  holdingsCount: nonNegativeInt32.optional(),
  targetPercent: z.number().min(0).max(100).optional(),
  /** `YYYY-MM-DD`. */
  targetDate: z.iso.date().nullable().optional(),
  defaultAccess: z.enum(ACCESS_LEVELS).optional(),
  ocrProfile: z.enum(OCR_PROFILES).optional(),
  minDpi: positiveInt32.optional(),
};
const newCollectionSchema = z.strictObject({ libraryId: recordId, ...collectionFields });
const collectionPatchSchema = z.strictObject(collectionFields).partial();
const collectionFilterSchema = z.strictObject({
  libraryId: recordId.optional(),
  category: z.enum(COLLECTION_CATEGORIES).optional(),
  ...pageRequest,
});

export type NewCollection = z.input<typeof newCollectionSchema>;
export type CollectionPatch = z.input<typeof collectionPatchSchema>;
export type CollectionFilter = z.input<typeof collectionFilterSchema>;

type CollectionValues = z.output<typeof collectionPatchSchema>;

/** Collections (bộ sưu tập) of a library, with their digitisation targets and defaults. */
export class CollectionRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  /**
   * Throws `InvalidInputError` for bad input, `NotFoundError` if the library does not exist,
   * `ConflictError` if the library already has a collection with this slug.
   */
  async create(input: NewCollection): Promise<Collection> {
    const value = parseInput(newCollectionSchema, input, 'collection');
    try {
      const row = await this.#db
        .insertInto('collections')
        .values({
          id: newId(),
          library_id: value.libraryId,
          slug: value.slug,
          title: value.title,
          category: value.category,
          ...toColumns(value),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toCollection(row);
    } catch (error) {
      throw translateDatabaseError(error, constraintErrors(value.slug, value.libraryId));
    }
  }

  /** Throws `NotFoundError`. */
  async getById(id: string): Promise<Collection> {
    const row = await this.#run(() => this.#db.selectFrom('collections').selectAll().where('id', '=', id).executeTakeFirst());
    if (!row) throw new NotFoundError(`Collection '${id}' not found`);
    return toCollection(row);
  }

  /** Throws `NotFoundError`. */
  async getBySlug(libraryId: string, collectionSlug: string): Promise<Collection> {
    const row = await this.#run(() =>
      this.#db
        .selectFrom('collections')
        .selectAll()
        .where('library_id', '=', libraryId)
        .where('slug', '=', collectionSlug.trim())
        .executeTakeFirst(),
    );
    if (!row) throw new NotFoundError(`Collection with slug '${collectionSlug}' not found in library '${libraryId}'`);
    return toCollection(row);
  }

  /** Ordered by title (diacritics folded), then slug. */
  async list(filter: CollectionFilter = {}): Promise<Paged<Collection>> {
    const { libraryId, category, limit, offset } = parseInput(collectionFilterSchema, filter, 'collection filter');
    let query = this.#db.selectFrom('collections');
    if (libraryId !== undefined) query = query.where('library_id', '=', libraryId);
    if (category !== undefined) query = query.where('category', '=', category);
    return this.#run(async () => {
      const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
      const rows = await query
        .selectAll()
        .orderBy(foldedSortKey('title'))
        .orderBy(byCodePoint('slug'))
        .orderBy('id')
        .limit(limit)
        .offset(offset)
        .execute();
      return { rows: rows.map(toCollection), total };
    });
  }

  /** Changes the given fields. Throws `NotFoundError`, `InvalidInputError`, `ConflictError`. */
  async update(id: string, patch: CollectionPatch): Promise<Collection> {
    const value = parseInput(collectionPatchSchema, patch, 'collection update');
    const columns = { ...toColumns(value), slug: value.slug, title: value.title, category: value.category };
    if (Object.values(columns).every((field) => field === undefined)) return this.getById(id);
    try {
      const row = await this.#db
        .updateTable('collections')
        .set({ ...columns, updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new NotFoundError(`Collection '${id}' not found`);
      return toCollection(row);
    } catch (error) {
      throw translateDatabaseError(error, constraintErrors(value.slug, undefined));
    }
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }
}

/** The optional columns; `undefined` leaves a column to its default (insert) or unchanged (update). */
function toColumns(value: CollectionValues) {
  return {
    description: value.description,
    holdings_count: value.holdingsCount,
    target_percent: value.targetPercent,
    target_date: value.targetDate,
    default_access: value.defaultAccess,
    ocr_profile: value.ocrProfile,
    min_dpi: value.minDpi,
  };
}

function constraintErrors(collectionSlug: string | undefined, libraryId: string | undefined): ConstraintErrors {
  return {
    collections_library_slug_key: (_fields, cause) =>
      new ConflictError(
        `The library already has a collection with slug '${collectionSlug ?? ''}': choose another slug`,
        { cause, details: { field: 'slug' } },
      ),
    collections_library_id_fkey: (_fields, cause) =>
      new NotFoundError(`Library '${libraryId ?? ''}' does not exist: create the library before its collections`, {
        cause,
        details: { field: 'libraryId' },
      }),
  };
}

export function toCollection(row: Selectable<CollectionTable>): Collection {
  return {
    id: row.id,
    libraryId: row.library_id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    category: row.category,
    holdingsCount: row.holdings_count,
    targetPercent: row.target_percent,
    targetDate: row.target_date,
    defaultAccess: row.default_access,
    ocrProfile: row.ocr_profile,
    minDpi: row.min_dpi,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
