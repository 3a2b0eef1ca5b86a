import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';

/**
 * IIIF Authorization Flow 2.0 access tokens: what the token service hands a viewer so that it
 * can ask the probe service whether its user may see a document. Each belongs to the browser
 * session it was issued from, so signing out ends it; only its sha256 is kept.
 */
export const migration0007IiifAccessTokens: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const statement of [
      `create table iiif_access_tokens (
         token_hash text primary key,
         session_hash text not null,
         origin text not null,
         created_at timestamptz not null default now(),
         expires_at timestamptz not null,
         constraint iiif_access_tokens_session_hash_fkey foreign key (session_hash) references sessions (id_hash) on delete cascade
       )`,
      `create index iiif_access_tokens_session_hash_idx on iiif_access_tokens (session_hash)`,
      `create index iiif_access_tokens_expires_at_idx on iiif_access_tokens (expires_at)`,
    ]) {
      await sql.raw(statement).execute(db);
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await sql.raw('drop table iiif_access_tokens').execute(db);
  },
};
