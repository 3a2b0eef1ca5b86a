import { sql, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../../storage/index.ts';
import { translateDatabaseError, type ConstraintErrors } from './database-errors.ts';
import { USER_ROLES, type Paged, type User } from './domain.types.ts';
import type { DatabaseSchema, UserTable } from './schema.ts';
import { foldedSortKey } from './sql-helpers.ts';
import { newId, pageRequest, parseInput, recordId, text } from './validation.ts';

const username = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/,
    'use 2–64 ASCII letters, digits, dots, hyphens or underscores, starting with a letter or digit',
  );

const userFields = {
  username,
  displayName: text(200),
  email: z.string().trim().normalize('NFC').max(320).regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address').nullable().optional(),
  role: z.enum(USER_ROLES),
  /** For operators: the library they work for. */
  libraryId: recordId.nullable().optional(),
  /** An already-hashed password (hashing is not the database's job); null: cannot log in with a password. */
  passwordHash: z.string().min(1).max(1000).nullable().optional(),
  disabled: z.boolean().optional(),
};
const newUserSchema = z.strictObject(userFields);
const userPatchSchema = z.strictObject(userFields).partial();
const userFilterSchema = z.strictObject({
  role: z.enum(USER_ROLES).optional(),
  libraryId: recordId.optional(),
  ...pageRequest,
});

export type NewUser = z.input<typeof newUserSchema>;
export type UserPatch = z.input<typeof userPatchSchema>;
export type UserFilter = z.input<typeof userFilterSchema>;

/** A user with the password hash, for the login check only. */
export interface UserCredentials {
  user: User;
  passwordHash: string | null;
}

/** Staff and reader accounts. User names are unique regardless of case. */
export class UserRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  /** Throws `InvalidInputError`, `ConflictError` (user name taken, in any case), `NotFoundError` (library). */
  async create(input: NewUser): Promise<User> {
    const value = parseInput(newUserSchema, input, 'user');
    try {
      const row = await this.#db
        .insertInto('users')
        .values({
          id: newId(),
          username: value.username,
          display_name: value.displayName,
          email: value.email ?? null,
          role: value.role,
          library_id: value.libraryId ?? null,
          password_hash: value.passwordHash ?? null,
          disabled: value.disabled,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUser(row);
    } catch (error) {
      throw translateDatabaseError(error, constraintErrors(value.username, value.libraryId));
    }
  }

  /** Throws `NotFoundError`. */
  async getById(id: string): Promise<User> {
    const row = await this.#run(() => this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst());
    if (!row) throw new NotFoundError(`User '${id}' not found`);
    return toUser(row);
  }

  /** Case-insensitive. Throws `NotFoundError`. */
  async getByUsername(name: string): Promise<User> {
    return (await this.getCredentials(name)).user;
  }

  /** The user and password hash for a login attempt; case-insensitive. Throws `NotFoundError`. */
  async getCredentials(name: string): Promise<UserCredentials> {
    const wanted = name.trim();
    const row = await this.#run(() =>
      this.#db.selectFrom('users').selectAll().where(sql<string>`lower(username)`, '=', wanted.toLowerCase()).executeTakeFirst(),
    );
    if (!row) throw new NotFoundError(`User '${wanted}' not found`);
    return { user: toUser(row), passwordHash: row.password_hash };
  }

  /** Ordered by display name (diacritics folded), then user name. */
  async list(filter: UserFilter = {}): Promise<Paged<User>> {
    const { role, libraryId, limit, offset } = parseInput(userFilterSchema, filter, 'user filter');
    let query = this.#db.selectFrom('users');
    if (role !== undefined) query = query.where('role', '=', role);
    if (libraryId !== undefined) query = query.where('library_id', '=', libraryId);
    return this.#run(async () => {
      const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
      const rows = await query
        .selectAll()
        .orderBy(foldedSortKey('display_name'))
        .orderBy(sql`lower(username) collate "C"`)
        .limit(limit)
        .offset(offset)
        .execute();
      return { rows: rows.map(toUser), total };
    });
  }

  /** Changes the given fields. Throws `NotFoundError`, `InvalidInputError`, `ConflictError`. */
  async update(id: string, patch: UserPatch): Promise<User> {
    const value = parseInput(userPatchSchema, patch, 'user update');
    const columns = {
      username: value.username,
      display_name: value.displayName,
      email: value.email,
      role: value.role,
      library_id: value.libraryId,
      password_hash: value.passwordHash,
      disabled: value.disabled,
    };
    if (Object.values(columns).every((column) => column === undefined)) return this.getById(id);
    try {
      const row = await this.#db
        .updateTable('users')
        .set({ ...columns, updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new NotFoundError(`User '${id}' not found`);
      return toUser(row);
    } catch (error) {
      throw translateDatabaseError(error, constraintErrors(value.username, value.libraryId));
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

function constraintErrors(name: string | undefined, libraryId: string | null | undefined): ConstraintErrors {
  return {
    users_username_lower_key: (_fields, cause) =>
      new ConflictError(`The user name '${name ?? ''}' is taken (user names ignore case): choose another`, {
        cause,
        details: { field: 'username' },
      }),
    users_library_id_fkey: (_fields, cause) =>
      new NotFoundError(`Library '${libraryId ?? ''}' does not exist: cannot attach the user to it`, {
        cause,
        details: { field: 'libraryId' },
      }),
  };
}

export function toUser(row: Selectable<UserTable>): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    role: row.role,
    libraryId: row.library_id,
    disabled: row.disabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
