import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { InvalidInputError } from '../../storage/index.ts';
import { DUBLIN_CORE_ELEMENTS, type DublinCoreElement } from './domain.types.ts';

/**
 * Input schemas shared by the repositories. Every piece of human text is trimmed and put in
 * Unicode NFC on the way in (some cataloguing systems send Vietnamese in NFD: "Thư" as
 * T h u + U+031B + U+0300), so equal-looking strings are equal bytes in the database.
 */

/** Non-empty human text, trimmed, NFC, at most `max` UTF-16 code units. */
export const text = (max: number) => z.string().trim().normalize('NFC').min(1, 'must not be empty').max(max);

/** Like `text` but may be empty. */
export const optionalText = (max: number) => z.string().trim().normalize('NFC').max(max);

export const slug = z
  .string()
  .trim()
  .max(100)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "use lower-case ASCII letters, digits and single hyphens, e.g. 'dia-chi-ha-noi'");

export const recordId = z.string().min(1, 'must not be empty').max(100);

/** BCP 47 language tag, e.g. `vi`, `lzh`, `vi-Hani`. */
export const languageTag = z
  .string()
  .trim()
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, "use a BCP 47 language tag such as 'vi' or 'lzh'");

/** ISO 15924 script code, e.g. `Latn`, `Hani`. */
export const scriptCode = z.string().trim().regex(/^[A-Z][a-z]{3}$/, "use an ISO 15924 script code such as 'Latn' or 'Hani'");

/** Lower-case hex SHA-256 (upper case accepted and lowered). */
export const sha256Hex = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 digest: 64 hexadecimal digits');

/** An object-store key, kept exactly as given (keys are machine-made; see design §5). */
export const objectKey = z
  .string()
  .min(1, 'must not be empty')
  .max(1024)
  .refine((key) => !key.startsWith('/') && !key.split('/').includes('..'), 'must be a relative key without ".." segments');

export const contentType = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;\s*[a-z0-9!#$&^_.+-]+=("[^"]*"|[a-z0-9!#$&^_.+-]+))*$/,
    "must be a media type such as 'image/tiff' or 'text/plain; charset=utf-8'",
  );

export const INT32_MAX = 2_147_483_647;
export const positiveInt32 = z.int().min(1).max(INT32_MAX);
export const nonNegativeInt32 = z.int().min(0).max(INT32_MAX);
/** Byte sizes: stored as bigint, exact up to 2^53 − 1 in JavaScript. */
export const byteSize = z.int().min(0);

export const dcValue = z.strictObject({
  value: text(4000),
  lang: languageTag.optional(),
});

const dublinCoreShape = Object.fromEntries(
  DUBLIN_CORE_ELEMENTS.map((element) => [element, z.array(dcValue).max(200).optional()]),
) as Record<DublinCoreElement, z.ZodOptional<z.ZodArray<typeof dcValue>>>;

/** Dublin Core as callers give it: any of the fifteen elements, each a list of values. */
export const dublinCoreInput = z.strictObject(dublinCoreShape);

export const pageRequest = {
  limit: z.int().min(1).max(1000).default(50),
  offset: z.int().min(0).default(0),
};

/** Validates `input` against `schema`; throws `InvalidInputError` listing every problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  throw new InvalidInputError(`Invalid ${what}: ${problems.join('; ')}`, {
    details: { issues: result.error.issues.map(({ path, message, code }) => ({ path: path.map(String), message, code })) },
  });
}

/** The id of a new record. */
export function newId(): string {
  return randomUUID();
}

/** Drops the keys whose value is `undefined` (what a partial update leaves out). */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
