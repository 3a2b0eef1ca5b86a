import { InvalidInputError } from './errors.ts';
import { assertValidPrefix, MAX_KEY_LENGTH } from './object-key.ts';
import type { ListOptions } from './object-store.port.ts';

export const MAX_LIST_LIMIT = 1000;

export interface CheckedListOptions {
  prefix: string;
  /** `''` when absent. */
  startAfter: string;
  limit: number;
}

/** Validates `list` arguments for every adapter: the prefix rules, a sane `startAfter`, `limit` 1..1000. */
export function checkListOptions(prefix: string, options: ListOptions = {}): CheckedListOptions {
  assertValidPrefix(prefix);
  const { startAfter = '', limit = MAX_LIST_LIMIT } = options;
  if (typeof startAfter !== 'string' || startAfter.length > MAX_KEY_LENGTH || startAfter.includes('\u0000')) {
    throw new InvalidInputError(
      `startAfter must be a string of at most ${MAX_KEY_LENGTH} characters without NUL (pass the previous page's nextStartAfter)`,
    );
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new InvalidInputError(`list limit must be an integer from 1 to ${MAX_LIST_LIMIT}, got ${String(limit)}`);
  }
  return { prefix, startAfter, limit };
}
