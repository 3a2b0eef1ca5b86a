import type { Readable } from 'node:stream';

/** What the store knows about one object. */
export interface ObjectInfo {
  key: string;
  /** Size in bytes. */
  size: number;
  /**
   * Lower-case hex sha256 of the bytes, present when our own `put`/`copy`/`move` recorded it
   * and the record is known to belong to the bytes now stored (never a stale one).
   */
  sha256?: string;
  /** MIME type recorded at `put` time, or derived from the key's extension. */
  contentType: string;
  lastModified: Date;
}

/** One entry of a listing: cheaper than {@link ObjectInfo} (no checksum, no content type). */
export interface ObjectSummary {
  key: string;
  size: number;
  lastModified: Date;
}

/** A body for {@link ObjectStore.put}: bytes in memory, or a byte stream (never in object mode). */
export type ObjectBody = Buffer | Uint8Array | Readable;

export interface PutOptions {
  /** MIME type to record; defaults from the key's extension, else `application/octet-stream`. */
  contentType?: string;
  /**
   * Hex sha256 the body must have (for example the one a scan station sent). When the bytes
   * hash to something else, `put` throws `InvalidInputError` and stores nothing.
   */
  expectedSha256?: string;
}

export interface ListOptions {
  /** Only keys strictly after this one (in byte order) are returned; pass the previous page's `nextStartAfter`. */
  startAfter?: string;
  /** Most objects in one page: an integer from 1 to 1000; default 1000. */
  limit?: number;
}

export interface ListPage {
  /** Keys in ascending byte order (the order S3 lists in). */
  objects: ObjectSummary[];
  /** Present when more keys may follow: pass it as `startAfter` to get the next page. */
  nextStartAfter?: string;
}

/**
 * The object store port: where masters, derivatives, OCR text, PDFs and manifests live.
 * Adapters: `FsObjectStore` (a folder on local disk) and `MinioObjectStore` (any S3 service).
 *
 * Keys follow `assertValidKey` (object-key.ts) everywhere; every method that takes a key or
 * prefix throws `InvalidInputError` for an invalid one before touching the backend.
 * Errors are always from `errors.ts`: `NotFoundError`, `InvalidInputError`, `ConflictError`,
 * `UpstreamError` (the backend failed or could not be reached; `retryable`), never a raw
 * Node or vendor error.
 *
 * A key must not also be the leading segments of another key (`a` and `a/b`): the
 * filesystem adapter cannot hold both and answers `ConflictError`; S3 would accept it, so do
 * not rely on it. The storage layout never needs it.
 */
export interface ObjectStore {
  /** Which adapter this is, for health output and logs. */
  readonly adapter: 'filesystem' | 's3';

  /** One line naming where the objects are, e.g. `filesystem at /srv/objects` or `s3 http://minio:9000 bucket masters`. No secrets. */
  describe(): string;

  /**
   * Stores `body` under `key`, replacing any object there.
   *
   * - A stream body is consumed chunk by chunk and never held whole in memory; sha256 and
   *   size are computed while the bytes are written.
   * - The replacement is atomic: a concurrent reader sees the complete old or the complete
   *   new object, never a mix or a partial one. Of concurrent writers to one key, exactly one
   *   wins; `stat` never reports a sha256 that does not belong to the stored bytes.
   * - When `expectedSha256` is given and the bytes hash to something else, throws
   *   `InvalidInputError`, and the previous object (if any) is left untouched with no
   *   temporary file or object behind. The same holds when the body stream fails part way:
   *   `put` then rejects with the stream's own error.
   * - A stream that yields strings or objects instead of bytes is rejected with `InvalidInputError`.
   *
   * Resolves with what was stored (`sha256` always present).
   */
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<ObjectInfo>;

  /**
   * Opens the object for reading. A missing key rejects the returned promise with
   * `NotFoundError` (it is never emitted later on the stream). The stream delivers the object
   * as it was when opened, even if it is replaced meanwhile; a failure while reading is
   * emitted on the stream as `UpstreamError`. The caller must consume or destroy the stream.
   */
  get(key: string): Promise<Readable>;

  /**
   * Like {@link get}, for bytes `start` to `endInclusive` (zero-based). Throws `NotFoundError`
   * for a missing key and `InvalidInputError` when the numbers are not integers, `start` is
   * negative, `start > endInclusive`, or `endInclusive` is at or past the end of the object
   * (so no range of an empty object is valid).
   */
  getRange(key: string, start: number, endInclusive: number): Promise<Readable>;

  /** Size, content type, last modification and (when recorded) sha256. `NotFoundError` for a missing key. */
  stat(key: string): Promise<ObjectInfo>;

  /** Whether an object is stored under `key` (a key that is only a prefix of others is not an object). */
  exists(key: string): Promise<boolean>;

  /**
   * One page of the objects whose keys start with `prefix` (`''` for all; a plain string
   * prefix, so `masters/1` matches `masters/10/...` too), in ascending byte order, holding
   * at most `limit` objects. Stateless: paging is by key, so keys added or removed between
   * pages may or may not appear, but no key that exists throughout is skipped or repeated.
   * A page may hold fewer than `limit` objects while `nextStartAfter` is still set; stop
   * only when it is absent. Never walks or holds the whole store in memory.
   */
  list(prefix: string, options?: ListOptions): Promise<ListPage>;

  /** Every object under `prefix`, in ascending byte order, fetched page by page through {@link list}. */
  listAll(prefix: string): AsyncIterable<ObjectSummary>;

  /** Removes the object. Idempotent: a missing key is not an error. */
  delete(key: string): Promise<void>;

  /**
   * Copies `from` to `to`, replacing `to` atomically (as {@link put} does); the recorded
   * sha256 and content type travel with the bytes. `NotFoundError` when `from` is missing.
   * Copying a key onto itself only checks that it exists.
   */
  copy(from: string, to: string): Promise<void>;

  /**
   * Moves `from` to `to`: `to` is replaced atomically with `from`'s bytes, sha256 and
   * content type, then `from` is removed. `NotFoundError` when `from` is missing. On the
   * filesystem this is one rename; on S3 it is a copy then a delete, so a crash in between
   * can leave both keys (re-running the move is safe).
   */
  move(from: string, to: string): Promise<void>;

  /** Resolves when the backend answers (and our folder/bucket is there); otherwise throws `UpstreamError`. */
  ping(): Promise<void>;

  /** Releases connections and handles. Streams already handed out stay readable on the filesystem. */
  close(): Promise<void>;
}
