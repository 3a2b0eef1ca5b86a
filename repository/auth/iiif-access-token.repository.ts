import { sql, type Kysely } from 'kysely';
import { translateDatabaseError } from '../database/database-errors.ts';
import type { DatabaseSchema } from '../database/schema.ts';
import type { SignedInUser } from '../access/access-decision.ts';
import { newSecret, secretHash } from './secret-token.ts';

/**
 * IIIF access tokens start with this. They are not API tokens: `authenticate` never accepts
 * them, so a token a viewer received (and any script on the viewer's page could read) only
 * answers the probe service and can change nothing.
 */
export const IIIF_ACCESS_TOKEN_PREFIX = 'iiif_';

/**
 * Access tokens of the IIIF Authorization Flow 2.0 token service, one per request of a
 * signed-in browser's viewer, tied to that browser's session (signing out ends them) and
 * never outliving it. Only their sha256 is stored.
 */
export class IiifAccessTokenRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  /** Issues a token for the session of this cookie, for a viewer on `origin`; returns it and its lifetime in whole seconds. */
  async issue(sessionCookie: string, origin: string, lifetimeMs: number, sessionExpiresAt: Date): Promise<{ token: string; expiresInSeconds: number }> {
    const token = newSecret(IIIF_ACCESS_TOKEN_PREFIX);
    const expiresAt = new Date(Math.min(Date.now() + lifetimeMs, sessionExpiresAt.getTime()));
    await this.#run(() =>
      this.#db
        .insertInto('iiif_access_tokens')
        .values({ token_hash: secretHash(token), session_hash: secretHash(sessionCookie), origin, expires_at: expiresAt })
        .execute(),
    );
    return { token, expiresInSeconds: Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)) };
  }

  /** The user a live token was issued to (session still open, user enabled); undefined otherwise. */
  async userOf(token: string): Promise<SignedInUser | undefined> {
    if (!token.startsWith(IIIF_ACCESS_TOKEN_PREFIX)) return undefined;
    const row = await this.#run(() =>
      this.#db
        .selectFrom('iiif_access_tokens')
        .innerJoin('sessions', 'sessions.id_hash', 'iiif_access_tokens.session_hash')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select(['users.id', 'users.username', 'users.role', 'users.library_id'])
        .where('iiif_access_tokens.token_hash', '=', secretHash(token))
        .where('iiif_access_tokens.expires_at', '>', sql<Date>`now()`)
        .where('sessions.expires_at', '>', sql<Date>`now()`)
        .where('users.disabled', '=', false)
        .executeTakeFirst(),
    );
    return row === undefined ? undefined : { id: row.id, username: row.username, role: row.role, libraryId: row.library_id };
  }

  /** Deletes expired tokens; returns how many. */
  async sweep(): Promise<number> {
    const result = await this.#run(() => this.#db.deleteFrom('iiif_access_tokens').where('expires_at', '<=', sql<Date>`now()`).executeTakeFirst());
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
