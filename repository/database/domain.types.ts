/**
 * The domain model as the rest of the product sees it: camelCase objects, never raw rows.
 * The value lists below are the single source for validation in the repositories; the
 * migrations copy them into CHECK constraints (a migration is a frozen snapshot, so a new
 * value needs both a change here and a new migration).
 */

export const LIBRARY_KINDS = ['provincial', 'district', 'school', 'specialised', 'community'] as const;
export type LibraryKind = (typeof LIBRARY_KINDS)[number];

/** `dia-chi`: local-history (địa chí) material; `endogenous`: tài liệu nội sinh. */
export const COLLECTION_CATEGORIES = ['dia-chi', 'rare', 'endogenous', 'other'] as const;
export type CollectionCategory = (typeof COLLECTION_CATEGORIES)[number];

/** See design §6: public; restricted (registered readers, reading room); confidential (staff). */
export const ACCESS_LEVELS = ['public', 'restricted', 'confidential'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/**
 * `vie`: Vietnamese (Quốc ngữ); `han-vert`: vertical Hán; `han`: horizontal Hán; `vie+han`: mixed;
 * `nom-vert`: vertical Nôm; `han-nom-vert`: vertical pages mixing Hán and Nôm.
 */
export const OCR_PROFILES = ['vie', 'han-vert', 'han', 'vie+han', 'nom-vert', 'han-nom-vert'] as const;
export type OcrProfile = (typeof OCR_PROFILES)[number];

/** Profiles whose pages are columns read top to bottom, right to left (woodblock Hán-Nôm). */
export function isVerticalProfile(profile: OcrProfile): boolean {
  return profile === 'han-vert' || profile === 'nom-vert' || profile === 'han-nom-vert';
}

export const ITEM_STATUSES = ['registered', 'uploading', 'processing', 'digitised', 'failed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const PAGE_STATUSES = ['pending', 'processing', 'done', 'failed'] as const;
export type PageStatus = (typeof PAGE_STATUSES)[number];

/** The per-page pipeline stages (design §4). Per-document stages live on the item. */
export const PAGE_STAGES = ['validate', 'deskew', 'derivatives', 'ocr'] as const;
export type PageStage = (typeof PAGE_STAGES)[number];

export const STAGE_STATUSES = ['pending', 'running', 'done', 'failed', 'skipped'] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];

export const USER_ROLES = ['admin', 'operator', 'reader'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** The fifteen elements of the Dublin Core Metadata Element Set 1.1. */
export const DUBLIN_CORE_ELEMENTS = [
  'contributor',
  'coverage',
  'creator',
  'date',
  'description',
  'format',
  'identifier',
  'language',
  'publisher',
  'relation',
  'rights',
  'source',
  'subject',
  'title',
  'type',
] as const;
export type DublinCoreElement = (typeof DUBLIN_CORE_ELEMENTS)[number];

/** One value of a Dublin Core element; `lang` is a BCP 47 tag such as `vi` or `lzh`. */
export interface DcValue {
  value: string;
  lang?: string;
}

/** Every element is present (possibly empty), in the order of DUBLIN_CORE_ELEMENTS. */
export type DublinCore = Record<DublinCoreElement, DcValue[]>;

/** The state of one pipeline stage of one page, as stored in `pages.stages`. */
export interface StageState {
  status: StageStatus;
  /** The last failure reason, for an operator to read; absent unless status is `failed`. */
  error?: string;
  /** How many times the stage was started (entered `running`). */
  attempts: number;
  /** ISO 8601 instant of the last change. */
  updatedAt: string;
}

export type PageStages = Partial<Record<PageStage, StageState>>;

/** Derivative kind (`pyramid`, `thumb`, `hocr`, `text`, …) → object key. */
export type PageDerivatives = Record<string, string>;

/** Something validation flagged without refusing the page (`low-resolution`, `resolution-unknown`). */
export interface PageWarning {
  code: string;
  message: string;
}

export interface Library {
  id: string;
  slug: string;
  name: string;
  province: string;
  kind: LibraryKind;
  createdAt: Date;
  updatedAt: Date;
}

export interface Collection {
  id: string;
  libraryId: string;
  slug: string;
  title: string;
  description: string;
  category: CollectionCategory;
  /** How many documents the library holds in this collection (the denominator of progress). */
  holdingsCount: number;
  /** Target share to digitise, 0–100. */
  targetPercent: number;
  /** Deadline as `YYYY-MM-DD`, or null. */
  targetDate: string | null;
  defaultAccess: AccessLevel;
  ocrProfile: OcrProfile;
  minDpi: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface Item {
  id: string;
  collectionId: string;
  /** The collection's library: who may change the item (operators of that library). */
  libraryId: string;
  /** Call number (ký hiệu xếp giá), unique within the collection. */
  identifier: string;
  /** The first Dublin Core title, kept in its own column for sorting and search. */
  title: string;
  dublinCore: DublinCore;
  /** BCP 47 language tag, e.g. `vi`, `lzh` (Classical Chinese). */
  language: string;
  /** ISO 15924 script code, e.g. `Latn`, `Hani`. */
  script: string;
  /** Null: inherit the collection's `defaultAccess`. */
  accessLevel: AccessLevel | null;
  /** Null: inherit the collection's `ocrProfile`. */
  ocrProfile: OcrProfile | null;
  /** `accessLevel` or, when null, the collection's default: what every door must enforce. */
  effectiveAccessLevel: AccessLevel;
  effectiveOcrProfile: OcrProfile;
  status: ItemStatus;
  digitisedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Page {
  id: string;
  itemId: string;
  /** 1-based position in the document, unique within the item. */
  seq: number;
  label: string | null;
  masterKey: string;
  masterSha256: string;
  masterSize: number;
  contentType: string;
  width: number | null;
  height: number | null;
  dpi: number | null;
  status: PageStatus;
  stages: PageStages;
  /** Degrees, as measured by the deskew stage. */
  skewAngle: number | null;
  /** Mean OCR word confidence, 0–100. */
  ocrConfidence: number | null;
  derivatives: PageDerivatives;
  /** Index of this page inside a multi-page master (TIFF); null for a single-image master. */
  masterPage: number | null;
  /** Size of the served (deskewed) image; null until the deskew stage ran. */
  imageWidth: number | null;
  imageHeight: number | null;
  warnings: PageWarning[];
  createdAt: Date;
  updatedAt: Date;
}

/** A user as shown to the product; the password hash is only read through `getCredentials`. */
export interface User {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  role: UserRole;
  /** For operators: the library they work for (scopes what they may change). */
  libraryId: string | null;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** The database's record of one object in the object store (design §5). */
export interface StoredObject {
  key: string;
  sha256: string;
  size: number;
  contentType: string;
  itemId: string | null;
  pageId: string | null;
  /** What the object is: `master`, `pyramid`, `thumb`, `hocr`, `text`, `pdf`, `manifest`, `record`, … */
  kind: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Offset paging. `limit` defaults to 50 and may not exceed 1000. */
export interface PageRequest {
  limit?: number;
  offset?: number;
}

/** One page of a list and the number of rows matching the filter across all pages. */
export interface Paged<T> {
  rows: T[];
  total: number;
}
