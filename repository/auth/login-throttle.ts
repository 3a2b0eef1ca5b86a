import { sql, type Kysely } from 'kysely';
import { TooManyRequestsError } from '../../storage/index.ts';
import { translateDatabaseError } from '../database/database-errors.ts';
import type { DatabaseSchema } from '../database/schema.ts';

export interface LoginThrottlePolicy {
  /** Failures allowed without any wait. */
  freeFailures: number;
  /** After that, each failure doubles the wait before the next attempt, from this… */
  firstDelayMs: number;
  /** …up to this. */
  maxDelayMs: number;
  /** This many failures in a row lock the account for `lockMs`. */
  lockAfter: number;
  lockMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottlePolicy = { freeFailures: 3, firstDelayMs: 1000, maxDelayMs: 30_000, lockAfter: 10, lockMs: 15 * 60_000 };

/**
 * Slows and then stops password guessing, per user name (whatever the address, so spreading
 * guesses over many addresses does not help): after `freeFailures` failures the next attempt
 * must wait, doubling each time; after `lockAfter` the account is locked for `lockMs`. A
 * success clears the record. Kept in the database so every server and restart sees it.
 */
export class LoginThrottle {
  readonly #db: Kysely<DatabaseSchema>;
  readonly #policy: LoginThrottlePolicy;

  constructor(db: Kysely<DatabaseSchema>, policy: LoginThrottlePolicy = DEFAULT_LOGIN_THROTTLE) {
    this.#db = db;
    this.#policy = policy;
  }

  /** Throws `TooManyRequestsError` (429, `details.retryAfterSeconds`) while this user name must wait or is locked. */
  async assertMayTry(username: string, now = new Date()): Promise<void> {
    const row = await this.#run(() => this.#db.selectFrom('login_failures').selectAll().where('username_key', '=', key(username)).executeTakeFirst());
    if (row === undefined) return;
    if (row.locked_until !== null && row.locked_until > now) {
      throw tooMany(`Too many failed sign-ins: the account is locked until ${row.locked_until.toISOString()}`, row.locked_until.getTime() - now.getTime());
    }
    const wait = this.delayAfter(row.failures);
    const allowedAt = row.last_failure_at.getTime() + wait;
    if (allowedAt > now.getTime()) throw tooMany('Too many failed sign-ins: wait before trying again', allowedAt - now.getTime());
  }

  /** Records a failure; returns the failures in a row. */
  async failed(username: string): Promise<number> {
    const { lockAfter, lockMs } = this.#policy;
    const row = await this.#run(() =>
      this.#db
        .insertInto('login_failures')
        .values({ username_key: key(username), failures: 1, last_failure_at: sql<Date>`now()` })
        .onConflict((oc) =>
          oc.column('username_key').doUpdateSet({
            failures: sql<number>`login_failures.failures + 1`,
            last_failure_at: sql<Date>`now()`,
            locked_until: sql<Date | null>`case when login_failures.failures + 1 >= ${lockAfter} then now() + ${`${lockMs} milliseconds`}::interval else login_failures.locked_until end`,
          }),
        )
        .returning('failures')
        .executeTakeFirstOrThrow(),
    );
    return row.failures;
  }

  async succeeded(username: string): Promise<void> {
    await this.#run(() => this.#db.deleteFrom('login_failures').where('username_key', '=', key(username)).execute());
  }

  /** The wait after this many failures in a row. */
  delayAfter(failures: number): number {
    const { freeFailures, firstDelayMs, maxDelayMs } = this.#policy;
    if (failures < freeFailures) return 0;
    return Math.min(maxDelayMs, firstDelayMs * 2 ** (failures - freeFailures));
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }
}

const key = (username: string) => username.trim().toLowerCase().slice(0, 64);

function tooMany(message: string, waitMs: number): TooManyRequestsError {
  return new TooManyRequestsError(message, { details: { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } });
}
