import sharp, { type Sharp } from 'sharp';

import { InvalidInputError } from '../../storage/index.ts';

/**
 * A page image on local disk. `page` selects one page (IFD) of a multi-page TIFF, 0-based;
 * absent means the first (or only) page. Stages take this rather than a buffer so that
 * libvips can stream the file and never hold a full-size master in memory.
 */
export interface ImageSource {
  path: string;
  page?: number;
}

/**
 * How much libvips tolerates while decoding pixel data. `'error'` is the stages' default: it
 * is the lowest level that refuses all three truncations we checked (a JPEG, a PNG and a
 * strip TIFF cut in half; `'truncated'` lets the TIFF through), while `'warning'` also refuses
 * sound scanner TIFFs over harmless libtiff complaints (unsorted tags). The validate stage
 * tries `'warning'` first and reports such complaints as warnings when `'error'` passes.
 */
export type DecodeStrictness = 'none' | 'truncated' | 'error' | 'warning';

/** sharp's own default pixel limit (0x3FFF × 0x3FFF), used when a stage is given none. */
export const DEFAULT_MAX_INPUT_PIXELS = 16383 * 16383;

export interface OpenSharpOptions {
  /**
   * Refuse to decode when width × height is larger (decompression bombs). sharp checks it
   * from the header, before any pixel is decoded. `false` removes the limit: only for
   * header-only calls such as `metadata()`. Default {@link DEFAULT_MAX_INPUT_PIXELS}.
   */
  maxPixels?: number | false;
  /** Default `'error'`; see {@link DecodeStrictness}. */
  failOn?: DecodeStrictness;
  /**
   * Default `true`: rotate/flip by the EXIF or TIFF Orientation tag, so that every stage
   * (and the IIIF canvas) sees the page the right way up in the same pixel grid.
   */
  autoOrient?: boolean;
}

/** Accepts the short form (a bare path) wherever a stage takes a source. */
export function toImageSource(source: ImageSource | string): ImageSource {
  const normalised = typeof source === 'string' ? { path: source } : source;
  if (typeof normalised.path !== 'string' || normalised.path === '') {
    throw new InvalidInputError('The image source has no file path', { details: { field: 'path' } });
  }
  if (normalised.page !== undefined && !(Number.isInteger(normalised.page) && normalised.page >= 0)) {
    throw new InvalidInputError(
      `The page number must be a whole number from 0 (the first page), not ${String(normalised.page)}`,
      { details: { field: 'page', reason: 'page-out-of-range' } },
    );
  }
  return normalised;
}

/**
 * The one way stages open an image with sharp: from the file path (libvips streams it,
 * sequential access), one page at a time, with the same pixel limit, decoding strictness
 * and orientation handling everywhere.
 *
 * `page` is passed on only for multi-page formats (sharp ignores it for JPEG/PNG); whether
 * the page exists is checked by {@link readImageHeader}, which every stage calls first.
 */
export function openSharp(source: ImageSource | string, options: OpenSharpOptions = {}): Sharp {
  const { path, page } = toImageSource(source);
  return sharp(path, {
    failOn: options.failOn ?? 'error',
    limitInputPixels: options.maxPixels ?? DEFAULT_MAX_INPUT_PIXELS,
    sequentialRead: true,
    autoOrient: options.autoOrient ?? true,
    pages: 1,
    ...(page === undefined ? {} : { page }),
  });
}
