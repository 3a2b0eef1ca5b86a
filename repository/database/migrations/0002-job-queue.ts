import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The table of the in-process job runner (the embedded default, when no Redis is configured):
 * jobs survive a restart and several processes on one PostgreSQL server can share them
 * (claims use `for update skip locked`). BullMQ deployments leave it empty.
 *
 * Frozen once released: change the schema with a new migration. One statement per query
 * (PGlite, see 0001).
 */
async function run(db: Kysely<unknown>, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export const migration0002JobQueue: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await run(db, [
      // status: waiting (ready once run_at has passed), delayed (retry backoff or requested
      // delay; also claimable once run_at has passed), active (claimed: lease_until and
      // lease_token set), waiting-children (a flow parent: pending_children > 0), completed,
      // failed. attempts counts the runs started, minus those handed back by a graceful stop.
      `create table jobs (
         id text primary key,
         queue text not null,
         name text not null,
         payload jsonb not null,
         status text not null,
         attempts integer not null default 0,
         max_attempts integer not null,
         run_at timestamptz not null default now(),
         last_error text,
         parent_id text,
         pending_children integer not null default 0,
         lease_until timestamptz,
         lease_token text,
         created_at timestamptz not null default now(),
         updated_at timestamptz not null default now(),
         finished_at timestamptz,
         constraint jobs_parent_id_fkey foreign key (parent_id) references jobs (id) on delete set null,
         constraint jobs_status_check check (status in ('waiting', 'delayed', 'active', 'waiting-children', 'completed', 'failed')),
         constraint jobs_name_check check (btrim(name) <> ''),
         constraint jobs_payload_check check (jsonb_typeof(payload) = 'object'),
         constraint jobs_attempts_check check (attempts >= 0),
         constraint jobs_max_attempts_check check (max_attempts >= 1),
         constraint jobs_pending_children_check check (pending_children >= 0),
         constraint jobs_lease_check check ((status = 'active') = (lease_until is not null and lease_token is not null))
       )`,
      // Claiming: the oldest due job of a queue.
      `create index jobs_claim_idx on jobs (queue, run_at, created_at) where status in ('waiting', 'delayed')`,
      // Reclaiming expired leases.
      `create index jobs_lease_idx on jobs (queue, lease_until) where status = 'active'`,
      // Counts, failed-job listings, pruning.
      `create index jobs_queue_status_idx on jobs (queue, status, finished_at)`,
      `create index jobs_parent_id_idx on jobs (parent_id)`,
    ]);
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await run(db, ['drop table jobs']);
  },
};
