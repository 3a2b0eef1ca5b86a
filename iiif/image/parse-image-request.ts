import { InvalidInputError } from '../../storage/index.ts';
import {
  IMAGE_FORMATS,
  IMAGE_QUALITIES,
  type ImageFormat,
  type ImageQuality,
  type ImageRegion,
  type ImageRequest,
  type ImageRotation,
  type ImageSize,
} from './image-request.types.ts';

/** Whole, non-negative pixel counts: digits only (no sign, no exponent, no decimals). */
const INTEGER = /^\d+$/;
/** Non-negative decimals as the spec writes them: `12`, `12.5`, `0.5`, `.5`. */
const DECIMAL = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

function bad(part: string, value: string, expected: string): InvalidInputError {
  return new InvalidInputError(`Invalid IIIF ${part} "${value}": expected ${expected}`, { details: { part, value } });
}

function integer(text: string, part: string, value: string, expected: string): number {
  if (!INTEGER.test(text)) throw bad(part, value, expected);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw bad(part, value, expected);
  return n;
}

function decimal(text: string, part: string, value: string, expected: string): number {
  if (!DECIMAL.test(text)) throw bad(part, value, expected);
  const n = Number(text);
  if (!Number.isFinite(n)) throw bad(part, value, expected);
  return n;
}

/** Region, §4.1: `full` | `square` | `x,y,w,h` | `pct:x,y,w,h`. */
export function parseRegion(value: string): ImageRegion {
  if (value === 'full') return { type: 'full' };
  if (value === 'square') return { type: 'square' };
  const expected = 'full, square, x,y,w,h (whole pixels) or pct:x,y,w,h (https://iiif.io/api/image/3.0/#41-region)';
  const percent = value.startsWith('pct:');
  const parts = (percent ? value.slice(4) : value).split(',');
  if (parts.length !== 4) throw bad('region', value, expected);
  const [x, y, w, h] = parts.map((p) => (percent ? decimal(p, 'region', value, expected) : integer(p, 'region', value, expected))) as [
    number,
    number,
    number,
    number,
  ];
  if (w <= 0 || h <= 0) throw new InvalidInputError(`Invalid IIIF region "${value}": width and height must be greater than zero`, { details: { part: 'region', value } });
  return { type: percent ? 'percent' : 'pixels', x, y, w, h };
}

/** Size, §4.2: `max` | `w,` | `,h` | `pct:n` | `w,h` | `!w,h`, each optionally prefixed by `^`. */
export function parseSize(value: string): ImageSize {
  const expected = 'max, w,, ,h, pct:n, w,h or !w,h, optionally prefixed by ^ (https://iiif.io/api/image/3.0/#42-size)';
  const upscale = value.startsWith('^');
  const body = upscale ? value.slice(1) : value;
  if (body === 'max') return { type: 'max', upscale };
  if (body.startsWith('pct:')) {
    const n = decimal(body.slice(4), 'size', value, expected);
    if (n <= 0) throw new InvalidInputError(`Invalid IIIF size "${value}": the percentage must be greater than zero`, { details: { part: 'size', value } });
    return { type: 'percent', n, upscale };
  }
  const confined = body.startsWith('!');
  const pair = (confined ? body.slice(1) : body).split(',');
  if (pair.length !== 2) throw bad('size', value, expected);
  const [wText = '', hText = ''] = pair;
  const positive = (text: string) => {
    const n = integer(text, 'size', value, expected);
    if (n === 0) throw new InvalidInputError(`Invalid IIIF size "${value}": width and height must be greater than zero`, { details: { part: 'size', value } });
    return n;
  };
  if (confined) return { type: 'confined', w: positive(wText), h: positive(hText), upscale };
  if (wText !== '' && hText === '') return { type: 'width', w: positive(wText), upscale };
  if (wText === '' && hText !== '') return { type: 'height', h: positive(hText), upscale };
  return { type: 'exact', w: positive(wText), h: positive(hText), upscale };
}

/** Rotation, §4.3: optional `!` (mirror), then degrees from 0 to 360. */
export function parseRotation(value: string): ImageRotation {
  const expected = 'degrees from 0 to 360, optionally prefixed by ! to mirror (https://iiif.io/api/image/3.0/#43-rotation)';
  const mirror = value.startsWith('!');
  const degrees = decimal(mirror ? value.slice(1) : value, 'rotation', value, expected);
  if (degrees > 360) throw bad('rotation', value, expected);
  return { degrees, mirror };
}

/** Quality, §4.4. */
export function parseQuality(value: string): ImageQuality {
  if (!(IMAGE_QUALITIES as readonly string[]).includes(value)) {
    throw bad('quality', value, `one of ${IMAGE_QUALITIES.join(', ')} (https://iiif.io/api/image/3.0/#44-quality)`);
  }
  return value as ImageQuality;
}

/** Format, §4.5: the formats this server writes. */
export function parseFormat(value: string): ImageFormat {
  if (!(IMAGE_FORMATS as readonly string[]).includes(value)) {
    throw bad('format', value, `one of ${IMAGE_FORMATS.join(', ')} (https://iiif.io/api/image/3.0/#45-format)`);
  }
  return value as ImageFormat;
}

/**
 * Parses what follows the identifier in a IIIF Image API 3.0 URI: `info.json`
 * (https://iiif.io/api/image/3.0/#22-image-information-request-uri-syntax) or
 * `{region}/{size}/{rotation}/{quality}.{format}` (https://iiif.io/api/image/3.0/#21-image-request-uri-syntax).
 * Strict: anything malformed is an `InvalidInputError` (400) naming the bad part.
 */
export function parseImageRequest(path: string): ImageRequest {
  if (path === 'info.json') return { type: 'info' };
  const segments = path.split('/');
  if (segments.length !== 4) {
    throw new InvalidInputError(`Invalid IIIF image request "${path}": expected {region}/{size}/{rotation}/{quality}.{format} or info.json`, {
      details: { part: 'path', value: path },
    });
  }
  const [region = '', size = '', rotation = '', qualityFormat = ''] = segments;
  const dot = qualityFormat.lastIndexOf('.');
  if (dot < 0) throw bad('quality.format', qualityFormat, '{quality}.{format}, e.g. default.jpg');
  return {
    type: 'image',
    region: parseRegion(region),
    size: parseSize(size),
    rotation: parseRotation(rotation),
    quality: parseQuality(qualityFormat.slice(0, dot)),
    format: parseFormat(qualityFormat.slice(dot + 1)),
  };
}
