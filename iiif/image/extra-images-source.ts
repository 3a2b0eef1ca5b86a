import { createHash } from 'node:crypto';
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError } from '../../storage/index.ts';
import type { ImageSource, ResolveImageSource } from './image-source.ts';
import { readPyramidLevels } from './read-pyramid-levels.ts';

/** Builds a page-based pyramidal TIFF from an image file (the pipeline's `buildPyramid`, passed in). */
export type BuildPyramid = (input: string, outPath: string) => Promise<unknown>;

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.tif', '.tiff', '.webp']);
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Loose image files as IIIF images (demo data, the validator fixture): `dir/NAME.ext` is served
 * as identifier `NAME`. The pyramid is built on first use into `cacheDir`, named after the file's
 * size and modification time, so an edited file gets a new pyramid; concurrent first requests
 * share one build. No access decision: whatever sits in `dir` is public.
 */
export function extraImagesSource(dir: string, cacheDir: string, buildPyramid: BuildPyramid): ResolveImageSource {
  const building = new Map<string, Promise<string>>();
  return async (identifier): Promise<ImageSource> => {
    if (!SAFE_NAME.test(identifier)) throw new NotFoundError(`No image ${identifier}`);
    const names = await readdir(dir).catch(() => [] as string[]);
    const name = names.find((n) => IMAGE_EXTENSIONS.has(path.extname(n).toLowerCase()) && n.slice(0, -path.extname(n).length) === identifier);
    if (name === undefined) throw new NotFoundError(`No image ${identifier}`);
    const source = path.join(dir, name);
    const info = await stat(source);
    const version = createHash('sha256').update(`${name}\u0000${info.size}\u0000${info.mtimeMs}`).digest('hex').slice(0, 32);
    const out = path.join(cacheDir, `${identifier}-${version}.tif`);
    let pyramid = building.get(out);
    if (pyramid === undefined) {
      pyramid = (async () => {
        const exists = await stat(out).then(() => true, () => false);
        if (!exists) {
          await mkdir(cacheDir, { recursive: true });
          await buildPyramid(source, out);
        }
        return out;
      })();
      pyramid.catch(() => building.delete(out));
      building.set(out, pyramid);
    }
    const file = await pyramid;
    const levels = await readPyramidLevels(file);
    const [top] = levels;
    if (top === undefined) throw new NotFoundError(`The pyramid of ${identifier} has no level`);
    return { path: file, width: top.width, height: top.height, levels, etag: version, lastModified: info.mtime };
  };
}
