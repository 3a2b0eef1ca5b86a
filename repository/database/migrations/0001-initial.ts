import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The first schema: libraries, collections, items, pages, stored objects, users.
 *
 * Frozen once released: change the schema with a new migration, never by editing this file.
 * The value lists in the CHECK constraints are copies (not imports) of those in
 * `domain.types.ts` for the same reason.
 *
 * Every statement is its own query: PGlite runs parameterless queries through the extended
 * protocol, which accepts one statement at a time.
 */

/** Serialises `CREATE EXTENSION` between processes migrating the same database at once. */
const EXTENSION_LOCK_KEY = 206_2021_0001;

async function extensionSchema(db: Kysely<unknown>, extension: string): Promise<string> {
  const result = await sql<{ schema: string }>`
    select n.nspname as schema
    from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where e.extname = ${extension}`.execute(db);
  const schema = result.rows[0]?.schema;
  if (schema === undefined) throw new Error(`Extension ${extension} is not installed`);
  return schema;
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

async function run(db: Kysely<unknown>, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export const migration0001Initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Extensions live in `public` and are shared by every schema of the database (tests use
    // one schema per file). `IF NOT EXISTS` alone is not race-safe: two sessions can both see
    // "missing" and one then fails on the catalogue's unique index. The transaction-scoped
    // advisory lock (the Migrator runs migrations in a transaction) closes that window.
    await sql`select pg_advisory_xact_lock(${sql.lit(EXTENSION_LOCK_KEY)})`.execute(db);
    await sql`create extension if not exists unaccent with schema public`.execute(db);
    await sql`create extension if not exists pg_trgm with schema public`.execute(db);
    // Where they really are (a DBA may have installed them elsewhere beforehand).
    const unaccentSchema = quote(await extensionSchema(db, 'unaccent'));
    const trgmSchema = quote(await extensionSchema(db, 'pg_trgm'));

    await run(db, [
      // unaccent() is only STABLE (it reads a dictionary chosen by search_path); this wrapper
      // pins the dictionary so it can be IMMUTABLE and serve in an index. Fully qualified:
      // index maintenance runs with a restricted search_path. unaccent folds đ/Đ to d/D and
      // drops combining marks, so NFD input folds like NFC input.
      `create function immutable_unaccent(text) returns text
         language sql immutable parallel safe strict
         as $$ select ${unaccentSchema}.unaccent('${unaccentSchema}.unaccent'::regdictionary, $1) $$`,

      `create table libraries (
         id text primary key,
         slug text not null,
         name text not null,
         province text not null,
         kind text not null,
         created_at timestamptz not null default now(),
         updated_at timestamptz not null default now(),
         constraint libraries_slug_key unique (slug),
         constraint libraries_slug_check check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
         constraint libraries_name_check check (btrim(name) <> ''),
         constraint libraries_kind_check check (kind in ('provincial', 'district', 'school', 'specialised', 'community'))
       )`,

      `create table collections (
         id text primary key,
         library_id text not null,
         slug text not null,
         title text not null,
         description text not null default '',
         category text not null,
         holdings_count integer not null default 0,
         target_percent double precision not null default 0,
         target_date date,
         default_access text not null default 'public',
         ocr_profile text not null default 'vie',
         min_dpi integer not null default 300,
         created_at timestamptz not null default now(),
         updated_at timestamptz not null default now(),
         constraint collections_library_id_fkey foreign key (library_id) references libraries (id),
         constraint collections_library_slug_key unique (library_id, slug),
         constraint collections_slug_check check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
         constraint collections_title_check check (btrim(title) <> ''),
         constraint collections_category_check check (category in ('dia-chi', 'rare', 'endogenous', 'other')),
         constraint collections_holdings_count_check check (holdings_count >= 0),
         constraint collections_target_percent_check check (target_percent >= 0 and target_percent <= 100),
         constraint collections_default_access_check check (default_access in ('public', 'restricted', 'confidential')),
         constraint collections_ocr_profile_check check (ocr_profile in ('vie', 'han-vert', 'han', 'vie+han')),
         constraint collections_min_dpi_check check (min_dpi > 0)
       )`,

      `create table items (
         id text primary key,
         collection_id text not null,
         identifier text not null,
         title text not null,
         dublin_core jsonb not null default '{}',
         language text not null default 'vi',
         script text not null default 'Latn',
         access_level text,
         ocr_profile text,
         status text not null default 'registered',
         digitised_at timestamptz,
         created_at timestamptz not null default now(),
         updated_at timestamptz not null default now(),
         constraint items_collection_id_fkey foreign key (collection_id) references collections (id),
         constraint items_collection_identifier_key unique (collection_id, identifier),
         constraint items_identifier_check check (btrim(identifier) <> ''),
         constraint items_title_check check (btrim(title) <> ''),
         constraint items_dublin_core_check check (jsonb_typeof(dublin_core) = 'object'),
         constraint items_access_level_check check (access_level in ('public', 'restricted', 'confidential')),
         constraint items_ocr_profile_check check (ocr_profile in ('vie', 'han-vert', 'han', 'vie+han')),
         constraint items_status_check check (status in ('registered', 'uploading', 'processing', 'digitised', 'failed'))
       )`,
      `create index items_status_idx on items (status)`,
      `create index items_collection_status_idx on items (collection_id, status)`,
      // Diacritic-insensitive title search (similarity, LIKE '%…%') without a table scan.
      `create index items_title_folded_trgm_idx on items
         using gin (lower(immutable_unaccent(title)) ${trgmSchema}.gin_trgm_ops)`,

      `create table pages (
         id text primary key,
         item_id text not null,
         seq integer not null,
         label text,
         master_key text not null,
         master_sha256 text not null,
         master_size bigint not null,
         content_type text not null,
         width integer,
         height integer,
         dpi integer,
         status text not null default 'pending',
         stages jsonb not null default '{}',
         skew_angle double precision,
         ocr_confidence double precision,
         derivatives jsonb not null default '{}',
         created_at timestamptz not null default now(),
         updated_at timestamptz not null default now(),
         constraint pages_item_id_fkey foreign key (item_id) references items (id) on delete cascade,
         constraint pages_item_seq_key unique (item_id, seq),
         constraint pages_seq_check check (seq >= 1),
         constraint pages_master_sha256_check check (master_sha256 ~ '^[0-9a-f]{64}$'),
         constraint pages_master_size_check check (master_size >= 0),
         constraint pages_dimensions_check check (width > 0 and height > 0 and dpi > 0),
         constraint pages_status_check check (status in ('pending', 'processing', 'done', 'failed')),
         constraint pages_stages_check check (jsonb_typeof(stages) = 'object'),
         constraint pages_ocr_confidence_check check (ocr_confidence >= 0 and ocr_confidence <= 100),
         constraint pages_derivatives_check check (jsonb_typeof(derivatives) = 'object')
       )`,
      `create index pages_status_idx on pages (status)`,

      // No cascade from items or pages: deleting a document whose objects are still recorded
      // is refused, so the object store never holds files the database forgot.
      `create table stored_objects (
         key text primary key,
         sha256 text not null,
         size bigint not null,
         content_type text not null,
         item_id text,
         page_id text,
         kind text not null,
         created_at timestamptz not null default now(),
         updated_at timestamptz not null default now(),
         constraint stored_objects_item_id_fkey foreign key (item_id) references items (id),
         constraint stored_objects_page_id_fkey foreign key (page_id) references pages (id),
         constraint stored_objects_sha256_check check (sha256 ~ '^[0-9a-f]{64}$'),
         constraint stored_objects_size_check check (size >= 0),
         constraint stored_objects_kind_check check (kind ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
       )`,
      `create index stored_objects_item_id_idx on stored_objects (item_id)`,
      `create index stored_objects_page_id_idx on stored_objects (page_id)`,

      `create table users (
         id text primary key,
         username text not null,
         display_name text not null,
         email text,
         role text not null,
         library_id text,
         password_hash text,
         disabled boolean not null default false,
         created_at timestamptz not null default now(),
         updated_at timestamptz not null default now(),
         constraint users_library_id_fkey foreign key (library_id) references libraries (id),
         constraint users_username_check check (username ~ '^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$'),
         constraint users_role_check check (role in ('admin', 'operator', 'reader'))
       )`,
      // Case-insensitive uniqueness; usernames are ASCII, so lower() means the same under
      // every collation.
      `create unique index users_username_lower_key on users (lower(username))`,
      `create index users_library_id_idx on users (library_id)`,
    ]);
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await run(db, [
      'drop table users',
      'drop table stored_objects',
      'drop table pages',
      'drop table items',
      'drop table collections',
      'drop table libraries',
      'drop function immutable_unaccent(text)',
    ]);
    // The extensions stay: other schemas of the same database may use them.
  },
};
