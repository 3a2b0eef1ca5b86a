import { createHash } from 'node:crypto';

import { InvalidInputError } from './errors.ts';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Lower-case hex sha256 of bytes in memory (for streams, the stores hash while writing). */
export function sha256Hex(data: Buffer | Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** True for 64 lower-case hex digits: the form every sha256 in this product is kept in. */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

/**
 * Checks a caller-supplied sha256 (64 hex digits, either case) and returns it in lower case;
 * `undefined` stays `undefined`. Anything else is an `InvalidInputError`.
 */
export function normaliseSha256(value: string | undefined, what: string): string | undefined {
  if (value === undefined) return undefined;
  const lower = typeof value === 'string' ? value.toLowerCase() : value;
  if (!isSha256Hex(lower)) {
    throw new InvalidInputError(`${what} must be 64 hexadecimal digits, got ${JSON.stringify(value)}`);
  }
  return lower;
}
