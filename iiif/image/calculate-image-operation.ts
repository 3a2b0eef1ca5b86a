import { InvalidInputError } from '../../storage/index.ts';
import type { ImageParameters, ImageSize } from './image-request.types.ts';
import { serialiseRotation } from './serialise-image-request.ts';

export interface Size {
  width: number;
  height: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Server-imposed limits, advertised in info.json (https://iiif.io/api/image/3.0/#53-technical-properties). */
export interface ImageLimits {
  maxWidth?: number;
  maxHeight?: number;
  maxArea?: number;
}

/** What to read and what to write for one image request: pure geometry, no I/O. */
export interface ImageOperation {
  /** The requested region in full-resolution pixels. */
  region: Rect;
  /** Size of the scaled region, before rotation. */
  output: Size;
  /** Pyramid level (TIFF page) to read. */
  level: number;
  /** The region in that level's pixels. */
  levelRegion: Rect;
  /** Canonical `{region}/{size}/{rotation}/{quality}.{format}` (§4.7). */
  canonicalPath: string;
}

function invalid(part: string, message: string): InvalidInputError {
  return new InvalidInputError(`Invalid IIIF ${part}: ${message}`, { details: { part } });
}

/** §4.1: the region in full-resolution pixels, clipped to the image. */
export function calculateRegion(region: ImageParameters['region'], image: Size): Rect {
  const { width: W, height: H } = image;
  let rect: Rect;
  switch (region.type) {
    case 'full':
      return { x: 0, y: 0, w: W, h: H };
    case 'square': {
      const s = Math.min(W, H);
      return { x: Math.floor((W - s) / 2), y: Math.floor((H - s) / 2), w: s, h: s };
    }
    case 'pixels':
      rect = { x: region.x, y: region.y, w: region.w, h: region.h };
      break;
    case 'percent':
      rect = {
        x: Math.round((region.x * W) / 100),
        y: Math.round((region.y * H) / 100),
        w: Math.round((region.w * W) / 100),
        h: Math.round((region.h * H) / 100),
      };
      break;
  }
  if (rect.x >= W || rect.y >= H) throw invalid('region', `it starts outside the image (${W} × ${H} pixels)`);
  const clipped = { x: rect.x, y: rect.y, w: Math.min(rect.w, W - rect.x), h: Math.min(rect.h, H - rect.y) };
  if (clipped.w <= 0 || clipped.h <= 0) throw invalid('region', 'it has zero width or height');
  return clipped;
}

/** The largest size within the limits, keeping the aspect ratio of `region` (the `max` of §4.2). */
function maxSize(region: { w: number; h: number }, limits: ImageLimits, upscale: boolean): Size {
  let scale = upscale ? Infinity : 1;
  if (limits.maxWidth !== undefined) scale = Math.min(scale, limits.maxWidth / region.w);
  if (limits.maxHeight !== undefined) scale = Math.min(scale, limits.maxHeight / region.h);
  if (limits.maxArea !== undefined) scale = Math.min(scale, Math.sqrt(limits.maxArea / (region.w * region.h)));
  if (!Number.isFinite(scale)) scale = 1;
  if (scale >= 1 && !upscale) return { width: region.w, height: region.h };
  return { width: Math.max(1, Math.floor(region.w * scale)), height: Math.max(1, Math.floor(region.h * scale)) };
}

/** §4.2: the output size for the region; throws for upscaling without `^`, zero sizes and sizes over the limits. */
export function calculateSize(size: ImageSize, region: Rect, limits: ImageLimits): Size {
  let out: Size;
  switch (size.type) {
    case 'max':
      out = maxSize(region, limits, size.upscale);
      break;
    case 'width':
      out = { width: size.w, height: Math.round((size.w * region.h) / region.w) };
      break;
    case 'height':
      out = { width: Math.round((size.h * region.w) / region.h), height: size.h };
      break;
    case 'percent':
      out = { width: Math.round((region.w * size.n) / 100), height: Math.round((region.h * size.n) / 100) };
      break;
    case 'exact':
      out = { width: size.w, height: size.h };
      break;
    case 'confined': {
      // As large as possible within w × h, keeping the aspect ratio; never above the region without `^`.
      const sw = size.w / region.w;
      const sh = size.h / region.h;
      const scale = size.upscale ? Math.min(sw, sh) : Math.min(sw, sh, 1);
      out = {
        width: scale === sw ? size.w : Math.min(size.w, Math.round(region.w * scale)),
        height: scale === sh ? size.h : Math.min(size.h, Math.round(region.h * scale)),
      };
      break;
    }
  }
  if (out.width <= 0 || out.height <= 0) throw invalid('size', `the result would be ${out.width} × ${out.height} pixels (zero)`);
  if (!size.upscale && (out.width > region.w || out.height > region.h)) {
    throw invalid('size', `${out.width} × ${out.height} is larger than the region (${region.w} × ${region.h}); prefix the size with ^ to upscale`);
  }
  if (limits.maxWidth !== undefined && out.width > limits.maxWidth) throw invalid('size', `width ${out.width} is above maxWidth ${limits.maxWidth}`);
  if (limits.maxHeight !== undefined && out.height > limits.maxHeight) throw invalid('size', `height ${out.height} is above maxHeight ${limits.maxHeight}`);
  if (limits.maxArea !== undefined && out.width * out.height > limits.maxArea) {
    throw invalid('size', `${out.width} × ${out.height} pixels is above maxArea ${limits.maxArea}`);
  }
  return out;
}

/**
 * The level to read: the smallest level (largest scale factor) whose copy of the region still
 * has at least the output's resolution. `levels[0]` is full resolution.
 */
export function chooseLevel(region: Rect, output: Size, levels: readonly Size[]): { level: number; levelRegion: Rect } {
  const [top] = levels;
  if (top === undefined) throw new Error('An image source without any pyramid level');
  let chosen = 0;
  for (const [index, level] of levels.entries()) {
    const sx = level.width / top.width;
    const sy = level.height / top.height;
    if (region.w * sx >= output.width && region.h * sy >= output.height) chosen = index;
  }
  const level = levels[chosen] as Size;
  const sx = level.width / top.width;
  const sy = level.height / top.height;
  const x = Math.min(level.width - 1, Math.floor(region.x * sx));
  const y = Math.min(level.height - 1, Math.floor(region.y * sy));
  const x2 = Math.min(level.width, Math.max(x + 1, Math.ceil((region.x + region.w) * sx)));
  const y2 = Math.min(level.height, Math.max(y + 1, Math.ceil((region.y + region.h) * sy)));
  return { level: chosen, levelRegion: { x, y, w: x2 - x, h: y2 - y } };
}

/**
 * The pure geometry of an image request (the samvera iiif-processor "calculator"): the region in
 * full-resolution pixels, the output size, the pyramid level to read and the region there, and
 * the canonical path (https://iiif.io/api/image/3.0/#47-canonical-uri-syntax):
 * region `full` or `x,y,w,h`; size `max` when the maximum size without upscaling is asked for,
 * otherwise `w,h` (`^w,h` when upscaling); rotation `!` when mirrored then the shortest number;
 * quality and format as requested.
 */
export function calculateImageOperation(request: ImageParameters, image: Size, levels: readonly Size[], limits: ImageLimits = {}): ImageOperation {
  const region = calculateRegion(request.region, image);
  const output = calculateSize(request.size, region, limits);
  const { level, levelRegion } = chooseLevel(region, output, levels);
  const isFull = region.x === 0 && region.y === 0 && region.w === image.width && region.h === image.height;
  const max = maxSize(region, limits, false);
  const upscaled = output.width > region.w || output.height > region.h;
  const canonicalSize =
    !upscaled && output.width === max.width && output.height === max.height ? 'max' : `${upscaled ? '^' : ''}${output.width},${output.height}`;
  const canonicalPath = [
    isFull ? 'full' : `${region.x},${region.y},${region.w},${region.h}`,
    canonicalSize,
    serialiseRotation({ degrees: request.rotation.degrees === 360 ? 0 : request.rotation.degrees, mirror: request.rotation.mirror }),
    `${request.quality}.${request.format}`,
  ].join('/');
  return { region, output, level, levelRegion, canonicalPath };
}
