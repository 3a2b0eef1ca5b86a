import type { ImageLimits, Size } from './calculate-image-operation.ts';

/** Image API 3.0 JSON-LD media type (https://iiif.io/api/image/3.0/#51-image-information-request). */
export const IMAGE_JSON_LD_MEDIA_TYPE = 'application/ld+json;profile="http://iiif.io/api/image/3/context.json"';
/** The level 2 profile document, for `Link: <…>;rel="profile"` (https://iiif.io/api/image/3.0/#6-compliance-level-and-profile-document). */
export const LEVEL2_PROFILE_URI = 'http://iiif.io/api/image/3/level2.json';

/**
 * Features beyond level 2 that this server implements, by the names of
 * https://iiif.io/api/image/3.0/#57-extra-functionality (level 2 already implies regionByPx,
 * regionByPct, sizeByW, sizeByH, sizeByPct, sizeByConfinedWh, sizeByWh, rotationBy90s,
 * baseUriRedirect, cors and jsonldMediaType).
 */
export const EXTRA_FEATURES = [
  'canonicalLinkHeader',
  'mirroring',
  'profileLinkHeader',
  'regionSquare',
  'rotationArbitrary',
  'sizeUpscaling',
] as const;

export interface ImageInfo {
  '@context': 'http://iiif.io/api/image/3/context.json';
  id: string;
  type: 'ImageService3';
  protocol: 'http://iiif.io/api/image';
  profile: 'level2';
  width: number;
  height: number;
  maxWidth?: number;
  maxHeight?: number;
  maxArea?: number;
  sizes: Size[];
  tiles: { width: number; height: number; scaleFactors: number[] }[];
  extraFormats: string[];
  extraQualities: string[];
  extraFeatures: string[];
}

function withinLimits(width: number, height: number, limits: ImageLimits): boolean {
  return (
    (limits.maxWidth === undefined || width <= limits.maxWidth) &&
    (limits.maxHeight === undefined || height <= limits.maxHeight) &&
    (limits.maxArea === undefined || width * height <= limits.maxArea)
  );
}

/**
 * The image information document (https://iiif.io/api/image/3.0/#5-image-information).
 * `sizes` are the pyramid levels (smallest first), `tiles` the 256 px tiles at scale factor
 * 2^n for level n. `color` is not listed in `extraQualities`: level 2 requires it already.
 */
export function buildImageInfo(id: string, image: Size, levels: readonly Size[], limits: ImageLimits = {}, tileSize = 256): ImageInfo {
  return {
    '@context': 'http://iiif.io/api/image/3/context.json',
    id,
    type: 'ImageService3',
    protocol: 'http://iiif.io/api/image',
    profile: 'level2',
    width: image.width,
    height: image.height,
    ...(limits.maxWidth === undefined ? {} : { maxWidth: limits.maxWidth }),
    ...(limits.maxHeight === undefined ? {} : { maxHeight: limits.maxHeight }),
    ...(limits.maxArea === undefined ? {} : { maxArea: limits.maxArea }),
    sizes: levels
      .filter(({ width, height }) => withinLimits(width, height, limits))
      .map(({ width, height }) => ({ width, height }))
      .reverse(),
    tiles: [{ width: tileSize, height: tileSize, scaleFactors: levels.map((_level, n) => 2 ** n) }],
    extraFormats: ['webp'],
    extraQualities: ['gray', 'bitonal'],
    extraFeatures: [...EXTRA_FEATURES],
  };
}
