import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * Sign-in and accountability:
 * - `sessions`: one row per signed-in browser, keyed by the sha256 of its cookie (a stolen
 *   database gives no usable cookie), with the session's CSRF token and its expiry;
 * - `api_tokens`: tokens for scan stations and scripts, stored as sha256 only, revocable;
 * - `login_failures`: failed sign-ins per user name, for slowing down and locking guessing;
 * - `audit_log`: who did what, when, from where, and whether it was allowed.
 * Every statement is its own query (PGlite, see 0001).
 */
export const migration0006Auth: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const statement of [
      `create table sessions (
         id_hash text primary key,
         user_id text not null,
         csrf_token text not null,
         created_at timestamptz not null default now(),
         expires_at timestamptz not null,
         last_seen_at timestamptz not null default now(),
         ip text,
         constraint sessions_user_id_fkey foreign key (user_id) references users (id) on delete cascade
       )`,
      `create index sessions_user_id_idx on sessions (user_id)`,
      `create index sessions_expires_at_idx on sessions (expires_at)`,
      `create table api_tokens (
         id text primary key,
         user_id text not null,
         name text not null,
         token_hash text not null,
         created_at timestamptz not null default now(),
         expires_at timestamptz,
         revoked_at timestamptz,
         last_used_at timestamptz,
         constraint api_tokens_user_id_fkey foreign key (user_id) references users (id) on delete cascade,
         constraint api_tokens_token_hash_key unique (token_hash)
       )`,
      `create index api_tokens_user_id_idx on api_tokens (user_id)`,
      `create table login_failures (
         username_key text primary key,
         failures integer not null,
         last_failure_at timestamptz not null,
         locked_until timestamptz
       )`,
      `create table audit_log (
         id bigint generated always as identity primary key,
         at timestamptz not null default now(),
         actor_id text,
         actor_name text not null,
         actor_via text not null,
         action text not null,
         target_type text,
         target_id text,
         outcome text not null,
         ip text,
         detail jsonb not null default '{}',
         constraint audit_log_actor_via_check check (actor_via in ('session', 'token', 'anonymous', 'system')),
         constraint audit_log_outcome_check check (outcome in ('ok', 'denied', 'failed'))
       )`,
      `create index audit_log_at_idx on audit_log (at desc)`,
    ]) {
      await sql.raw(statement).execute(db);
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['audit_log', 'login_failures', 'api_tokens', 'sessions']) await sql.raw(`drop table ${table}`).execute(db);
  },
};
