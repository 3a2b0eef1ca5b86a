import { InvalidInputError } from '../../storage/index.ts';

/**
 * The `page` query parameter of a split Collection: absent → `undefined` (the whole
 * Collection), else a positive decimal integer without sign or leading zeros. Anything else
 * (repeated, empty, `0`, `1.5`, `01`) is an `InvalidInputError` (400), never a guess.
 */
export function parsePageParameter(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,8}$/.test(value)) {
    throw new InvalidInputError(`The page parameter must be a positive whole number such as page=2, got ${JSON.stringify(value)}.`, {
      details: { field: 'page' },
    });
  }
  return Number(value);
}
