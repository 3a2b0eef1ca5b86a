import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ByteLruCache } from './byte-lru-cache.ts';

export interface PyramidFileCacheOptions {
  /** Folder of cached pyramids; created when missing. Files already there are adopted at start. */
  dir: string;
  /** Most bytes kept on disk; least recently used files are deleted beyond it. */
  maxBytes: number;
}

/** Writes the object into `temporaryPath` (the cache renames it into place when this resolves). */
export type FillFile = (temporaryPath: string) => Promise<void>;

/**
 * A bounded on-disk LRU cache of pyramid files (the I/O side): an object is downloaded once per
 * (key, version) — the version is its sha256 or etag, so a rebuilt pyramid is a new file, never a
 * stale hit. Concurrent requests for one file share one download; files are written under a
 * temporary name and renamed, so a reader never sees half a file.
 */
export class PyramidFileCache {
  readonly #index: ByteLruCache<string>;
  readonly #pending = new Map<string, Promise<string>>();
  #ready: Promise<void> | undefined;
  /** How many times `fill` ran (a miss); for tests and metrics. */
  fills = 0;

  constructor(readonly options: PyramidFileCacheOptions) {
    this.#index = new ByteLruCache<string>(options.maxBytes, Infinity, (_name, file) => {
      void rm(file, { force: true });
    });
  }

  /** Local path of the file for `key` at `version`, filling it with `fill` on a miss. */
  async path(key: string, version: string, fill: FillFile): Promise<string> {
    await (this.#ready ??= this.#adopt());
    const name = `${createHash('sha256').update(`${key}\u0000${version}`).digest('hex')}.tif`;
    const file = path.join(this.options.dir, name);
    if (this.#index.get(name) !== undefined) return file;
    const pending = this.#pending.get(name);
    if (pending !== undefined) return pending;
    const download = (async () => {
      const temporary = path.join(this.options.dir, `.${name}.${randomUUID()}.part`);
      try {
        this.fills++;
        await fill(temporary);
        const { size } = await stat(temporary);
        await rename(temporary, file);
        this.#index.set(name, file, size);
        return file;
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      } finally {
        this.#pending.delete(name);
      }
    })();
    this.#pending.set(name, download);
    return download;
  }

  /** Forgets a file that disappeared (evicted while a request was between resolving and reading it). */
  forget(file: string): void {
    this.#index.delete(path.basename(file));
  }

  get bytes(): number {
    return this.#index.bytes;
  }

  /** Files left by an earlier process: complete ones are adopted (oldest first), partial ones removed. */
  async #adopt(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    const found: { name: string; size: number; mtime: number }[] = [];
    for (const name of await readdir(this.options.dir)) {
      const file = path.join(this.options.dir, name);
      if (name.endsWith('.part')) {
        await rm(file, { force: true });
        continue;
      }
      if (!/^[0-9a-f]{64}\.tif$/.test(name)) continue;
      const info = await stat(file);
      found.push({ name, size: info.size, mtime: info.mtimeMs });
    }
    found.sort((a, b) => a.mtime - b.mtime);
    for (const entry of found) this.#index.set(entry.name, path.join(this.options.dir, entry.name), entry.size);
  }
}
