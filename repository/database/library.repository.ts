import { sql, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../storage/index.ts';
import { translateDatabaseError, type ConstraintErrors } from './database-errors.ts';
import { LIBRARY_KINDS, type Library, type Paged } from './domain.types.ts';
import type { DatabaseSchema, LibraryTable } from './schema.ts';
import { byCodePoint, foldedSortKey } from './sql-helpers.ts';
import { newId, pageRequest, parseInput, slug, text } from './validation.ts';

const newLibrarySchema = z.strictObject({
  slug,
  name: text(300),
  province: text(100),
  kind: z.enum(LIBRARY_KINDS),
});
const libraryPatchSchema = newLibrarySchema.partial();
const libraryFilterSchema = z.strictObject({
  province: text(100).optional(),
  kind: z.enum(LIBRARY_KINDS).optional(),
  ...pageRequest,
});

export type NewLibrary = z.input<typeof newLibrarySchema>;
export type LibraryPatch = z.input<typeof libraryPatchSchema>;
export type LibraryFilter = z.input<typeof libraryFilterSchema>;

/** Libraries (thư viện): the owners of collections. */
export class LibraryRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  /** Throws `InvalidInputError` for bad input, `ConflictError` if the slug is taken. */
  async create(input: NewLibrary): Promise<Library> {
    const value = parseInput(newLibrarySchema, input, 'library');
    try {
      const row = await this.#db
        .insertInto('libraries')
        .values({ id: newId(), ...value })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toLibrary(row);
    } catch (error) {
      throw translateDatabaseError(error, constraintErrors(value.slug));
    }
  }

  /** Throws `NotFoundError`. */
  async getById(id: string): Promise<Library> {
    const row = await this.#run(() => this.#db.selectFrom('libraries').selectAll().where('id', '=', id).executeTakeFirst());
    if (!row) throw new NotFoundError(`Library '${id}' not found`);
    return toLibrary(row);
  }

  /** Throws `NotFoundError`. */
  async getBySlug(librarySlug: string): Promise<Library> {
    const row = await this.#run(() =>
      this.#db.selectFrom('libraries').selectAll().where('slug', '=', librarySlug.trim()).executeTakeFirst(),
    );
    if (!row) throw new NotFoundError(`Library with slug '${librarySlug}' not found`);
    return toLibrary(row);
  }

  /** Ordered by name (diacritics folded), then slug. */
  async list(filter: LibraryFilter = {}): Promise<Paged<Library>> {
    const { province, kind, limit, offset } = parseInput(libraryFilterSchema, filter, 'library filter');
    let query = this.#db.selectFrom('libraries');
    if (province !== undefined) query = query.where('province', '=', province);
    if (kind !== undefined) query = query.where('kind', '=', kind);
    return this.#run(async () => {
      const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
      const rows = await query
        .selectAll()
        .orderBy(foldedSortKey('name'))
        .orderBy(byCodePoint('slug'))
        .limit(limit)
        .offset(offset)
        .execute();
      return { rows: rows.map(toLibrary), total };
    });
  }

  /** Changes the given fields. Throws `NotFoundError`, `InvalidInputError`, `ConflictError`. */
  async update(id: string, patch: LibraryPatch): Promise<Library> {
    const value = parseInput(libraryPatchSchema, patch, 'library update');
    if (Object.values(value).every((field) => field === undefined)) return this.getById(id);
    try {
      const row = await this.#db
        .updateTable('libraries')
        .set({ ...value, updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new NotFoundError(`Library '${id}' not found`);
      return toLibrary(row);
    } catch (error) {
      throw translateDatabaseError(error, constraintErrors(value.slug));
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

function constraintErrors(librarySlug: string | undefined): ConstraintErrors {
  return {
    libraries_slug_key: (_fields, cause) =>
      new ConflictError(`A library with slug '${librarySlug ?? ''}' already exists: choose another slug`, {
        cause,
        details: { field: 'slug' },
      }),
  };
}

export function toLibrary(row: Selectable<LibraryTable>): Library {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    province: row.province,
    kind: row.kind,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
