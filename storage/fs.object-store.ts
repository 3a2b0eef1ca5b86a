import { createHash, randomBytes } from 'node:crypto';
import type { BigIntStats, Dirent } from 'node:fs';
import { constants } from 'node:fs';
import {
  access,
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  rmdir,
  stat as fsStat,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

import { assertRangeNumbers, rangeOutsideObject } from './byte-range.ts';
import { checkContentType, contentTypeFor } from './content-type.ts';
import { ConfigurationError, InvalidInputError, NotFoundError, UpstreamError, type AppError } from './errors.ts';
import { errorCode } from './error-code.ts';
import { translateFsError } from './fs-errors.ts';
import { listAllPages } from './list-all.ts';
import { checkListOptions } from './list-options.ts';
import { BodySourceError, consumeBody } from './object-body.ts';
import { assertValidKey, describeKey, InvalidKeyError, isValidKey } from './object-key.ts';
import type {
  ListOptions,
  ListPage,
  ObjectBody,
  ObjectInfo,
  ObjectStore,
  ObjectSummary,
  PutOptions,
} from './object-store.port.ts';
import { scratchOwnerGone, SCRATCH_OWNER } from './scratch-files.ts';
import { isSha256Hex, normaliseSha256 } from './sha256.ts';
import type { StoreLogger } from './store-logger.ts';
import { withTranslatedErrors } from './translated-stream.ts';

export interface FsObjectStoreOptions {
  /**
   * Temporary files older than this are removed when the store opens (a crash leaves them
   * behind); those whose writing process has ended, at once. Default: one hour.
   */
  staleTempAgeMs?: number;
  logger?: StoreLogger;
}

const TEMP_DIR = '.tmp';
const META_DIR = '.meta';
/** Sidecar names end in a character that keys cannot contain, so a sidecar never collides with a folder of sidecars. */
const META_SUFFIX = '~meta.json';
const HOUR_MS = 60 * 60 * 1000;
/** How often `put`/`move` re-create a parent folder that a concurrent `delete` pruned under them. */
const PLACE_ATTEMPTS = 5;

/**
 * What we recorded about one data file: its checksum and content type, and which file it
 * was (device, inode, size, mtime). The identity lets `stat` ignore a sidecar that belongs
 * to bytes no longer on disk (a later writer replaced them), so it never reports a wrong sha256.
 */
interface Sidecar {
  v: 1;
  sha256: string;
  contentType: string;
  size: number;
  dev: string;
  ino: string;
  mtimeNs: string;
}

type FileIdentity = Pick<BigIntStats, 'dev' | 'ino' | 'size' | 'mtimeNs'>;

/** An expected checksum and the error to throw when the bytes do not match it. */
interface Expectation {
  sha256: string;
  mismatch: (actual: string) => AppError;
}

/**
 * {@link ObjectStore} in a folder on a local disk: the embedded default (`./data/objects`).
 *
 * Layout: object `a/b.tif` is the file `<root>/a/b.tif`; its sidecar (sha256, content type,
 * and the identity of the data file it describes) is `<root>/.meta/a/b.tif~meta.json`;
 * writes are staged in `<root>/.tmp/` (same filesystem, so the final step is a rename).
 * Every write is: temp file → fsync → rename into place → fsync the folder → sidecar
 * (written the same way). Several processes may share one root on one machine.
 */
export class FsObjectStore implements ObjectStore {
  readonly adapter = 'filesystem' as const;

  private readonly tempDir: string;
  private readonly metaDir: string;
  /** `root` with one trailing separator: what every path inside the store starts with. */
  private readonly rootPrefix: string;

  private constructor(
    private readonly root: string,
    private readonly logger: StoreLogger | undefined,
  ) {
    this.tempDir = path.join(root, TEMP_DIR);
    this.metaDir = path.join(root, META_DIR);
    this.rootPrefix = root.endsWith(path.sep) ? root : root + path.sep;
  }

  /**
   * Opens the store in folder `root` (created with its parents if missing) and removes
   * stale temporary files. Throws `ConfigurationError` when the folder cannot be used.
   */
  static async open(root: string, options: FsObjectStoreOptions = {}): Promise<FsObjectStore> {
    const requested = path.resolve(root);
    let realRoot: string;
    try {
      await mkdir(requested, { recursive: true });
      realRoot = await realpath(requested);
      await mkdir(path.join(realRoot, TEMP_DIR), { recursive: true });
      await mkdir(path.join(realRoot, META_DIR), { recursive: true });
      await access(realRoot, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw new ConfigurationError(
        `cannot use ${requested} as the object store folder (${errorCode(error) ?? String(error)}): check that it is a folder this process may write`,
        { cause: error },
      );
    }
    const store = new FsObjectStore(realRoot, options.logger);
    await store.removeStaleTemps(options.staleTempAgeMs ?? HOUR_MS);
    return store;
  }

  describe(): string {
    return `filesystem at ${this.root}`;
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<ObjectInfo> {
    assertValidKey(key);
    const contentType = checkContentType(options.contentType) ?? contentTypeFor(key);
    const expected = normaliseSha256(options.expectedSha256, 'expectedSha256');
    return this.write(
      key,
      (onChunk) => consumeBody(body, key, onChunk),
      contentType,
      expected === undefined
        ? undefined
        : {
            sha256: expected,
            mismatch: (actual) =>
              new InvalidInputError(
                `body for ${describeKey(key)} has sha256 ${actual}, not the expected ${expected}; nothing was stored`,
              ),
          },
    );
  }

  async get(key: string): Promise<Readable> {
    assertValidKey(key);
    const { handle } = await this.openObject(key);
    return this.readStream(key, handle);
  }

  async getRange(key: string, start: number, endInclusive: number): Promise<Readable> {
    assertValidKey(key);
    assertRangeNumbers(key, start, endInclusive);
    const { handle, stats } = await this.openObject(key);
    const size = Number(stats.size);
    if (endInclusive >= size) {
      await handle.close().catch(() => undefined);
      throw rangeOutsideObject(key, start, endInclusive, size);
    }
    return this.readStream(key, handle, start, endInclusive);
  }

  async stat(key: string): Promise<ObjectInfo> {
    assertValidKey(key);
    const file = this.dataPath(key);
    let stats: BigIntStats;
    try {
      await this.assertRealFolderInside(path.dirname(file));
      stats = await lstat(file, { bigint: true });
    } catch (error) {
      throw translateFsError(error, this.context('stat', key, true));
    }
    if (!stats.isFile()) throw notFound(key);
    const sidecar = await this.readSidecar(key);
    const info: ObjectInfo = {
      key,
      size: Number(stats.size),
      contentType: contentTypeFor(key),
      lastModified: new Date(Number(stats.mtimeMs)),
    };
    if (sidecar !== undefined && sameFile(stats, sidecar)) {
      info.sha256 = sidecar.sha256;
      info.contentType = sidecar.contentType;
    }
    return info;
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.stat(key);
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    const { startAfter, limit } = checkListOptions(prefix, options);
    const slash = prefix.lastIndexOf('/');
    const folderKey = prefix.slice(0, slash + 1);
    const namePrefix = prefix.slice(slash + 1);
    const keys: string[] = [];
    try {
      // The walk never follows symlinks below this folder; the folder itself is checked here.
      if (folderKey !== '') await this.assertRealFolderInside(this.dataPath(folderKey.slice(0, -1)));
      await this.walk(folderKey, namePrefix, startAfter, limit + 1, keys);
    } catch (error) {
      if (isMissing(error)) return { objects: [] };
      throw translateFsError(error, this.context('list', prefix));
    }
    const pageKeys = keys.slice(0, limit);
    const summaries = await Promise.all(pageKeys.map((key) => this.summary(key)));
    const page: ListPage = {
      objects: summaries.filter((entry): entry is ObjectSummary => entry !== undefined),
    };
    const last = pageKeys.at(-1);
    if (keys.length > limit && last !== undefined) page.nextStartAfter = last;
    return page;
  }

  listAll(prefix: string): AsyncIterable<ObjectSummary> {
    return listAllPages((p, o) => this.list(p, o), prefix);
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    const file = this.dataPath(key);
    try {
      await this.assertRealFolderInside(path.dirname(file));
    } catch (error) {
      if (isMissing(error)) return;
      throw translateFsError(error, this.context('delete', key));
    }
    try {
      await unlink(file);
      await fsyncFolder(path.dirname(file));
    } catch (error) {
      // EISDIR: the key names a folder of other keys, so there is no object to delete.
      if (!isMissing(error) && errorCode(error) !== 'EISDIR') {
        throw translateFsError(error, this.context('delete', key));
      }
    }
    await unlinkQuietly(this.metaPath(key));
    await this.pruneEmptyFolders(path.dirname(file), this.root);
    await this.pruneEmptyFolders(path.dirname(this.metaPath(key)), this.metaDir);
  }

  async copy(from: string, to: string): Promise<void> {
    assertValidKey(from);
    assertValidKey(to);
    if (from === to) {
      await this.stat(from);
      return;
    }
    const { handle, stats } = await this.openObject(from);
    const source = handle.createReadStream();
    try {
      const sidecar = await this.readSidecar(from);
      const recorded = sidecar !== undefined && sameFile(stats, sidecar) ? sidecar : undefined;
      await this.write(
        to,
        (onChunk) => consumeBody(source, from, onChunk),
        recorded?.contentType ?? contentTypeFor(from),
        recorded === undefined
          ? undefined
          : {
              sha256: recorded.sha256,
              mismatch: (actual) =>
                new UpstreamError(
                  `fixity check failed while copying ${describeKey(from)}: its bytes hash to ${actual}, but ${recorded.sha256} was recorded; the copy was not made, check the disk`,
                  { retryable: false },
                ),
            },
      );
    } catch (error) {
      throw translateFsError(error, this.context('copy', from));
    } finally {
      source.destroy();
    }
  }

  async move(from: string, to: string): Promise<void> {
    assertValidKey(from);
    assertValidKey(to);
    if (from === to) {
      await this.stat(from);
      return;
    }
    const fromFile = this.dataPath(from);
    const toFile = this.dataPath(to);
    let stats: BigIntStats;
    try {
      await this.assertRealFolderInside(path.dirname(fromFile));
      stats = await lstat(fromFile, { bigint: true });
    } catch (error) {
      throw translateFsError(error, this.context('move', from, true));
    }
    if (!stats.isFile()) throw notFound(from);
    const sidecar = await this.readSidecar(from);
    const recorded = sidecar !== undefined && sameFile(stats, sidecar) ? sidecar : undefined;
    try {
      await this.placeFile(fromFile, toFile);
      await fsyncFolder(path.dirname(fromFile));
    } catch (error) {
      throw translateFsError(error, this.context('move', from, true));
    }
    if (recorded !== undefined) {
      await this.writeSidecar(to, toFile, recorded);
    } else {
      await unlinkQuietly(this.metaPath(to));
    }
    // Remove the source's sidecar only if it still describes the file we moved: a writer may
    // already have stored a new object under `from`, with its own sidecar.
    const left = await this.readSidecar(from);
    if (left !== undefined && left.ino === String(stats.ino) && left.dev === String(stats.dev)) {
      await unlinkQuietly(this.metaPath(from));
    }
    await this.pruneEmptyFolders(path.dirname(fromFile), this.root);
    await this.pruneEmptyFolders(path.dirname(this.metaPath(from)), this.metaDir);
  }

  async ping(): Promise<void> {
    try {
      await access(this.root, constants.R_OK | constants.W_OK);
      const temp = await fsStat(this.tempDir);
      if (!temp.isDirectory()) throw new Error(`${this.tempDir} is not a folder`);
    } catch (error) {
      throw new UpstreamError(
        `filesystem object store at ${this.root} is not available (${errorCode(error) ?? String(error)}): check that the disk is mounted and writable`,
        { cause: error },
      );
    }
  }

  async close(): Promise<void> {
    // Nothing to release: every operation opens and closes its own handles.
  }

  // ---- writing ------------------------------------------------------------------------

  /**
   * The one write path (put and copy): stream into a temp file while hashing, check the
   * expectation, fsync, rename into place, fsync the folder, then record the sidecar.
   * On any failure the temp file is removed and the previous object is untouched.
   */
  private async write(
    key: string,
    feed: (onChunk: (chunk: Buffer) => Promise<void>) => Promise<void>,
    contentType: string,
    expectation: Expectation | undefined,
  ): Promise<ObjectInfo> {
    const target = this.dataPath(key);
    const temp = this.tempPath();
    let handle: FileHandle | undefined;
    let tempCreated = false;
    try {
      handle = await open(temp, 'wx', 0o644);
      tempCreated = true;
      const hash = createHash('sha256');
      let size = 0;
      const file = handle;
      await feed(async (chunk) => {
        hash.update(chunk);
        size += chunk.length;
        await writeFully(file, chunk);
      });
      const sha256 = hash.digest('hex');
      if (expectation !== undefined && expectation.sha256 !== sha256) {
        throw expectation.mismatch(sha256);
      }
      await handle.sync();
      const stats = await handle.stat({ bigint: true });
      await handle.close();
      handle = undefined;
      await this.placeFile(temp, target);
      tempCreated = false;
      await this.writeSidecar(key, target, {
        v: 1,
        sha256,
        contentType,
        size,
        dev: String(stats.dev),
        ino: String(stats.ino),
        mtimeNs: String(stats.mtimeNs),
      });
      return { key, size, sha256, contentType, lastModified: new Date(Number(stats.mtimeMs)) };
    } catch (error) {
      if (error instanceof BodySourceError) throw error.sourceError;
      throw translateFsError(error, this.context('store', key));
    } finally {
      if (handle !== undefined) await handle.close().catch(() => undefined);
      if (tempCreated) await unlinkQuietly(temp);
    }
  }

  /**
   * Renames `from` onto `to` (atomic on one filesystem), creating `to`'s folder first, and
   * fsyncs that folder. A concurrent `delete` may prune the folder between our mkdir and
   * rename; then we create it again.
   */
  private async placeFile(from: string, to: string): Promise<void> {
    const folder = path.dirname(to);
    for (let attempt = 1; ; attempt += 1) {
      await mkdir(folder, { recursive: true });
      await this.assertRealFolderInside(folder);
      try {
        await rename(from, to);
        break;
      } catch (error) {
        if (errorCode(error) === 'ENOENT' && attempt < PLACE_ATTEMPTS && (await pathExists(from))) continue;
        throw error;
      }
    }
    await fsyncFolder(folder);
  }

  /**
   * Records `sidecar` for `key`, unless the data file is no longer the one it describes
   * (a later writer replaced it; that writer records its own).
   */
  private async writeSidecar(key: string, dataFile: string, sidecar: Sidecar): Promise<void> {
    const current = await lstat(dataFile, { bigint: true }).catch(() => undefined);
    if (current === undefined || !sameFile(current, sidecar)) return;
    const temp = this.tempPath();
    let tempCreated = false;
    try {
      const handle = await open(temp, 'wx', 0o644);
      tempCreated = true;
      try {
        await writeFully(handle, Buffer.from(JSON.stringify(sidecar)));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.placeFile(temp, this.metaPath(key));
      tempCreated = false;
    } catch (error) {
      throw translateFsError(error, this.context('record the checksum of', key));
    } finally {
      if (tempCreated) await unlinkQuietly(temp);
    }
  }

  // ---- reading ------------------------------------------------------------------------

  /** Opens the data file of `key` (no symlinks), or throws `NotFoundError`. */
  private async openObject(key: string): Promise<{ handle: FileHandle; stats: BigIntStats }> {
    const file = this.dataPath(key);
    let handle: FileHandle;
    try {
      await this.assertRealFolderInside(path.dirname(file));
      handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      throw translateFsError(error, this.context('read', key, true));
    }
    try {
      const stats = await handle.stat({ bigint: true });
      if (!stats.isFile()) throw notFound(key);
      return { handle, stats };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw translateFsError(error, this.context('read', key, true));
    }
  }

  private readStream(key: string, handle: FileHandle, start?: number, end?: number): Readable {
    const options = start === undefined ? {} : { start, end };
    return withTranslatedErrors(handle.createReadStream(options), (error) =>
      translateFsError(error, this.context('read', key)),
    );
  }

  private async readSidecar(key: string): Promise<Sidecar | undefined> {
    let text: string;
    try {
      text = await readFile(this.metaPath(key), 'utf8');
    } catch (error) {
      if (isMissing(error) || errorCode(error) === 'EISDIR') return undefined;
      throw translateFsError(error, this.context('read the checksum of', key));
    }
    try {
      const parsed: unknown = JSON.parse(text);
      return isSidecar(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  private async summary(key: string): Promise<ObjectSummary | undefined> {
    try {
      const stats = await lstat(this.dataPath(key));
      if (!stats.isFile()) return undefined;
      return { key, size: stats.size, lastModified: stats.mtime };
    } catch (error) {
      if (isMissing(error)) return undefined; // deleted since the folder was read
      throw translateFsError(error, this.context('list', key));
    }
  }

  /**
   * Collects, in S3 byte order, up to `want` keys under `folderKey` whose next segment starts
   * with `namePrefix` and that sort after `startAfter`. Entries of each folder are sorted with
   * a folder compared as `name + "/"`, which makes the depth-first walk come out in byte
   * order; subtrees wholly at or before `startAfter` are skipped without being read.
   */
  private async walk(
    folderKey: string,
    namePrefix: string,
    startAfter: string,
    want: number,
    out: string[],
  ): Promise<void> {
    const folder = folderKey === '' ? this.root : this.dataPath(folderKey.slice(0, -1));
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return; // no such folder, or it was pruned meanwhile
      throw error;
    }
    const items: { name: string; sortName: string; folder: boolean }[] = [];
    for (const entry of entries) {
      const { name } = entry;
      // Skips .tmp, .meta, other dot-files and any name a key could not have.
      if (!name.startsWith(namePrefix) || !isValidKey(name)) continue;
      if (entry.isDirectory()) items.push({ name, sortName: `${name}/`, folder: true });
      else if (entry.isFile()) items.push({ name, sortName: name, folder: false });
    }
    items.sort((a, b) => (a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : 0));
    for (const item of items) {
      if (out.length >= want) return;
      const key = folderKey + item.name;
      if (item.folder) {
        const sub = `${key}/`;
        if (startAfter >= sub && !startAfter.startsWith(sub)) continue;
        await this.walk(sub, '', startAfter, want, out);
      } else if (key > startAfter) {
        out.push(key);
      }
    }
  }

  // ---- paths and housekeeping ---------------------------------------------------------

  private dataPath(key: string): string {
    return this.inside(path.join(this.root, ...key.split('/')), key);
  }

  private metaPath(key: string): string {
    return this.inside(path.join(this.metaDir, ...key.split('/')) + META_SUFFIX, key);
  }

  private tempPath(): string {
    const name = `${SCRATCH_OWNER}-${Date.now().toString(36)}-${randomBytes(8).toString('hex')}.part`;
    return path.join(this.tempDir, name);
  }

  /** Defence in depth beyond key validation: the resolved path must stay under the root. */
  private inside(candidate: string, key: string): string {
    const resolved = path.resolve(candidate);
    if (!resolved.startsWith(this.rootPrefix)) {
      throw new InvalidKeyError(`object key ${describeKey(key)} resolves outside the object store folder`);
    }
    return resolved;
  }

  /** Symlinked folders inside the root must not lead out of it. */
  private async assertRealFolderInside(folder: string): Promise<void> {
    const real = await realpath(folder);
    if (real !== this.root && !real.startsWith(this.rootPrefix)) {
      throw new InvalidKeyError(
        `${folder} leads outside the object store folder ${this.root} (a symbolic link?); refusing to use it`,
      );
    }
  }

  /** Removes now-empty folders from `folder` up to (not including) `stopAt`, so a former prefix can become a key again. */
  private async pruneEmptyFolders(folder: string, stopAt: string): Promise<void> {
    let current = folder;
    while (current !== stopAt && current.startsWith(stopAt + path.sep)) {
      try {
        await rmdir(current);
      } catch {
        return; // not empty (or already gone): stop climbing
      }
      current = path.dirname(current);
    }
  }

  private async removeStaleTemps(maxAgeMs: number): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.tempDir);
    } catch (error) {
      throw translateFsError(error, this.context('clean up temporary files in', undefined));
    }
    const cutoff = Date.now() - maxAgeMs;
    let removed = 0;
    for (const name of names) {
      const file = path.join(this.tempDir, name);
      try {
        const stats = await lstat(file);
        if (stats.mtimeMs < cutoff || scratchOwnerGone(name)) {
          await rm(file, { recursive: true, force: true });
          removed += 1;
        }
      } catch {
        // Another process removed or is using it; leave it.
      }
    }
    if (removed > 0) {
      this.logger?.warn({ root: this.root, removed }, 'removed stale temporary files left by an earlier crash');
    }
  }

  private context(op: string, key: string | undefined, missingMeansNotFound = false) {
    return { op, root: this.root, key, missingMeansNotFound };
  }
}

function notFound(key: string): NotFoundError {
  return new NotFoundError(`object ${describeKey(key)} not found`);
}

function sameFile(stats: FileIdentity, sidecar: Sidecar): boolean {
  return (
    sidecar.dev === String(stats.dev) &&
    sidecar.ino === String(stats.ino) &&
    sidecar.size === Number(stats.size) &&
    sidecar.mtimeNs === String(stats.mtimeNs)
  );
}

function isSidecar(value: unknown): value is Sidecar {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.v === 1 &&
    isSha256Hex(v.sha256) &&
    typeof v.contentType === 'string' &&
    typeof v.size === 'number' &&
    typeof v.dev === 'string' &&
    typeof v.ino === 'string' &&
    typeof v.mtimeNs === 'string'
  );
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function writeFully(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

async function fsyncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } catch (error) {
    if (errorCode(error) !== 'EINVAL') throw error; // some filesystems cannot fsync a folder
  } finally {
    await handle.close();
  }
}

async function unlinkQuietly(file: string): Promise<void> {
  await unlink(file).catch(() => undefined);
}

async function pathExists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}
