import { InvalidInputError } from './errors.ts';
import { describeKey } from './object-key.ts';

/** Checks the numbers of a range request before any I/O: integers, `0 <= start <= endInclusive`. */
export function assertRangeNumbers(key: string, start: number, endInclusive: number): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(endInclusive)) {
    throw new InvalidInputError(
      `byte range ${String(start)}-${String(endInclusive)} of ${describeKey(key)} is invalid: start and end must be integers`,
    );
  }
  if (start < 0 || start > endInclusive) {
    throw new InvalidInputError(
      `byte range ${start}-${endInclusive} of ${describeKey(key)} is invalid: it needs 0 <= start <= end`,
    );
  }
}

/** The error for a range that does not fit inside an object of `size` bytes (when known). */
export function rangeOutsideObject(
  key: string,
  start: number,
  endInclusive: number,
  size?: number,
  cause?: unknown,
): InvalidInputError {
  const which = size === undefined ? '' : `, which has ${size} bytes`;
  return new InvalidInputError(
    `byte range ${start}-${endInclusive} is outside object ${describeKey(key)}${which}`,
    cause === undefined ? {} : { cause },
  );
}
