import type { ColumnType, Generated, GeneratedAlways } from 'kysely';
import type {
  AccessLevel,
  CollectionCategory,
  DcValue,
  DublinCoreElement,
  ItemStatus,
  LibraryKind,
  OcrProfile,
  PageDerivatives,
  PageWarning,
  PageStages,
  PageStatus,
  UserRole,
} from './domain.types.ts';
import type { CorrectionTables } from '../corrections/corrections.schema.ts';

/**
 * Kysely's view of the tables created by the migrations: snake_case columns as PostgreSQL
 * has them. Only the repositories use these; everything else sees the domain types.
 */

/** `timestamptz` read as Date; written as a Date, an ISO string or `sql\`now()\``. */
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/** `jsonb` read as a parsed value, written as a JSON text (see Database). */
type Jsonb<T> = ColumnType<T, string, string>;

/** `bigint` read as number (see the type parsers), written as number. */
type Int8 = ColumnType<number, number, number>;

/** `date` read and written as `YYYY-MM-DD`. */
type DateOnly = string;

/** What `items.dublin_core` holds: only the elements that have values. */
export type StoredDublinCore = Partial<Record<DublinCoreElement, DcValue[]>>;

export interface LibraryTable {
  id: string;
  slug: string;
  name: string;
  province: string;
  kind: LibraryKind;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface CollectionTable {
  id: string;
  library_id: string;
  slug: string;
  title: string;
  description: Generated<string>;
  category: CollectionCategory;
  holdings_count: Generated<number>;
  target_percent: Generated<number>;
  target_date: DateOnly | null;
  default_access: Generated<AccessLevel>;
  ocr_profile: Generated<OcrProfile>;
  min_dpi: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ItemTable {
  id: string;
  collection_id: string;
  identifier: string;
  title: string;
  dublin_core: Jsonb<StoredDublinCore>;
  language: Generated<string>;
  script: Generated<string>;
  access_level: AccessLevel | null;
  ocr_profile: OcrProfile | null;
  status: Generated<ItemStatus>;
  /** Folded title and searchable Dublin Core, stored for search (migration 0005). */
  search_folded: GeneratedAlways<string>;
  digitised_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** The original MARC 21 record as MARC-in-JSON, for items imported from MARC (migration 0010). */
  marc_record: ColumnType<MarcInJson | null, string | null | undefined, string | null>;
}

/** A MARC 21 record in MARC-in-JSON form: `leader` and `fields`, each `{ "001": "…" }` or `{ "245": { ind1, ind2, subfields: [{ a: "…" }] } }`. */
export interface MarcInJson {
  leader: string;
  fields: Record<string, string | { ind1: string; ind2: string; subfields: Record<string, string>[] }>[];
}

export interface PageTable {
  id: string;
  item_id: string;
  seq: number;
  label: string | null;
  master_key: string;
  master_sha256: string;
  master_size: Int8;
  content_type: string;
  width: number | null;
  height: number | null;
  dpi: number | null;
  status: Generated<PageStatus>;
  stages: Jsonb<PageStages>;
  skew_angle: number | null;
  ocr_confidence: number | null;
  derivatives: Jsonb<PageDerivatives>;
  master_page: number | null;
  image_width: number | null;
  image_height: number | null;
  warnings: ColumnType<PageWarning[], string | undefined, string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PageTextTable {
  page_id: string;
  item_id: string;
  text: string;
  /** `lower(immutable_unaccent(text))`, stored for search (migration 0005). */
  folded: GeneratedAlways<string>;
  updated_at: UpdatedAt;
}

export interface StoredObjectTable {
  key: string;
  sha256: string;
  size: Int8;
  content_type: string;
  item_id: string | null;
  page_id: string | null;
  kind: string;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  role: UserRole;
  library_id: string | null;
  password_hash: string | null;
  disabled: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: ColumnType<Date, Date, Date>;
  last_seen_at: ColumnType<Date, Date | undefined, Date>;
  ip: string | null;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: CreatedAt;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export interface IiifAccessTokenTable {
  token_hash: string;
  session_hash: string;
  origin: string;
  created_at: CreatedAt;
  expires_at: Date;
}

export interface FixityCheckTable {
  key: string;
  checked_at: CreatedAt;
  outcome: 'ok' | 'mismatch' | 'missing' | 'unreadable';
  expected_sha256: string;
  actual_sha256: string | null;
  actual_size: Int8 | null;
  detail: string | null;
}

/** Subjects whose record in the object store is behind the database (migration 0009). */
export interface RecordOutboxTable {
  subject_type: 'library' | 'collection' | 'item';
  subject_id: string;
  revision: Int8;
  changed_at: CreatedAt;
  claimed_by: string | null;
  claimed_until: Date | null;
}

export interface LoginFailureTable {
  username_key: string;
  failures: number;
  last_failure_at: Date;
  locked_until: Date | null;
}

export interface AuditLogTable {
  id: GeneratedAlways<number>;
  at: CreatedAt;
  actor_id: string | null;
  actor_name: string;
  actor_via: 'session' | 'token' | 'anonymous' | 'system';
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  ip: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
}

/** What the OAI-PMH provider shows of each item ever created (migration 0011). */
export interface OaiRecordTable {
  item_id: string;
  library_id: string;
  collection_id: string;
  access_level: AccessLevel;
  most_open_level: AccessLevel;
  deleted: Generated<boolean>;
  datestamp: Date;
}

/** Keys the server made for itself (migration 0011): `oai-resumption-token`. */
export interface ServerSecretTable {
  name: string;
  secret: string;
  created_at: CreatedAt;
}

/** A remote OAI-PMH repository the union catalogue harvests (migration 0012). */
export interface HarvestSourceTable {
  id: string;
  name: string;
  base_url: string;
  /** The prefix of the last successful harvest: the format of what is held (migration 0014). */
  metadata_prefix: Generated<string>;
  set_spec: string | null;
  enabled: Generated<boolean>;
  interval_minutes: Generated<number>;
  last_attempt_at: NullableTimestamp;
  last_success_at: NullableTimestamp;
  /** The source's `responseDate` when the last successful harvest started: the next `from`. */
  last_success_from: string | null;
  /** The `from` the last harvest sent (none: a full harvest). */
  last_request_from: string | null;
  last_error: string | null;
  last_harvested: Generated<number>;
  last_deleted: Generated<number>;
  record_count: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** One record harvested from a source, with its union-catalogue match keys (migration 0012). */
export interface HarvestedRecordTable {
  source_id: string;
  oai_identifier: string;
  datestamp: string;
  dublin_core: Jsonb<StoredDublinCore>;
  title: string;
  /** `isbn:978…` (ISBN-13) and `issn:NNNN-NNNN`. */
  standard_numbers: ColumnType<string[], string[] | undefined, string[]>;
  title_key: string | null;
  search_folded: string;
  manifest_url: string | null;
  document_url: string | null;
  harvested_at: CreatedAt;
  /** The prefix the record was harvested in (`oai_dc`, `marcxml`, `marc21`…). */
  metadata_prefix: string;
  /** The record's metadata element as the source sent it; null when harvested before migration 0014. */
  metadata_xml: string | null;
}

export interface DatabaseSchema extends CorrectionTables {
  libraries: LibraryTable;
  collections: CollectionTable;
  items: ItemTable;
  pages: PageTable;
  page_texts: PageTextTable;
  stored_objects: StoredObjectTable;
  users: UserTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  iiif_access_tokens: IiifAccessTokenTable;
  fixity_checks: FixityCheckTable;
  record_outbox: RecordOutboxTable;
  login_failures: LoginFailureTable;
  audit_log: AuditLogTable;
  oai_records: OaiRecordTable;
  server_secrets: ServerSecretTable;
  harvest_sources: HarvestSourceTable;
  harvested_records: HarvestedRecordTable;
}
