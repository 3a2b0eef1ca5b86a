import sharp from 'sharp';
import type { Size } from './calculate-image-operation.ts';

const memo = new Map<string, Promise<Size[]>>();
const MEMO_LIMIT = 10_000;

/**
 * The levels of a page-based pyramidal TIFF (level n = page n, largest first), read once per
 * file and remembered. Cache files are named by content version, so a path never changes meaning.
 */
export function readPyramidLevels(file: string): Promise<Size[]> {
  const known = memo.get(file);
  if (known !== undefined) return known;
  const reading = (async () => {
    const { pages = 1 } = await sharp(file).metadata();
    const levels: Size[] = [];
    for (let page = 0; page < pages; page++) {
      const { width, height } = await sharp(file, { page }).metadata();
      levels.push({ width, height });
    }
    return levels;
  })();
  reading.catch(() => memo.delete(file));
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  memo.set(file, reading);
  return reading;
}
