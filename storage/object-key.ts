import { InvalidInputError } from './errors.ts';

/** Longest key we accept: S3's own limit, in bytes; our keys are ASCII, so characters = bytes. */
export const MAX_KEY_LENGTH = 1024;

const SEGMENT = /^[A-Za-z0-9._-]+$/;

/** A key or prefix that breaks the key rules; a kind of {@link InvalidInputError}. */
export class InvalidKeyError extends InvalidInputError {}

/**
 * Throws {@link InvalidKeyError} unless `key` is a valid object key. The same rules hold for
 * every adapter, so a key that works on the filesystem works on S3 and the other way round:
 *
 * - `/`-separated segments of `A-Z a-z 0-9 . _ -` only (so no backslash, NUL, space or non-ASCII);
 * - no empty segment (no leading or trailing `/`, no `//`);
 * - no segment that starts with `.` (this rules out `.` and `..`, and keeps `.tmp`/`.meta`
 *   free for the filesystem adapter's own folders);
 * - at most {@link MAX_KEY_LENGTH} characters.
 */
export function assertValidKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') {
    throw new InvalidKeyError(`object key must be a string, got ${typeof key}`);
  }
  checkCommon(key, 'object key');
  if (key.length === 0) {
    throw new InvalidKeyError('object key must not be empty');
  }
  const segments = key.split('/');
  for (const segment of segments) {
    checkSegment(key, segment, 'object key');
  }
}

/**
 * Throws {@link InvalidKeyError} unless `prefix` is a valid listing prefix: `''` (everything),
 * or a string that a valid key could start with. A trailing `/` is allowed
 * (`masters/12/` lists one folder); the last segment may be partial (`masters/1` also
 * matches `masters/10/...`), but follows the same character rules as a key segment.
 */
export function assertValidPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string') {
    throw new InvalidKeyError(`listing prefix must be a string, got ${typeof prefix}`);
  }
  if (prefix === '') return;
  checkCommon(prefix, 'listing prefix');
  const body = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (body === '') {
    throw new InvalidKeyError(`listing prefix ${describeKey(prefix)} is invalid: it must not start with "/"`);
  }
  for (const segment of body.split('/')) {
    checkSegment(prefix, segment, 'listing prefix');
  }
}

/** True when {@link assertValidKey} would accept `key`. */
export function isValidKey(key: unknown): key is string {
  try {
    assertValidKey(key);
    return true;
  } catch {
    return false;
  }
}

function checkCommon(value: string, what: string): void {
  if (value.length > MAX_KEY_LENGTH) {
    throw new InvalidKeyError(
      `${what} ${describeKey(value)} is invalid: it is ${value.length} characters long, the limit is ${MAX_KEY_LENGTH}`,
    );
  }
  if (value.includes('\u0000')) {
    throw new InvalidKeyError(`${what} ${describeKey(value)} is invalid: it contains a NUL character`);
  }
  if (value.includes('\\')) {
    throw new InvalidKeyError(
      `${what} ${describeKey(value)} is invalid: it contains a backslash; separate segments with "/"`,
    );
  }
  if (value.startsWith('/')) {
    throw new InvalidKeyError(`${what} ${describeKey(value)} is invalid: it must not start with "/"`);
  }
}

function checkSegment(value: string, segment: string, what: string): void {
  if (segment === '') {
    throw new InvalidKeyError(
      `${what} ${describeKey(value)} is invalid: it has an empty segment (a trailing "/" or "//")`,
    );
  }
  if (segment.startsWith('.')) {
    throw new InvalidKeyError(
      `${what} ${describeKey(value)} is invalid: segment ${JSON.stringify(segment)} starts with "." ("." and ".." are not allowed, and names starting with "." are reserved)`,
    );
  }
  if (!SEGMENT.test(segment)) {
    throw new InvalidKeyError(
      `${what} ${describeKey(value)} is invalid: segment ${JSON.stringify(segment)} may only contain A-Z, a-z, 0-9, ".", "_" and "-"`,
    );
  }
}

/** The key quoted for a message, with control characters escaped and very long keys shortened. */
export function describeKey(key: string): string {
  const shown = key.length > 120 ? `${key.slice(0, 60)}…${key.slice(-40)}` : key;
  return JSON.stringify(shown);
}
