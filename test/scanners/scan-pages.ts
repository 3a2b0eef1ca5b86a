import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { FIXTURES } from '../pipeline/ocr/test-pages.ts';

/** Real scanned pages of the fixtures (6 Vietnamese pages, 8 skewed book pages): all different, none blank. */
const SOURCES = [
  ...['vietsample.tif', 'vietsample1.tif', 'vietsample2.tif'].flatMap((file) => [0, 1].map((page) => ({ file: path.join(FIXTURES, 'vietnamese', file), page }))),
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ file: path.join(FIXTURES, 'deskew', `deskew-${n}.png`), page: 0 })),
];

export const REAL_PAGE_COUNT = SOURCES.length;

/**
 * Real page `index` as an 8-bit greyscale PNG at 300 dpi, at most `width` px wide: what a
 * `text` station profile accepts.
 */
export async function realPage(index: number, width = 1000): Promise<Buffer> {
  const source = SOURCES[index % SOURCES.length]!;
  return sharp(await readFile(source.file), { page: source.page })
    .resize({ width, withoutEnlargement: true })
    .toColourspace('b-w')
    .png()
    .withDensity(300)
    .toBuffer();
}

/** A large page (a real page enlarged, uncompressed greyscale TIFF at 300 dpi): tens of MB, for interrupted uploads. */
export async function largePage(index: number, width: number): Promise<Buffer> {
  const source = SOURCES[index % SOURCES.length]!;
  return sharp(await readFile(source.file), { page: source.page })
    .resize({ width })
    .toColourspace('b-w')
    .tiff({ compression: 'none' })
    .withDensity(300)
    .toBuffer();
}
