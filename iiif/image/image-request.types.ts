/**
 * The IIIF Image API 3.0 request as a discriminated union
 * (https://iiif.io/api/image/3.0/#4-image-requests). Produced by `parseImageRequest`,
 * turned back into a path by `serialiseImageRequest`.
 */

/** §4.1 Region. */
export type ImageRegion =
  | { type: 'full' }
  | { type: 'square' }
  | { type: 'pixels'; x: number; y: number; w: number; h: number }
  | { type: 'percent'; x: number; y: number; w: number; h: number };

/** §4.2 Size; `upscale` is the `^` prefix. */
export type ImageSize =
  | { type: 'max'; upscale: boolean }
  | { type: 'width'; w: number; upscale: boolean }
  | { type: 'height'; h: number; upscale: boolean }
  | { type: 'percent'; n: number; upscale: boolean }
  | { type: 'exact'; w: number; h: number; upscale: boolean }
  | { type: 'confined'; w: number; h: number; upscale: boolean };

/** §4.3 Rotation: `!` mirrors (before rotating), then degrees clockwise, 0–360. */
export interface ImageRotation {
  degrees: number;
  mirror: boolean;
}

/** §4.4 Quality. */
export const IMAGE_QUALITIES = ['default', 'color', 'gray', 'bitonal'] as const;
export type ImageQuality = (typeof IMAGE_QUALITIES)[number];

/** §4.5 Format: the ones this server writes. */
export const IMAGE_FORMATS = ['jpg', 'png', 'webp'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export const MEDIA_TYPE_BY_FORMAT: Record<ImageFormat, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

export interface ImageParameters {
  region: ImageRegion;
  size: ImageSize;
  rotation: ImageRotation;
  quality: ImageQuality;
  format: ImageFormat;
}

/** What follows the identifier: `info.json` (§5) or `{region}/{size}/{rotation}/{quality}.{format}` (§4). */
export type ImageRequest = { type: 'info' } | ({ type: 'image' } & ImageParameters);
