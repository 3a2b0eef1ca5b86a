import { sql, type Kysely } from 'kysely';
import { translateDatabaseError } from '../database/database-errors.ts';
import type { DatabaseSchema } from '../database/schema.ts';
import type { SignedInUser } from '../access/access-decision.ts';
import { newSecret, secretHash } from './secret-token.ts';

/** A signed-in browser, as the cookie finds it. */
export interface ActiveSession {
  user: SignedInUser;
  csrfToken: string;
  expiresAt: Date;
}

/** Sessions of signed-in browsers. The cookie holds a random secret; the table only its sha256. */
export class SessionRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  /** Opens a session for the user; returns the cookie value (shown once) and the session's CSRF token. */
  async open(userId: string, lifetimeMs: number, ip: string | undefined): Promise<{ cookie: string; csrfToken: string; expiresAt: Date }> {
    const cookie = newSecret();
    const csrfToken = newSecret();
    const expiresAt = new Date(Date.now() + lifetimeMs);
    await this.#run(() =>
      this.#db.insertInto('sessions').values({ id_hash: secretHash(cookie), user_id: userId, csrf_token: csrfToken, expires_at: expiresAt, ip: ip ?? null }).execute(),
    );
    return { cookie, csrfToken, expiresAt };
  }

  /** The live session of this cookie, its user enabled; undefined otherwise. Sliding: each use within the lifetime keeps it. */
  async find(cookie: string): Promise<ActiveSession | undefined> {
    const row = await this.#run(() =>
      this.#db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['users.id', 'users.username', 'users.role', 'users.library_id', 'sessions.csrf_token', 'sessions.expires_at'])
        .where('sessions.id_hash', '=', secretHash(cookie))
        .where('sessions.expires_at', '>', sql<Date>`now()`)
        .where('users.disabled', '=', false)
        .executeTakeFirst(),
    );
    if (row === undefined) return undefined;
    return {
      user: { id: row.id, username: row.username, role: row.role, libraryId: row.library_id },
      csrfToken: row.csrf_token,
      expiresAt: row.expires_at,
    };
  }

  /** Ends the session of this cookie (sign-out); idempotent. */
  async close(cookie: string): Promise<void> {
    await this.#run(() => this.#db.deleteFrom('sessions').where('id_hash', '=', secretHash(cookie)).execute());
  }

  /** Ends every session of a user (password changed, account disabled). */
  async closeAllOf(userId: string): Promise<void> {
    await this.#run(() => this.#db.deleteFrom('sessions').where('user_id', '=', userId).execute());
  }

  /** Deletes expired sessions; returns how many. */
  async sweep(): Promise<number> {
    const result = await this.#run(() => this.#db.deleteFrom('sessions').where('expires_at', '<=', sql<Date>`now()`).executeTakeFirst());
    return Number(result.numDeletedRows);
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }
}
