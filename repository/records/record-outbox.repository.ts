import { sql, type Kysely } from 'kysely';
import { translateDatabaseError } from '../database/database-errors.ts';
import type { DatabaseSchema } from '../database/schema.ts';
import type { RecordSubject } from '../../storage/index.ts';

/** A subject whose record is behind the database, as claimed by one writer. */
export interface ClaimedSubject {
  type: RecordSubject;
  id: string;
  /** The outbox revision the writer saw: another change meanwhile raises it. */
  revision: number;
}

/**
 * `record_outbox` (migration 0009): the subjects whose object-store record is behind the
 * database. Triggers fill it; record writers claim subjects for a lease, so that two server
 * processes never write one record at once (the later could overwrite newer with older).
 */
export class RecordOutboxRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  /** Claims up to `limit` unclaimed (or lease-expired) subjects for `owner`, oldest change first. */
  async claim(owner: string, limit: number, leaseMs: number): Promise<ClaimedSubject[]> {
    const result = await this.#run(() =>
      sql<{ subject_type: RecordSubject; subject_id: string; revision: number }>`
        update record_outbox o
        set claimed_by = ${owner}, claimed_until = clock_timestamp() + make_interval(secs => ${leaseMs / 1000})
        from (select subject_type, subject_id from record_outbox
              where claimed_until is null or claimed_until < clock_timestamp()
              order by changed_at limit ${limit}
              for update skip locked) c
        where o.subject_type = c.subject_type and o.subject_id = c.subject_id
        returning o.subject_type, o.subject_id, o.revision`.execute(this.#db),
    );
    return result.rows.map((row) => ({ type: row.subject_type, id: row.subject_id, revision: row.revision }));
  }

  /**
   * After the record was written: the subject leaves the outbox unless it changed again
   * meanwhile, in which case it is released for the next round.
   */
  async settle(subject: ClaimedSubject, owner: string): Promise<void> {
    const mine = this.#db
      .deleteFrom('record_outbox')
      .where('subject_type', '=', subject.type)
      .where('subject_id', '=', subject.id)
      .where('claimed_by', '=', owner);
    const deleted = await this.#run(() => mine.where('revision', '=', subject.revision).executeTakeFirst());
    if (deleted.numDeletedRows === 0n) await this.postpone(subject, owner, 0);
  }

  /** Keeps the subject for a later round, no sooner than `delayMs` from now. */
  async postpone(subject: ClaimedSubject, owner: string, delayMs: number): Promise<void> {
    await this.#run(() =>
      this.#db
        .updateTable('record_outbox')
        .set({ claimed_by: null, claimed_until: sql<Date>`clock_timestamp() + make_interval(secs => ${delayMs / 1000})` })
        .where('subject_type', '=', subject.type)
        .where('subject_id', '=', subject.id)
        .where('claimed_by', '=', owner)
        .execute(),
    );
  }

  /** How many records are behind, and since when (for health output). */
  async backlog(): Promise<{ subjects: number; oldest: Date | null }> {
    const row = await this.#run(() =>
      this.#db
        .selectFrom('record_outbox')
        .select((eb) => [eb.fn.countAll<number>().as('subjects'), eb.fn.min('changed_at').as('oldest')])
        .executeTakeFirstOrThrow(),
    );
    return { subjects: row.subjects, oldest: row.oldest ?? null };
  }

  /** Empties the outbox: after a rebuild the records already say what the database holds. */
  async clear(): Promise<void> {
    await this.#run(() => this.#db.deleteFrom('record_outbox').execute());
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }
}
