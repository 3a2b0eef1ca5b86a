import { sql, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import { NotFoundError } from '../../storage/index.ts';
import { translateDatabaseError, type ConstraintErrors } from './database-errors.ts';
import type { Paged, StoredObject } from './domain.types.ts';
import type { DatabaseSchema, StoredObjectTable } from './schema.ts';
import { byCodePoint } from './sql-helpers.ts';
import { byteSize, contentType, objectKey, pageRequest, parseInput, recordId, sha256Hex } from './validation.ts';

const storedObjectSchema = z.strictObject({
  key: objectKey,
  sha256: sha256Hex,
  size: byteSize,
  contentType,
  itemId: recordId.nullable().optional(),
  pageId: recordId.nullable().optional(),
  kind: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "use a kind such as 'master', 'pyramid' or 'pdf'"),
});
const storedObjectFilterSchema = z.strictObject({
  itemId: recordId.optional(),
  kind: z.string().optional(),
  ...pageRequest,
});

export type StoredObjectRecord = z.input<typeof storedObjectSchema>;
export type StoredObjectFilter = z.input<typeof storedObjectFilterSchema>;

/**
 * The database's ledger of the object store: key, sha256 and size of every object written
 * (design §5, "every object's sha256 is recorded in the database").
 */
export class StoredObjectRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  /**
   * Records an object, replacing the record of an earlier object under the same key (objects
   * are overwritten in place; `createdAt` keeps the first time). Throws `InvalidInputError`,
   * `NotFoundError` if the item or page does not exist.
   */
  async record(input: StoredObjectRecord): Promise<StoredObject> {
    const value = parseInput(storedObjectSchema, input, 'stored object');
    try {
      const row = await this.#db
        .insertInto('stored_objects')
        .values({
          key: value.key,
          sha256: value.sha256,
          size: value.size,
          content_type: value.contentType,
          item_id: value.itemId ?? null,
          page_id: value.pageId ?? null,
          kind: value.kind,
        })
        .onConflict((conflict) =>
          conflict.column('key').doUpdateSet((eb) => ({
            sha256: eb.ref('excluded.sha256'),
            size: eb.ref('excluded.size'),
            content_type: eb.ref('excluded.content_type'),
            item_id: eb.ref('excluded.item_id'),
            page_id: eb.ref('excluded.page_id'),
            kind: eb.ref('excluded.kind'),
            updated_at: sql<Date>`now()`,
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toStoredObject(row);
    } catch (error) {
      throw translateDatabaseError(error, constraintErrors(value.itemId, value.pageId));
    }
  }

  /** Throws `NotFoundError`. */
  async get(key: string): Promise<StoredObject> {
    const row = await this.#run(() => this.#db.selectFrom('stored_objects').selectAll().where('key', '=', key).executeTakeFirst());
    if (!row) throw new NotFoundError(`No object recorded under key '${key}'`);
    return toStoredObject(row);
  }

  /** Every object recorded for the item (its pages' objects included when they carry the item id), by key. */
  async listByItem(itemId: string): Promise<StoredObject[]> {
    const rows = await this.#run(() =>
      this.#db.selectFrom('stored_objects').selectAll().where('item_id', '=', itemId).orderBy(byCodePoint('key')).execute(),
    );
    return rows.map(toStoredObject);
  }

  /** Ordered by key (code point order). */
  async list(filter: StoredObjectFilter = {}): Promise<Paged<StoredObject>> {
    const { itemId, kind, limit, offset } = parseInput(storedObjectFilterSchema, filter, 'stored object filter');
    let query = this.#db.selectFrom('stored_objects');
    if (itemId !== undefined) query = query.where('item_id', '=', itemId);
    if (kind !== undefined) query = query.where('kind', '=', kind);
    return this.#run(async () => {
      const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
      const rows = await query.selectAll().orderBy(byCodePoint('key')).limit(limit).offset(offset).execute();
      return { rows: rows.map(toStoredObject), total };
    });
  }

  /** Forgets an object (after it was deleted from the store). Idempotent; true if a record went. */
  async remove(key: string): Promise<boolean> {
    const result = await this.#run(() => this.#db.deleteFrom('stored_objects').where('key', '=', key).executeTakeFirst());
    return result.numDeletedRows > 0n;
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }
}

function constraintErrors(itemId: string | null | undefined, pageId: string | null | undefined): ConstraintErrors {
  return {
    stored_objects_item_id_fkey: (_fields, cause) =>
      new NotFoundError(`Item '${itemId ?? ''}' does not exist: cannot record an object for it`, {
        cause,
        details: { field: 'itemId' },
      }),
    stored_objects_page_id_fkey: (_fields, cause) =>
      new NotFoundError(`Page '${pageId ?? ''}' does not exist: cannot record an object for it`, {
        cause,
        details: { field: 'pageId' },
      }),
  };
}

export function toStoredObject(row: Selectable<StoredObjectTable>): StoredObject {
  return {
    key: row.key,
    sha256: row.sha256,
    size: row.size,
    contentType: row.content_type,
    itemId: row.item_id,
    pageId: row.page_id,
    kind: row.kind,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
