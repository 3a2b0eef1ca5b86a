import type { OutputInfo, Sharp } from 'sharp';

import { ConfigurationError, InvalidInputError } from '../../storage/index.ts';
import { writeAtomically } from './image-atomic-output.ts';
import { withFileByteReader } from './image-byte-reader.ts';
import { toDerivativeColour } from './image-colour.ts';
import { decodeFully } from './image-decode-check.ts';
import { corruptImageError, tooManyPixelsError } from './image-errors.ts';
import { readImageHeader, type ImageHeader } from './image-header.ts';
import { DEFAULT_MAX_INPUT_PIXELS, openSharp, toImageSource, type ImageSource } from './image-source.ts';
import { readTiffDirectories, type TiffDirectory } from './image-tiff-directory.ts';

/** TIFF Compression tag value for JPEG ("new-style" JPEG-in-TIFF, TIFF Technical Note 2). */
const TIFF_COMPRESSION_JPEG = 7;

/** An A4 page (297 mm) at 300 dpi: the default long side of the print JPEG. */
export const A4_LONG_SIDE_AT_300_DPI = 3508;

export interface PyramidOptions {
  /** JPEG quality of the tiles, 1-100. Default 85. */
  quality?: number;
  /** Tile width and height in pixels, a multiple of 16 (libtiff). Default 256. */
  tileSize?: number;
  /** Pixel limit when opening the source; default sharp's (268 megapixels). */
  maxPixels?: number;
}

export interface PyramidLevel {
  width: number;
  height: number;
}

export interface PyramidResult {
  /** Full-resolution size (level 0). */
  width: number;
  height: number;
  /** Every level as written, largest first; level n is page n of the TIFF. */
  levels: PyramidLevel[];
  tileSize: number;
  bytes: number;
}

export interface ThumbnailOptions {
  /** Longest side in pixels. Default 400. */
  maxSize?: number;
  /** JPEG quality, 1-100. Default 80. */
  quality?: number;
  maxPixels?: number;
}

export interface PrintJpegOptions {
  /** Longest side in pixels; a smaller page is never enlarged. Default 3508 (A4 at 300 dpi). */
  maxLongSide?: number;
  /** JPEG quality, 1-100. Default 85. */
  quality?: number;
  maxPixels?: number;
}

export interface JpegResult {
  width: number;
  height: number;
  bytes: number;
}

function wholeNumber(value: number, field: string, min: number, max: number): number {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new InvalidInputError(`The derivative option ${field} must be a whole number from ${min} to ${max}, not ${value}`, {
      details: { field },
    });
  }
  return value;
}

/**
 * Opens the page (header first: format, page range, colour), runs `render` into a temporary
 * file and renames it over `outPath` when it succeeded. When rendering fails, the source is
 * decoded once more on its own: if that fails too, the page is corrupt (InvalidInputError);
 * otherwise the failure was ours (disk full, permissions) and is rethrown unchanged, so the
 * job can retry. libvips error texts cannot tell the two apart reliably under concurrency.
 */
async function renderDerivative<T>(
  input: ImageSource | string,
  outPath: string,
  maxPixels: number | undefined,
  render: (image: Sharp, header: ImageHeader, temporaryPath: string) => Promise<T>,
): Promise<T> {
  const source = toImageSource(input);
  const header = await readImageHeader(source);
  const limit = maxPixels ?? DEFAULT_MAX_INPUT_PIXELS;
  if (header.width * header.height > limit) throw tooManyPixelsError(header.width, header.height, limit, source.path);
  const image = toDerivativeColour(openSharp(source, { maxPixels: limit }), header);
  try {
    return await writeAtomically(outPath, (temporaryPath) => render(image, header, temporaryPath));
  } catch (error) {
    const decodeError = await decodeFully(source, limit, 'error').then(
      () => null,
      (recheck: unknown) => recheck,
    );
    if (decodeError !== null) throw corruptImageError(decodeError, header.sniffed.type, source.path, 'data');
    throw error;
  }
}

function assertIiifReady(directories: TiffDirectory[], tileSize: number): void {
  for (const [level, directory] of directories.entries()) {
    const problem =
      directory.tileWidth !== tileSize || directory.tileHeight !== tileSize
        ? `level ${level} has tiles of ${directory.tileWidth ?? 'none'} × ${directory.tileHeight ?? 'none'}, not ${tileSize}`
        : directory.compression !== TIFF_COMPRESSION_JPEG
          ? `level ${level} has compression ${directory.compression}, not JPEG`
          : directory.subIfdCount > 0
            ? `level ${level} keeps its reductions in SubIFDs, not as pages`
            : null;
    if (problem !== null) {
      throw new ConfigurationError(`The installed libvips wrote a pyramidal TIFF the IIIF server cannot use: ${problem}`, {
        details: { level },
      });
    }
  }
}

/**
 * The IIIF image server's source: a tiled (256 × 256), JPEG-compressed, page-based pyramidal
 * TIFF. Level 0 is the full page; each further level halves it (libvips rounds down) until
 * both sides fit in one tile. Levels are pages of the TIFF, not SubIFDs, so a reader picks a level with
 * `sharp(path, { page: n })` (sharp 0.35 never asks libvips for SubIFDs when writing).
 *
 * Colour: 8-bit sRGB (ICC profiles, CMYK and 16-bit converted), greyscale and bilevel scans
 * as 8-bit greyscale; transparency flattened onto white. The scan resolution is kept on
 * level 0. The returned sizes and tile size are read back from the written file's directories
 * (and checked) before it replaces `outPath`.
 *
 * Memory: libvips streams the source top to bottom and writes all levels as it goes; a
 * 10000 × 14000 uncompressed TIFF master needs well under 100 MB (see the derivatives test).
 */
export async function buildPyramid(input: ImageSource | string, outPath: string, options: PyramidOptions = {}): Promise<PyramidResult> {
  const quality = wholeNumber(options.quality ?? 85, 'quality', 1, 100);
  const tileSize = wholeNumber(options.tileSize ?? 256, 'tileSize', 16, 4096);
  if (tileSize % 16 !== 0) {
    throw new InvalidInputError(`The derivative option tileSize must be a multiple of 16 (a TIFF rule), not ${tileSize}`, {
      details: { field: 'tileSize' },
    });
  }
  return renderDerivative(input, outPath, options.maxPixels, async (image, header, temporaryPath) => {
    // sharp takes the resolution in pixels per millimetre.
    const resolution = header.dpi === null ? {} : { xres: header.dpi / 25.4, yres: header.dpi / 25.4, resolutionUnit: 'inch' as const };
    const info = await image
      .tiff({ pyramid: true, tile: true, tileWidth: tileSize, tileHeight: tileSize, compression: 'jpeg', quality, ...resolution })
      .toFile(temporaryPath);
    const directories = await withFileByteReader(temporaryPath, (reader) => readTiffDirectories(reader));
    assertIiifReady(directories, tileSize);
    const levels = directories.map(({ width, height }) => ({ width, height }));
    const [top] = levels;
    if (top === undefined) throw new ConfigurationError('libvips wrote a pyramidal TIFF without any level');
    return { width: top.width, height: top.height, levels, tileSize, bytes: info.size };
  });
}

function jpegResult(info: OutputInfo): JpegResult {
  return { width: info.width, height: info.height, bytes: info.size };
}

/** A small JPEG for lists and search results: longest side `maxSize` (400), never enlarged. */
export async function buildThumbnail(input: ImageSource | string, outPath: string, options: ThumbnailOptions = {}): Promise<JpegResult> {
  const maxSize = wholeNumber(options.maxSize ?? 400, 'maxSize', 1, 65_535);
  const quality = wholeNumber(options.quality ?? 80, 'quality', 1, 100);
  return renderDerivative(input, outPath, options.maxPixels, async (image, _header, temporaryPath) =>
    jpegResult(
      await image
        .resize(maxSize, maxSize, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality })
        .toFile(temporaryPath),
    ),
  );
}

/**
 * The page image for the searchable PDF: a JPEG whose longest side is at most `maxLongSide`
 * (default 3508 px, i.e. about 300 dpi on A4), never enlarged.
 */
export async function buildPrintJpeg(input: ImageSource | string, outPath: string, options: PrintJpegOptions = {}): Promise<JpegResult> {
  const maxLongSide = wholeNumber(options.maxLongSide ?? A4_LONG_SIDE_AT_300_DPI, 'maxLongSide', 1, 65_535);
  const quality = wholeNumber(options.quality ?? 85, 'quality', 1, 100);
  return renderDerivative(input, outPath, options.maxPixels, async (image, _header, temporaryPath) =>
    jpegResult(
      await image
        .resize(maxLongSide, maxLongSide, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality })
        .toFile(temporaryPath),
    ),
  );
}
