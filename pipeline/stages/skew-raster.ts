import sharp, { type Sharp } from 'sharp';
import { AppError, InvalidInputError, NotFoundError } from '../../storage/index.ts';

/** One page of an image file: `page` is the zero-based page of a multi-page TIFF (default 0). */
export interface PageSource {
  path: string;
  page?: number;
}

/** An 8-bit greyscale image, one byte per pixel, row-major, 0 = black. */
export interface GreyRaster {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A rectangle in pixels, origin top left. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A downscaled working copy of a page, and how it maps back to the source pixels. */
export interface WorkingRaster {
  raster: GreyRaster;
  sourceWidth: number;
  sourceHeight: number;
  /** Source pixels per raster pixel (≥ 1; 1 when the source was small enough already). */
  scale: number;
  /** Dots per inch recorded in the source, when it records one. */
  density: number | undefined;
  /** Channels of the source (1 or 2 = greyscale, with or without alpha). */
  sourceChannels: number;
}

/** Long side of the working copy the skew and border analyses run on. */
export const DEFAULT_WORKING_LONG_SIDE = 2000;

/**
 * Opens `source` with sharp, translating "no such file" and "not an image" into our errors.
 * Pixels are never decoded here: sharp reads lazily, so callers chain operations and stream.
 */
export function openPage(source: PageSource, options: { sequentialRead?: boolean } = {}): Sharp {
  return sharp(source.path, {
    page: source.page ?? 0,
    // Pixels as a viewer shows them: an EXIF Orientation tag (cameras) is applied, then dropped.
    autoOrient: true,
    // Scanner masters are big: 10000 × 14000 is 140 Mpx, under sharp's default limit of 268 Mpx.
    limitInputPixels: true,
    sequentialRead: options.sequentialRead ?? true,
  });
}

/**
 * Maps a sharp failure to read `source` to our errors: a missing file is NotFoundError, anything
 * else sharp says about the input (unsupported format, corrupt header, truncated data, no such
 * page) is InvalidInputError. Our own errors pass through.
 */
export function translateImageError(source: PageSource, error: unknown): unknown {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/^Input file is missing/i.test(message)) {
    return new NotFoundError(`Page image not found: ${source.path}. Check that the master was stored before deskew ran.`, {
      cause: error,
      details: { path: source.path },
    });
  }
  return new InvalidInputError(
    `Cannot decode page image ${source.path}${source.page ? ` (page ${source.page})` : ''}: ${message.split('\n')[0]}. Re-scan or re-upload the page.`,
    { cause: error, details: { path: source.path, page: source.page ?? 0 } },
  );
}

/**
 * Reads a greyscale copy of one page whose long side is at most `longSide` pixels.
 * sharp shrinks while it streams the decoded rows (and shrinks on load where the format allows),
 * so a 10000 × 14000 master never sits in memory at full size.
 */
export async function loadWorkingRaster(source: PageSource, longSide = DEFAULT_WORKING_LONG_SIDE): Promise<WorkingRaster> {
  try {
    const meta = await openPage(source).metadata();
    const sourceWidth = meta.autoOrient?.width ?? meta.width;
    const sourceHeight = meta.autoOrient?.height ?? meta.height;
    if (!sourceWidth || !sourceHeight) {
      throw new InvalidInputError(`Page image ${source.path} has no dimensions; re-scan or re-upload it.`, {
        details: { path: source.path },
      });
    }
    const scale = Math.max(1, Math.max(sourceWidth, sourceHeight) / longSide);
    const width = Math.max(1, Math.round(sourceWidth / scale));
    const height = Math.max(1, Math.round(sourceHeight / scale));
    const { data, info } = await openPage(source)
      .flatten({ background: '#ffffff' })
      .resize({ width, height, fit: 'fill', kernel: 'lanczos3' })
      .toColourspace('b-w')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) {
      throw new InvalidInputError(`Page image ${source.path} did not convert to greyscale (${info.channels} channels).`);
    }
    return {
      raster: { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height },
      sourceWidth,
      sourceHeight,
      scale: sourceWidth / info.width,
      density: meta.density,
      sourceChannels: meta.channels ?? 3,
    };
  } catch (error) {
    throw translateImageError(source, error);
  }
}

/** Copies the pixels of `box` (clamped to the raster) into a new raster. */
export function cropRaster(raster: GreyRaster, box: PixelBox): GreyRaster {
  const x0 = Math.max(0, Math.min(raster.width, Math.round(box.x)));
  const y0 = Math.max(0, Math.min(raster.height, Math.round(box.y)));
  const x1 = Math.max(x0, Math.min(raster.width, Math.round(box.x + box.width)));
  const y1 = Math.max(y0, Math.min(raster.height, Math.round(box.y + box.height)));
  const width = x1 - x0;
  const height = y1 - y0;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const from = (y0 + y) * raster.width + x0;
    data.set(raster.data.subarray(from, from + width), y * width);
  }
  return { data, width, height };
}
