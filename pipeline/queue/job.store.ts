import { randomUUID } from 'node:crypto';
import { sql, type ColumnType, type Kysely, type Selectable, type Transaction, type UpdateObject } from 'kysely';
import { translateDatabaseError, type Database, type DatabaseSchema } from '../../repository/index.ts';
import { ConflictError, NotFoundError } from '../../storage/index.ts';
import type { FailedJob, JobCounts } from './job-queue.port.ts';

/**
 * The one home of the `jobs` table (migration 0002) and its SQL: what the in-process runner
 * needs to add, claim, finish and list jobs. Every time comes from the database's clock
 * (`now()`), so several processes sharing a PostgreSQL server agree on leases and delays.
 *
 * PGlite is one session: transactions here use their `trx` handle only (see
 * `pglite.dialect.ts`).
 */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type StoredJobStatus = 'waiting' | 'delayed' | 'active' | 'waiting-children' | 'completed' | 'failed';

export interface JobTable {
  id: string;
  queue: string;
  name: string;
  /** jsonb: written as JSON text, read parsed. */
  payload: ColumnType<Record<string, unknown>, string, string>;
  status: StoredJobStatus;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: number;
  run_at: Timestamp;
  last_error: string | null;
  parent_id: string | null;
  pending_children: ColumnType<number, number | undefined, number>;
  lease_until: NullableTimestamp;
  lease_token: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: NullableTimestamp;
}

// A type alias, not an interface: Kysely's `withTables` wants an index-signature-compatible type.
type JobSchema = { jobs: JobTable };
/** The product's tables plus `jobs`, which only this store knows. */
type Db = DatabaseSchema & JobSchema;

export type JobRow = Selectable<JobTable>;

/** A job as claimed by one run: the token proves the run still owns it. */
export interface ClaimedJob {
  id: string;
  name: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  leaseToken: string;
}

export interface NewStoredJob {
  id?: string;
  name: string;
  payload: object;
  maxAttempts: number;
  delayMs?: number;
}

/** Finished states: a job with the same id is replaced; in any other it blocks a new one. */
const FINISHED: StoredJobStatus[] = ['completed', 'failed'];

const ms = (value: number) => sql<Date>`now() + ${value} * interval '1 millisecond'`;

export class JobStore {
  readonly #db: Kysely<Db>;
  readonly #queue: string;

  constructor(database: Database, queue: string) {
    this.#db = database.db.withTables<JobSchema>();
    this.#queue = queue;
  }

  /** Adds (or replaces a finished job with the same id); `undefined` when one is pending. */
  async add(job: NewStoredJob): Promise<string | undefined> {
    return this.#run(() => insertJob(this.#db, this.#queue, job, {}));
  }

  /**
   * Adds a parent waiting for its children, and the children, in one transaction. `undefined`
   * when the parent's id is pending; `ConflictError` when a child's id is (nothing is added).
   */
  async addFlow(parent: NewStoredJob, children: NewStoredJob[]): Promise<string | undefined> {
    return this.#run(() =>
      this.#db.transaction().execute(async (trx) => {
        const parentId = await insertJob(trx, this.#queue, parent, { pendingChildren: children.length });
        if (parentId === undefined) return undefined;
        for (const child of children) {
          const childId = await insertJob(trx, this.#queue, child, { parentId });
          if (childId === undefined) {
            throw new ConflictError(
              `Job '${child.id ?? ''}' is already waiting or running: it cannot also be a child of job '${parentId}'`,
            );
          }
        }
        return parentId;
      }),
    );
  }

  /** Claims the oldest due job for one run; `undefined` when none is due. */
  async claim(leaseMs: number): Promise<ClaimedJob | undefined> {
    const token = randomUUID();
    const result = await this.#run(() =>
      sql<JobRow>`
        update jobs set status = 'active', attempts = attempts + 1, lease_until = ${ms(leaseMs)},
          lease_token = ${token}, updated_at = now()
        where id = (
          select id from jobs
          where queue = ${this.#queue} and status in ('waiting', 'delayed') and run_at <= now()
          order by run_at, created_at, id
          limit 1
          for update skip locked)
        returning *`.execute(this.#db),
    );
    const row = result.rows[0];
    if (row === undefined) return undefined;
    return {
      id: row.id,
      name: row.name,
      payload: row.payload,
      attempts: row.attempts,
      maxAttempts: row.max_attempts,
      leaseToken: token,
    };
  }

  /** Extends the lease of a run; `false` when the run no longer owns the job. */
  async renewLease(job: ClaimedJob, leaseMs: number): Promise<boolean> {
    return this.#updateOwned(job, { lease_until: ms(leaseMs) });
  }

  /** Marks the run's job completed and releases its parent if it was the last child. */
  async complete(job: ClaimedJob): Promise<boolean> {
    return this.#finish(job, { status: 'completed', last_error: null });
  }

  /** Fails the run's job for good (recording `reason`) and releases its parent if due. */
  async fail(job: ClaimedJob, reason: string): Promise<boolean> {
    return this.#finish(job, { status: 'failed', last_error: reason });
  }

  /** Puts the run's job back to run again after `delayMs`, recording `reason`. */
  async retryLater(job: ClaimedJob, reason: string, delayMs: number): Promise<boolean> {
    return this.#updateOwned(job, { status: 'delayed', run_at: ms(delayMs), last_error: reason, lease_until: null, lease_token: null });
  }

  /** Gives the run's job back unfinished (graceful stop): this run does not count as an attempt. */
  async handBack(job: ClaimedJob): Promise<boolean> {
    return this.#updateOwned(job, {
      status: 'waiting',
      attempts: sql`greatest(attempts - 1, 0)`,
      lease_until: null,
      lease_token: null,
    });
  }

  /** Updates the job only while this run still owns it (active, same lease token); false when it lost it. */
  async #updateOwned(job: ClaimedJob, values: UpdateObject<Db, 'jobs'>): Promise<boolean> {
    const result = await this.#run(() =>
      this.#db
        .updateTable('jobs')
        .set({ ...values, updated_at: sql`now()` })
        .where('id', '=', job.id)
        .where('lease_token', '=', job.leaseToken)
        .where('status', '=', 'active')
        .executeTakeFirst(),
    );
    return result.numUpdatedRows > 0n;
  }

  /**
   * Takes back the jobs whose run stopped renewing its lease (the process died or hung): back
   * to waiting, or failed when that run was its last attempt. Returns how many of each.
   */
  async reclaimExpired(reason: string): Promise<{ requeued: string[]; failed: string[] }> {
    return this.#run(() =>
      this.#db.transaction().execute(async (trx) => {
        const expired = await sql<{ id: string; attempts: number; max_attempts: number; parent_id: string | null }>`
          select id, attempts, max_attempts, parent_id from jobs
          where queue = ${this.#queue} and status = 'active' and lease_until < now()
          order by lease_until
          limit 100
          for update skip locked`.execute(trx);
        const requeued: string[] = [];
        const failed: string[] = [];
        for (const row of expired.rows) {
          if (row.attempts < row.max_attempts) {
            await trx
              .updateTable('jobs')
              .set({ status: 'waiting', last_error: reason, lease_until: null, lease_token: null, updated_at: sql`now()` })
              .where('id', '=', row.id)
              .execute();
            requeued.push(row.id);
          } else {
            await trx
              .updateTable('jobs')
              .set({
                status: 'failed',
                last_error: reason,
                lease_until: null,
                lease_token: null,
                finished_at: sql`now()`,
                updated_at: sql`now()`,
              })
              .where('id', '=', row.id)
              .execute();
            if (row.parent_id !== null) await releaseParent(trx, row.parent_id);
            failed.push(row.id);
          }
        }
        return { requeued, failed };
      }),
    );
  }

  /** Deletes this queue's jobs completed more than `olderThanMs` ago; returns how many. */
  async pruneCompleted(olderThanMs: number): Promise<number> {
    const result = await this.#run(() =>
      this.#db
        .deleteFrom('jobs')
        .where('queue', '=', this.#queue)
        .where('status', '=', 'completed')
        .where('finished_at', '<', ms(-olderThanMs))
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }

  async counts(): Promise<JobCounts> {
    const result = await this.#run(() =>
      sql<JobCounts>`
        select
          count(*) filter (where status in ('waiting', 'delayed') and run_at <= now()) as "waiting",
          count(*) filter (where status = 'active') as "active",
          count(*) filter (where status in ('waiting', 'delayed') and run_at > now()) as "delayed",
          count(*) filter (where status = 'waiting-children') as "waiting-children",
          count(*) filter (where status = 'failed') as "failed",
          count(*) filter (where status = 'completed') as "completed"
        from jobs where queue = ${this.#queue}`.execute(this.#db),
    );
    return result.rows[0]!;
  }

  async failedJobs(limit: number, offset: number): Promise<FailedJob[]> {
    const rows = await this.#run(() =>
      this.#db
        .selectFrom('jobs')
        .select(['id', 'name', 'payload', 'last_error', 'attempts', 'finished_at'])
        .where('queue', '=', this.#queue)
        .where('status', '=', 'failed')
        .orderBy('finished_at', 'desc')
        .orderBy('id')
        .limit(limit)
        .offset(offset)
        .execute(),
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      payload: row.payload,
      reason: row.last_error ?? '',
      attempts: row.attempts,
      failedAt: row.finished_at ?? new Date(0),
    }));
  }

  /** Failed → waiting with no attempts used. Throws `NotFoundError`, `ConflictError`. */
  async retryFailed(jobId: string): Promise<void> {
    await this.#run(() =>
      this.#db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('jobs')
          .select(['status'])
          .where('id', '=', jobId)
          .where('queue', '=', this.#queue)
          .forUpdate()
          .executeTakeFirst();
        if (row === undefined) throw new NotFoundError(`Job '${jobId}' not found: it may have been removed`);
        if (row.status !== 'failed') {
          throw new ConflictError(`Job '${jobId}' is ${row.status}, not failed: only failed jobs can be retried`);
        }
        await trx
          .updateTable('jobs')
          .set({ status: 'waiting', attempts: 0, run_at: sql`now()`, finished_at: null, updated_at: sql`now()` })
          .where('id', '=', jobId)
          .execute();
      }),
    );
  }

  async #finish(job: ClaimedJob, values: { status: 'completed' | 'failed'; last_error: string | null }): Promise<boolean> {
    return this.#run(() =>
      this.#db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('jobs')
          .set({
            ...values,
            lease_until: null,
            lease_token: null,
            finished_at: sql`now()`,
            updated_at: sql`now()`,
          })
          .where('id', '=', job.id)
          .where('lease_token', '=', job.leaseToken)
          .where('status', '=', 'active')
          .returning(['parent_id'])
          .executeTakeFirst();
        if (row === undefined) return false;
        if (row.parent_id !== null) await releaseParent(trx, row.parent_id);
        return true;
      }),
    );
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }
}

/**
 * Inserts a job, or re-arms a finished one with the same id; `undefined` when a job with that
 * id is pending. With `pendingChildren` > 0 the job waits for its children.
 */
async function insertJob(
  db: Kysely<Db>,
  queue: string,
  job: NewStoredJob,
  flow: { parentId?: string; pendingChildren?: number },
): Promise<string | undefined> {
  const delayMs = job.delayMs ?? 0;
  const pendingChildren = flow.pendingChildren ?? 0;
  const status: StoredJobStatus = pendingChildren > 0 ? 'waiting-children' : delayMs > 0 ? 'delayed' : 'waiting';
  const row = await db
    .insertInto('jobs')
    .values({
      id: job.id ?? randomUUID(),
      queue,
      name: job.name,
      payload: JSON.stringify(job.payload),
      status,
      attempts: 0,
      max_attempts: job.maxAttempts,
      run_at: ms(delayMs),
      parent_id: flow.parentId ?? null,
      pending_children: pendingChildren,
    })
    .onConflict((conflict) =>
      conflict
        .column('id')
        .doUpdateSet((eb) => ({
          queue: eb.ref('excluded.queue'),
          name: eb.ref('excluded.name'),
          payload: eb.ref('excluded.payload'),
          status: eb.ref('excluded.status'),
          attempts: 0,
          max_attempts: eb.ref('excluded.max_attempts'),
          run_at: eb.ref('excluded.run_at'),
          last_error: null,
          parent_id: eb.ref('excluded.parent_id'),
          pending_children: eb.ref('excluded.pending_children'),
          lease_until: null,
          lease_token: null,
          created_at: sql`now()`,
          updated_at: sql`now()`,
          finished_at: null,
        }))
        .where('jobs.status', 'in', FINISHED),
    )
    .returning(['id'])
    .executeTakeFirst();
  return row?.id;
}

/** One child of `parentId` finished for good: the parent runs once none is left. */
async function releaseParent(trx: Transaction<Db>, parentId: string): Promise<void> {
  await sql`
    update jobs set
      pending_children = pending_children - 1,
      status = case when pending_children <= 1 then 'waiting' else status end,
      run_at = case when pending_children <= 1 then now() else run_at end,
      updated_at = now()
    where id = ${parentId} and status = 'waiting-children' and pending_children > 0`.execute(trx);
}
