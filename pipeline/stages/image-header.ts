import sharp, { type Metadata } from 'sharp';

import { InvalidInputError } from '../../storage/index.ts';
import { withFileByteReader } from './image-byte-reader.ts';
import { corruptImageError, type ImageRejectionReason } from './image-errors.ts';
import { readDpi } from './image-resolution.ts';
import { toImageSource, type ImageSource } from './image-source.ts';
import { assertProcessableStructure } from './image-structure.ts';
import { sniffImageType, SNIFF_HEADER_LENGTH, type AcceptedSniffedType } from './sniff-image-type.ts';

/** What the headers of one page say, before any pixel is decoded. */
export interface ImageHeader {
  source: ImageSource;
  sniffed: AcceptedSniffedType;
  /** The selected page, 0-based. */
  page: number;
  pageCount: number;
  /** Size the right way up (after the EXIF/TIFF Orientation tag), as every stage sees it. */
  width: number;
  height: number;
  channels: number;
  /** libvips interpretation: `srgb`, `b-w`, `cmyk`, `rgb16`, `grey16`, ... */
  colourSpace: string;
  /** Bits per sample as stored (1 for a bilevel TIFF, 16 for a 16-bit PNG). */
  bitDepth: number;
  hasAlpha: boolean;
  /** From the file's own resolution fields; see `readDpi`. */
  dpi: number | null;
}

const BITS_PER_BAND_FORMAT: Record<string, number> = {
  uchar: 8,
  char: 8,
  ushort: 16,
  short: 16,
  uint: 32,
  int: 32,
  float: 32,
  complex: 64,
  double: 64,
  dpcomplex: 128,
};

function unsupported(reason: string, format: string, path: string): InvalidInputError {
  return new InvalidInputError(reason, {
    details: { reason: 'unsupported-format' satisfies ImageRejectionReason, format, path },
  });
}

/**
 * Sniffs the real format, refuses what the pipeline cannot read, and reads the selected page's
 * header with sharp (no pixel decoding, no pixel limit: that is for the caller to decide on
 * the size this returns). Throws NotFoundError for a missing file and InvalidInputError
 * (`details.reason`) for an unsupported format, a page that does not exist, a header that
 * cannot be read, or samples, colour space or channels the stages cannot process (see
 * `assertProcessableStructure`).
 */
export async function readImageHeader(input: ImageSource | string): Promise<ImageHeader> {
  const source = toImageSource(input);
  const { path } = source;
  const page = source.page ?? 0;

  return withFileByteReader(path, async (reader) => {
    const start = await reader.read(0, SNIFF_HEADER_LENGTH);
    if (start.length === 0) {
      throw unsupported('The file is empty (0 bytes): the scan or the upload did not complete. Upload the page again.', 'empty', path);
    }
    const sniffed = sniffImageType(start);
    if (!sniffed.accepted) throw unsupported(sniffed.reason, sniffed.type, path);

    let metadata: Metadata;
    let pageCount: number;
    try {
      const first = await sharp(path, { limitInputPixels: false }).metadata();
      pageCount = sniffed.type === 'tiff' ? Math.max(1, first.pages ?? 1) : 1;
      if (page >= pageCount) {
        throw new InvalidInputError(
          `Page ${page} does not exist: the file has ${pageCount} page${pageCount === 1 ? '' : 's'} (numbered from 0).`,
          { details: { reason: 'page-out-of-range' satisfies ImageRejectionReason, page, pageCount, path } },
        );
      }
      metadata = page === 0 ? first : await sharp(path, { limitInputPixels: false, page }).metadata();
    } catch (error) {
      if (error instanceof InvalidInputError) throw error;
      throw corruptImageError(error, sniffed.type, path, 'header');
    }
    if (metadata.format !== sniffed.type) {
      const mismatch = new Error(`content starts as ${sniffed.type} but decodes as ${metadata.format}`);
      throw corruptImageError(mismatch, sniffed.type, path, 'header');
    }
    assertProcessableStructure(
      { colourSpace: metadata.space, sampleFormat: metadata.depth, channels: metadata.channels },
      { path, page, pageCount },
    );

    let dpi: number | null;
    try {
      dpi = await readDpi(reader, sniffed.type, page);
    } catch (error) {
      if (error instanceof InvalidInputError) throw corruptImageError(error, sniffed.type, path, 'header');
      throw error;
    }

    const oriented = metadata.autoOrient ?? { width: metadata.width, height: metadata.height };
    return {
      source,
      sniffed,
      page,
      pageCount,
      width: oriented.width,
      height: oriented.height,
      channels: metadata.channels,
      colourSpace: metadata.space,
      bitDepth: metadata.bitsPerSample ?? BITS_PER_BAND_FORMAT[metadata.depth] ?? 8,
      hasAlpha: metadata.hasAlpha,
      dpi,
    };
  });
}
