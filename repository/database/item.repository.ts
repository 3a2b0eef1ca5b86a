import { sql, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import { ConflictError, InvalidInputError, NotFoundError } from '../../storage/index.ts';
import { translateDatabaseError, type ConstraintErrors } from './database-errors.ts';
import { checkDublinCore } from './dublin-core-rules.ts';
import {
  ACCESS_LEVELS,
  DUBLIN_CORE_ELEMENTS,
  ITEM_STATUSES,
  OCR_PROFILES,
  type AccessLevel,
  type DublinCore,
  type Item,
  type OcrProfile,
  type Paged,
} from './domain.types.ts';
import type { DatabaseSchema, ItemTable, MarcInJson, StoredDublinCore } from './schema.ts';
import { byCodePoint, foldedSortKey } from './sql-helpers.ts';
import {
  dublinCoreInput,
  languageTag,
  newId,
  pageRequest,
  parseInput,
  recordId,
  scriptCode,
  text,
} from './validation.ts';

const itemFields = {
  /** Call number (ký hiệu xếp giá). */
  identifier: text(200),
  /** Defaults to the first Dublin Core title; becomes the first Dublin Core title if there is none. */
  title: text(2000).optional(),
  dublinCore: dublinCoreInput.optional(),
  language: languageTag.optional(),
  script: scriptCode.optional(),
  /** Null: inherit the collection's default. */
  accessLevel: z.enum(ACCESS_LEVELS).nullable().optional(),
  /** Null: inherit the collection's profile. */
  ocrProfile: z.enum(OCR_PROFILES).nullable().optional(),
  status: z.enum(ITEM_STATUSES).optional(),
};
const newItemSchema = z.strictObject({ collectionId: recordId, ...itemFields });
const itemPatchSchema = z.strictObject({ ...itemFields, digitisedAt: z.date().nullable().optional() }).partial();
const itemFilterSchema = z.strictObject({
  collectionId: recordId.optional(),
  /** Exact call number (NFC), e.g. for a scan station that knows the document by its label. */
  identifier: text(200).optional(),
  status: z.enum(ITEM_STATUSES).optional(),
  ...pageRequest,
});

export type NewItem = z.input<typeof newItemSchema>;
export type ItemPatch = z.input<typeof itemPatchSchema>;
export type ItemFilter = z.input<typeof itemFilterSchema>;

type ItemRow = Selectable<ItemTable> & { collection_default_access: AccessLevel; collection_ocr_profile: OcrProfile; collection_library_id: string };

/** Items (tài liệu): the documents being digitised, with their Dublin Core record. */
export class ItemRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  /**
   * Throws `InvalidInputError` for bad input (an item needs a title, directly or as a Dublin
   * Core title), `NotFoundError` if the collection does not exist, `ConflictError` if the
   * collection already has an item with this identifier.
   */
  async create(input: NewItem): Promise<Item> {
    const value = parseInput(newItemSchema, input, 'item');
    const dublinCore: StoredDublinCore = compactDublinCore(value.dublinCore ?? {});
    const title = value.title ?? dublinCore.title?.[0]?.value;
    if (title === undefined) {
      throw new InvalidInputError('Invalid item: give a title, or a Dublin Core title', { details: { field: 'title' } });
    }
    dublinCore.title ??= [{ value: title }];
    assertDublinCoreRules(dublinCore, 'item');
    const id = newId();
    try {
      await this.#db
        .insertInto('items')
        .values({
          id,
          collection_id: value.collectionId,
          identifier: value.identifier,
          title,
          dublin_core: JSON.stringify(dublinCore),
          language: value.language,
          script: value.script,
          access_level: value.accessLevel ?? null,
          ocr_profile: value.ocrProfile ?? null,
          status: value.status,
          digitised_at: value.status === 'digitised' ? sql<Date>`now()` : null,
        })
        .execute();
    } catch (error) {
      throw translateDatabaseError(error, constraintErrors(value.identifier, value.collectionId));
    }
    return this.getById(id);
  }

  /** Throws `NotFoundError`. */
  async getById(id: string): Promise<Item> {
    const row = await this.#run(() => this.#select().where('items.id', '=', id).executeTakeFirst());
    if (!row) throw new NotFoundError(`Item '${id}' not found`);
    return toItem(row);
  }

  /** Throws `NotFoundError`. */
  async getByIdentifier(collectionId: string, identifier: string): Promise<Item> {
    const wanted = identifier.trim().normalize('NFC');
    const row = await this.#run(() =>
      this.#select().where('items.collection_id', '=', collectionId).where('items.identifier', '=', wanted).executeTakeFirst(),
    );
    if (!row) throw new NotFoundError(`Item '${wanted}' not found in collection '${collectionId}'`);
    return toItem(row);
  }

  /**
   * The original MARC 21 record (MARC-in-JSON) of an item imported from MARC, null for an item
   * that was not. Not part of `Item`: only MARC-aware readers (OAI-PMH `marcxml`) need it.
   * Throws `NotFoundError`.
   */
  async getMarcRecord(id: string): Promise<MarcInJson | null> {
    const row = await this.#run(() => this.#db.selectFrom('items').select('marc_record').where('id', '=', id).executeTakeFirst());
    if (!row) throw new NotFoundError(`Item '${id}' not found`);
    return row.marc_record;
  }

  /** Ordered by title (diacritics folded), then identifier. */
  async list(filter: ItemFilter = {}): Promise<Paged<Item>> {
    const { collectionId, identifier, status, limit, offset } = parseInput(itemFilterSchema, filter, 'item filter');
    let count = this.#db.selectFrom('items');
    let select = this.#select();
    if (collectionId !== undefined) {
      count = count.where('items.collection_id', '=', collectionId);
      select = select.where('items.collection_id', '=', collectionId);
    }
    if (identifier !== undefined) {
      count = count.where('items.identifier', '=', identifier);
      select = select.where('items.identifier', '=', identifier);
    }
    if (status !== undefined) {
      count = count.where('items.status', '=', status);
      select = select.where('items.status', '=', status);
    }
    return this.#run(async () => {
      const { total } = await count.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
      const rows = await select
        .orderBy(foldedSortKey('items.title'))
        .orderBy(byCodePoint('items.identifier'))
        .orderBy('items.id')
        .limit(limit)
        .offset(offset)
        .execute();
      return { rows: rows.map(toItem), total };
    });
  }

  /**
   * Changes the given fields. A new Dublin Core record replaces the old one whole; the title
   * column follows its first title unless `title` is given too, and a `title` alone also
   * replaces the first Dublin Core title. Setting status `digitised` stamps `digitisedAt` (now)
   * unless it is given or already set. Throws `NotFoundError`, `InvalidInputError`,
   * `ConflictError`.
   */
  async update(id: string, patch: ItemPatch): Promise<Item> {
    const value = parseInput(itemPatchSchema, patch, 'item update');
    let dublinCore: StoredDublinCore | undefined;
    let title = value.title;
    if (value.dublinCore !== undefined) {
      dublinCore = compactDublinCore(value.dublinCore);
      title ??= dublinCore.title?.[0]?.value;
      if (title === undefined) {
        throw new InvalidInputError('Invalid item update: the new Dublin Core record has no title; add one or give title', {
          details: { field: 'dublinCore.title' },
        });
      }
      dublinCore.title ??= [{ value: title }];
      assertDublinCoreRules(dublinCore, 'item update');
    }
    const columns = {
      identifier: value.identifier,
      title,
      dublin_core:
        dublinCore !== undefined
          ? JSON.stringify(dublinCore)
          : title !== undefined
            ? sql<string>`jsonb_set(dublin_core, '{title,0,value}', to_jsonb(${title}::text))`
            : undefined,
      language: value.language,
      script: value.script,
      access_level: value.accessLevel,
      ocr_profile: value.ocrProfile,
      status: value.status,
      digitised_at:
        value.digitisedAt !== undefined
          ? value.digitisedAt
          : value.status === 'digitised'
            ? sql<Date>`coalesce(digitised_at, now())`
            : undefined,
    };
    if (Object.values(columns).every((column) => column === undefined)) return this.getById(id);
    try {
      const updated = await this.#db
        .updateTable('items')
        .set({ ...columns, updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .returning('id')
        .executeTakeFirst();
      if (!updated) throw new NotFoundError(`Item '${id}' not found`);
    } catch (error) {
      throw translateDatabaseError(error, constraintErrors(value.identifier, undefined));
    }
    return this.getById(id);
  }

  #select() {
    return this.#db
      .selectFrom('items')
      .innerJoin('collections', 'collections.id', 'items.collection_id')
      .selectAll('items')
      .select([
        'collections.default_access as collection_default_access',
        'collections.ocr_profile as collection_ocr_profile',
        'collections.library_id as collection_library_id',
      ]);
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }
}

/** Keeps only the elements that have values, in the canonical order. */
function compactDublinCore(input: Partial<DublinCore>): StoredDublinCore {
  const stored: StoredDublinCore = {};
  for (const element of DUBLIN_CORE_ELEMENTS) {
    const values = input[element];
    if (values !== undefined && values.length > 0) {
      stored[element] = values.map(({ value, lang }) => (lang === undefined ? { value } : { value, lang }));
    }
  }
  return stored;
}

/**
 * Refuses a record that breaks a field rule (dublin-core-rules.ts), as `parseInput` refuses
 * a schema: every problem in `details.issues`, at `dublinCore.<element>.<index>.value`,
 * with the rule's code. Warnings do not refuse.
 */
function assertDublinCoreRules(record: StoredDublinCore, what: string): void {
  const errors = checkDublinCore(record).filter((problem) => problem.severity === 'error');
  if (errors.length === 0) return;
  const issues = errors.map(({ element, index, code, message }) => ({
    path: index === undefined ? ['dublinCore', element] : ['dublinCore', element, String(index), 'value'],
    message,
    code,
  }));
  throw new InvalidInputError(`Invalid ${what}: ${issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`, {
    details: { issues },
  });
}

/** Every element present, empty when the record has no value for it. */
export function expandDublinCore(stored: StoredDublinCore): DublinCore {
  return Object.fromEntries(DUBLIN_CORE_ELEMENTS.map((element) => [element, stored[element] ?? []])) as DublinCore;
}

function constraintErrors(identifier: string | undefined, collectionId: string | undefined): ConstraintErrors {
  return {
    items_collection_identifier_key: (_fields, cause) =>
      new ConflictError(
        `The collection already has an item with identifier '${identifier ?? ''}': check the call number`,
        { cause, details: { field: 'identifier' } },
      ),
    items_collection_id_fkey: (_fields, cause) =>
      new NotFoundError(`Collection '${collectionId ?? ''}' does not exist: create the collection before its items`, {
        cause,
        details: { field: 'collectionId' },
      }),
  };
}

function toItem(row: ItemRow): Item {
  return {
    id: row.id,
    collectionId: row.collection_id,
    libraryId: row.collection_library_id,
    identifier: row.identifier,
    title: row.title,
    dublinCore: expandDublinCore(row.dublin_core),
    language: row.language,
    script: row.script,
    accessLevel: row.access_level,
    ocrProfile: row.ocr_profile,
    effectiveAccessLevel: row.access_level ?? row.collection_default_access,
    effectiveOcrProfile: row.ocr_profile ?? row.collection_ocr_profile,
    status: row.status,
    digitisedAt: row.digitised_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
