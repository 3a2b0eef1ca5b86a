import type { ImageRegion, ImageRequest, ImageRotation, ImageSize } from './image-request.types.ts';

/** Numbers as the spec writes them: integers plain, decimals without trailing zeros (`String` does both). */
const number = (n: number) => String(n);

/** Region, §4.1 (https://iiif.io/api/image/3.0/#41-region). */
export function serialiseRegion(region: ImageRegion): string {
  switch (region.type) {
    case 'full':
    case 'square':
      return region.type;
    case 'pixels':
      return [region.x, region.y, region.w, region.h].map(number).join(',');
    case 'percent':
      return `pct:${[region.x, region.y, region.w, region.h].map(number).join(',')}`;
  }
}

/** Size, §4.2 (https://iiif.io/api/image/3.0/#42-size). */
export function serialiseSize(size: ImageSize): string {
  const prefix = size.upscale ? '^' : '';
  switch (size.type) {
    case 'max':
      return `${prefix}max`;
    case 'width':
      return `${prefix}${size.w},`;
    case 'height':
      return `${prefix},${size.h}`;
    case 'percent':
      return `${prefix}pct:${number(size.n)}`;
    case 'exact':
      return `${prefix}${size.w},${size.h}`;
    case 'confined':
      return `${prefix}!${size.w},${size.h}`;
  }
}

/** Rotation, §4.3 (https://iiif.io/api/image/3.0/#43-rotation). */
export function serialiseRotation(rotation: ImageRotation): string {
  return `${rotation.mirror ? '!' : ''}${number(rotation.degrees)}`;
}

/** The inverse of `parseImageRequest`: what follows the identifier in the URI. */
export function serialiseImageRequest(request: ImageRequest): string {
  if (request.type === 'info') return 'info.json';
  return [serialiseRegion(request.region), serialiseSize(request.size), serialiseRotation(request.rotation), `${request.quality}.${request.format}`].join('/');
}
