import mime from 'mime-types';

import { InvalidInputError } from './errors.ts';

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/** The MIME type for a key from its extension (`.tif` → `image/tiff`), else `application/octet-stream`. */
export function contentTypeFor(key: string): string {
  const found = mime.lookup(key);
  return found === false ? DEFAULT_CONTENT_TYPE : found;
}

const CONTENT_TYPE = /^[\x21-\x7e][\x20-\x7e]{0,254}$/;

/**
 * Checks a caller-supplied content type: printable ASCII, at most 255 characters, no line
 * breaks (it becomes an HTTP header on S3). `undefined` stays `undefined`.
 */
export function checkContentType(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !CONTENT_TYPE.test(value)) {
    throw new InvalidInputError(
      `contentType must be printable ASCII of at most 255 characters (for example "image/tiff"), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
