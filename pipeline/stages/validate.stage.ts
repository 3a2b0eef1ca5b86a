import { InvalidInputError } from '../../storage/index.ts';
import { corruptImageError, decoderMessage, tooManyPixelsError } from './image-errors.ts';
import { decodeFully } from './image-decode-check.ts';
import { readImageHeader } from './image-header.ts';
import { toImageSource, type ImageSource } from './image-source.ts';
import type { AcceptedImageType } from './sniff-image-type.ts';

/** What a collection (or a scan station profile) asks of its page images. */
export interface ValidationProfile {
  /** Below this, the page is flagged `lowResolution` (not refused). */
  minDpi: number;
  /** width × height of one page above this is refused before any decoding (decompression bombs). */
  maxPixels: number;
}

/** Stable codes; the web UI translates them, `message` is the plain-English fallback. */
export type ValidationWarningCode = 'lowResolution' | 'resolutionUnknown' | 'decoderWarning';

export interface ValidationWarning {
  code: ValidationWarningCode;
  message: string;
}

export interface PageValidation {
  format: AcceptedImageType;
  mimeType: string;
  /** Extension for the stored master (`tif`, `jpg`, `png`). */
  extension: string;
  /** The page that was validated, 0-based. */
  page: number;
  /** Pages in the file: more than 1 only for a multi-page TIFF (see {@link listTiffPages}). */
  pageCount: number;
  /** Size of the validated page the right way up (EXIF/TIFF orientation applied). */
  width: number;
  height: number;
  /** Dots per inch from the file's resolution fields, rounded; `null` when the file states none. */
  dpi: number | null;
  channels: number;
  /** libvips interpretation: `srgb`, `b-w`, `cmyk`, `rgb16`, `grey16`, ... */
  colourSpace: string;
  /** Bits per sample as stored: 1 (bilevel), 8, 16. */
  bitDepth: number;
  warnings: ValidationWarning[];
}

export interface TiffPageInfo {
  page: number;
  width: number;
  height: number;
  dpi: number | null;
}

function assertProfile(profile: ValidationProfile): void {
  if (!(Number.isFinite(profile.minDpi) && profile.minDpi >= 0)) {
    throw new InvalidInputError(`The validation profile's minimum DPI must be a number of 0 or more, not ${profile.minDpi}`, {
      details: { field: 'minDpi' },
    });
  }
  if (!(Number.isInteger(profile.maxPixels) && profile.maxPixels > 0)) {
    throw new InvalidInputError(`The validation profile's pixel limit must be a positive whole number, not ${profile.maxPixels}`, {
      details: { field: 'maxPixels' },
    });
  }
}

/**
 * Decodes every pixel of the page (see `decodeFully`), first with `failOn: 'warning'`; only
 * if that fails, again with `'error'`: a page that passes the second is accepted with the
 * decoder's complaints returned as warnings (libtiff warns about harmless things such as
 * unsorted tags). sharp's `warning` events cannot be used for
 * this: libvips warnings go to one process-wide queue, so under concurrency they reach
 * whichever image finishes next.
 *
 * What libvips reports for a file cut in half (sharp 0.35.5, libvips 8.18.7):
 * - JPEG: "VipsJpeg: premature end of JPEG image" (from failOn 'truncated').
 * - PNG: "vipspng: libpng read error" (from failOn 'truncated'; 'none' lets it through).
 * - TIFF, strips with the directory first: "tiff2vips: Read error at scanline N; got X bytes,
 *   expected Y", only from failOn 'error' ('truncated' lets it through).
 * - TIFF with the directory at the end (as libvips and many tools write it): the header read
 *   already fails ("Input file contains unsupported image format"), caught by readImageHeader.
 * - A multi-page TIFF cut after page 0: "bad seek ... Failed to read directory at offset N".
 *
 * Returns the decoder's complaints when the page decodes with warnings; throws when it does
 * not decode at `'error'` level.
 */
async function decodeCheck(source: ImageSource, maxPixels: number): Promise<string | null> {
  try {
    await decodeFully(source, maxPixels, 'warning');
    return null;
  } catch (strictError) {
    await decodeFully(source, maxPixels, 'error');
    return decoderMessage(strictError).replace(/^Warning treated as error due to failOn setting(; )?/, '') || 'unspecified warning';
  }
}

function resolutionWarnings(dpi: number | null, minDpi: number): ValidationWarning[] {
  if (dpi === null) {
    return [
      {
        code: 'resolutionUnknown',
        message:
          'The file does not say at what resolution (DPI) it was scanned, so the scan quality cannot be checked. ' +
          'Set the resolution in the scanner software if possible.',
      },
    ];
  }
  if (dpi < minDpi) {
    return [
      {
        code: 'lowResolution',
        message:
          `The page was scanned at ${dpi} DPI, below the ${minDpi} DPI this collection asks for. ` +
          `Scan the page again at ${minDpi} DPI or more if possible.`,
      },
    ];
  }
  return [];
}

/**
 * Checks one page image before its master is stored: real format (magic bytes), header
 * (samples, colour space and channels the stages can process), page size against the pixel
 * limit (from the header, before decoding), a full streaming decode to catch truncated or
 * damaged data, and the scan resolution against the profile.
 *
 * Refusals are InvalidInputError with `details.reason` (`unsupported-format`,
 * `unsupported-sample-format`, `unsupported-colour-space`, `too-many-channels`,
 * `too-many-pixels`, `corrupt`, `page-out-of-range`); a missing file is NotFoundError.
 * Resolution problems and decoder warnings are returned in `warnings`, not thrown.
 *
 * For a multi-page TIFF this validates the selected page (default the first) and reports
 * `pageCount`; each page is then validated and processed on its own as `{ path, page }`.
 */
export async function validatePage(input: ImageSource | string, profile: ValidationProfile): Promise<PageValidation> {
  assertProfile(profile);
  const source = toImageSource(input);
  const header = await readImageHeader(source);
  const { sniffed, width, height } = header;

  if (width * height > profile.maxPixels) {
    throw tooManyPixelsError(width, height, profile.maxPixels, source.path);
  }

  let decoderWarnings: string | null;
  try {
    decoderWarnings = await decodeCheck(source, profile.maxPixels);
  } catch (error) {
    throw corruptImageError(error, sniffed.type, source.path, 'data');
  }

  const warnings = resolutionWarnings(header.dpi, profile.minDpi);
  if (decoderWarnings !== null) {
    warnings.push({
      code: 'decoderWarning',
      message: `The image can be read, but the decoder reported problems: ${decoderWarnings}. Look at the page to check it is complete.`,
    });
  }

  return {
    format: sniffed.type,
    mimeType: sniffed.mimeType,
    extension: sniffed.extension,
    page: header.page,
    pageCount: header.pageCount,
    width,
    height,
    dpi: header.dpi,
    channels: header.channels,
    colourSpace: header.colourSpace,
    bitDepth: header.bitDepth,
    warnings,
  };
}

/** Images one multi-page TIFF may hold: more than any bound volume, few enough that listing them stays quick. */
export const MAX_TIFF_PAGES = 2000;

/**
 * Size and resolution of every page of a (multi-page) TIFF, from the headers only: nothing is
 * decoded, so it is safe on any file; the pixel limit is applied when each page is validated
 * as `{ path, page }`. A JPEG or PNG lists as its one page. A TIFF of more than `maxPages`
 * images is refused (`InvalidInputError`) before any page header is read; so is a file with
 * any page the stages cannot process (see `readImageHeader`).
 */
export async function listTiffPages(path: string, maxPages = MAX_TIFF_PAGES): Promise<TiffPageInfo[]> {
  const first = await readImageHeader(path);
  if (first.pageCount > maxPages) {
    throw new InvalidInputError(
      `The TIFF holds ${first.pageCount} images; at most ${maxPages} are taken from one file (each becomes a page): split it, or send the pages as separate files`,
    );
  }
  const pages: TiffPageInfo[] = [{ page: 0, width: first.width, height: first.height, dpi: first.dpi }];
  for (let page = 1; page < first.pageCount; page += 1) {
    const header = await readImageHeader({ path, page });
    pages.push({ page, width: header.width, height: header.height, dpi: header.dpi });
  }
  return pages;
}
