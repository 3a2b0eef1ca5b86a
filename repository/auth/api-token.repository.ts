import { sql, type Kysely } from 'kysely';
import { NotFoundError } from '../../storage/index.ts';
import { translateDatabaseError } from '../database/database-errors.ts';
import type { DatabaseSchema } from '../database/schema.ts';
import { newId } from '../database/validation.ts';
import type { SignedInUser } from '../access/access-decision.ts';
import { newSecret, secretHash } from './secret-token.ts';

/** Tokens start with this, so a leaked one is recognisable (secret scanners, logs). */
export const API_TOKEN_PREFIX = 'tvs_';

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/**
 * API tokens for scan stations and scripts (`Authorization: Bearer tvs_…`). A token acts as its
 * user, with the user's role and library. Only its sha256 is stored; it is shown once.
 */
export class ApiTokenRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  /** Makes a token; `secret` lets the first start install one given in configuration (BOOTSTRAP_ADMIN_TOKEN). */
  async create(userId: string, name: string, options: { expiresAt?: Date; secret?: string } = {}): Promise<{ token: string; record: ApiToken }> {
    const token = options.secret ?? newSecret(API_TOKEN_PREFIX);
    const row = await this.#run(() =>
      this.#db
        .insertInto('api_tokens')
        .values({ id: newId(), user_id: userId, name: name.normalize('NFC').trim().slice(0, 200) || 'token', token_hash: secretHash(token), expires_at: options.expiresAt ?? null })
        .returningAll()
        .executeTakeFirstOrThrow(),
    );
    return { token, record: toApiToken(row) };
  }

  /** The user a live token acts for (not revoked, not expired, user enabled), and the token's id; undefined otherwise. */
  async authenticate(token: string): Promise<{ user: SignedInUser; tokenId: string; lastUsedAt: Date | null } | undefined> {
    const row = await this.#run(() =>
      this.#db
        .selectFrom('api_tokens')
        .innerJoin('users', 'users.id', 'api_tokens.user_id')
        .select(['users.id', 'users.username', 'users.role', 'users.library_id', 'api_tokens.id as token_id', 'api_tokens.last_used_at'])
        .where('api_tokens.token_hash', '=', secretHash(token))
        .where('api_tokens.revoked_at', 'is', null)
        .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', sql<Date>`now()`)]))
        .where('users.disabled', '=', false)
        .executeTakeFirst(),
    );
    if (row === undefined) return undefined;
    return { user: { id: row.id, username: row.username, role: row.role, libraryId: row.library_id }, tokenId: row.token_id, lastUsedAt: row.last_used_at };
  }

  /** Whether a token with this secret was ever made (live, expired or revoked). */
  async exists(token: string): Promise<boolean> {
    const row = await this.#run(() => this.#db.selectFrom('api_tokens').select('id').where('token_hash', '=', secretHash(token)).executeTakeFirst());
    return row !== undefined;
  }

  async markUsed(tokenId: string): Promise<void> {
    await this.#run(() => this.#db.updateTable('api_tokens').set({ last_used_at: sql<Date>`now()` }).where('id', '=', tokenId).execute());
  }

  /** The user's tokens, newest first (never the secrets). */
  async listOf(userId: string): Promise<ApiToken[]> {
    const rows = await this.#run(() => this.#db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute());
    return rows.map(toApiToken);
  }

  /** Revokes a token of this user (any user's for `userId` undefined: an administrator); idempotent. NotFoundError when there is no such token. */
  async revoke(tokenId: string, userId: string | undefined): Promise<ApiToken> {
    let query = this.#db.updateTable('api_tokens').set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` }).where('id', '=', tokenId);
    if (userId !== undefined) query = query.where('user_id', '=', userId);
    const row = await this.#run(() => query.returningAll().executeTakeFirst());
    if (row === undefined) throw new NotFoundError(`No token ${tokenId}`);
    return toApiToken(row);
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }
}

function toApiToken(row: { id: string; user_id: string; name: string; created_at: Date; expires_at: Date | null; revoked_at: Date | null; last_used_at: Date | null }): ApiToken {
  return { id: row.id, userId: row.user_id, name: row.name, createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: row.revoked_at, lastUsedAt: row.last_used_at };
}
