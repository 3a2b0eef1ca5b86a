import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { createRepositories, seeContent, type Database } from '../../repository/index.ts';
import { InvalidInputError, NotFoundError, type ObjectInfo, type ObjectStore } from '../../storage/index.ts';
import type { ImageSource, ResolveImageSource } from './image-source.ts';
import type { PyramidFileCache } from './pyramid-file-cache.ts';
import { readPyramidLevels } from './read-pyramid-levels.ts';

export interface PageImageSourceOptions {
  /** How long a `stat` of a pyramid object is trusted, in ms. Default 5000. */
  statTtlMs?: number;
}

/**
 * Pages as IIIF images: identifier = page id → page → item → the access decision (design §6)
 * on every request (info.json of a restricted document is open to all: it shows no pixel,
 * and it is where IIIF viewers find the sign-in of IIIF Authorization Flow 2.0) → the pyramid object (`page.derivatives.pyramid`) → a local copy in the
 * pyramid file cache, versioned by the object's sha256 (else size and modification time).
 */
export function pageImageSource(database: Database, store: ObjectStore, cache: PyramidFileCache, options: PageImageSourceOptions = {}): ResolveImageSource {
  const ttl = options.statTtlMs ?? 5000;
  const stats = new Map<string, { info: Promise<ObjectInfo>; at: number }>();
  const statOf = (key: string): Promise<ObjectInfo> => {
    const now = Date.now();
    const known = stats.get(key);
    if (known !== undefined && now - known.at < ttl) return known.info;
    const info = store.stat(key);
    info.catch(() => stats.delete(key));
    if (stats.size > 10_000) stats.clear();
    stats.set(key, { info, at: now });
    return info;
  };
  return async (identifier, req, purpose): Promise<ImageSource> => {
    const repositories = createRepositories(database.db);
    const page = await repositories.pages.getById(identifier).catch((error: unknown) => {
      if (error instanceof InvalidInputError) throw new NotFoundError(`No image ${identifier}`);
      throw error;
    });
    const item = await repositories.items.getById(page.itemId);
    if (purpose === 'render' || item.effectiveAccessLevel !== 'restricted') await seeContent(req, item, 'image');
    const key = page.derivatives.pyramid;
    if (key === undefined) throw new NotFoundError(`Page ${identifier} has no image yet: its derivatives stage has not run`);
    const info = await statOf(key);
    const version = info.sha256 ?? `${info.size}-${info.lastModified.getTime()}`;
    const file = await cache.path(key, version, async (temporary) => {
      await pipeline(await store.get(key), createWriteStream(temporary));
    });
    const levels = await readPyramidLevels(file);
    const [top] = levels;
    if (top === undefined) throw new NotFoundError(`The pyramid of page ${identifier} has no level`);
    return {
      path: file,
      width: top.width,
      height: top.height,
      levels,
      etag: version,
      lastModified: info.lastModified,
      ...(item.effectiveAccessLevel === 'public' ? {} : { accessControl: { itemId: item.id } }),
    };
  };
}
