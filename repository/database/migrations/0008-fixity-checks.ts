import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * Fixity: the last audit of each stored object (re-read, sha256 compared with the one
 * `stored_objects` recorded when it was written). One row per key, replaced at each check
 * (the document it belongs to is the ledger's, not repeated here);
 * failures are also written to the audit log, which keeps their history.
 */
export const migration0008FixityChecks: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const statement of [
      `create table fixity_checks (
         key text primary key,
         checked_at timestamptz not null default now(),
         outcome text not null,
         expected_sha256 text not null,
         actual_sha256 text,
         actual_size bigint,
         detail text,
         constraint fixity_checks_outcome_check check (outcome in ('ok', 'mismatch', 'missing', 'unreadable'))
       )`,
      `create index fixity_checks_checked_at_idx on fixity_checks (checked_at)`,
      `create index fixity_checks_failures_idx on fixity_checks (outcome) where outcome <> 'ok'`,
    ]) {
      await sql.raw(statement).execute(db);
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await sql.raw('drop table fixity_checks').execute(db);
  },
};
