import type { NewCollection } from '../database/collection.repository.ts';
import { ACCESS_LEVELS, COLLECTION_CATEGORIES, OCR_PROFILES, type Collection } from '../database/domain.types.ts';
import type { Language } from './i18n/translator.ts';
import { isOneOf, type Conversion, type FieldErrors, type FormMessages } from './record-form.ts';

/**
 * The fields of the collection form in the order it shows them (the error summary follows
 * it), named as the repository's input. `minDpi` is not on the form: it belongs to the scan
 * stations' profile (design §4), and an edit leaves it unchanged.
 */
export const COLLECTION_FIELDS = [
  'libraryId',
  'title',
  'slug',
  'category',
  'holdingsCount',
  'targetPercent',
  'targetDate',
  'ocrProfile',
  'defaultAccess',
  'description',
] as const;
export type CollectionField = (typeof COLLECTION_FIELDS)[number];

/** The fields of a collection itself, without the library it belongs to (which an edit cannot change). */
export type CollectionInput = Omit<NewCollection, 'libraryId'>;

export const COLLECTION_MESSAGES: FormMessages<CollectionField> = {
  fields: {
    libraryId: 'records.error.library',
    slug: 'records.error.slug',
    title: 'records.error.title',
    description: 'records.error.description',
    category: 'records.error.category',
    holdingsCount: 'records.error.holdings',
    targetPercent: 'records.error.target',
    targetDate: 'records.error.deadline',
    defaultAccess: 'records.error.access',
    ocrProfile: 'records.error.ocr',
  },
  conflicts: { slug: 'records.error.collectionSlugTaken' },
};

/** A new collection's form: public, Quốc ngữ OCR, in the library asked for. */
export function newCollectionValues(libraryId: string): Record<CollectionField, string> {
  return {
    libraryId,
    slug: '',
    title: '',
    description: '',
    category: '',
    holdingsCount: '',
    targetPercent: '',
    targetDate: '',
    defaultAccess: 'public',
    ocrProfile: 'vie',
  };
}

/** A stored collection as the form shows it (the target with the page language's decimal mark). */
export function collectionFormValues(collection: Collection, language: Language): Record<CollectionField, string> {
  const percent = String(collection.targetPercent);
  return {
    libraryId: collection.libraryId,
    slug: collection.slug,
    title: collection.title,
    description: collection.description,
    category: collection.category,
    holdingsCount: String(collection.holdingsCount),
    targetPercent: language === 'vi' ? percent.replace('.', ',') : percent,
    targetDate: collection.targetDate ?? '',
    defaultAccess: collection.defaultAccess,
    ocrProfile: collection.ocrProfile,
  };
}

/** Digits only ("12500"); anything else ("12,5", "12.000", "1e3", "-1") is refused, never guessed. */
export function parseCount(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d{1,10}$/.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * A percentage with at most two decimals after a point or a comma ("30", "12.5", "12,5").
 * Three digits after the mark ("1.000") read as a thousands separator elsewhere: refused.
 */
export function parsePercent(text: string): number | undefined {
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  return match === null ? undefined : Number(`${match[1]}.${match[2] ?? '0'}`);
}

/**
 * The form's text as a collection's fields. An empty count or target is 0 (nothing held, no
 * target), an empty deadline is none; the range checks are the repository's.
 */
export function collectionInput(values: Record<CollectionField, string>): Conversion<CollectionInput, CollectionField> {
  const parsed = {
    category: choice(COLLECTION_CATEGORIES, values.category),
    holdingsCount: values.holdingsCount.trim() === '' ? 0 : parseCount(values.holdingsCount),
    targetPercent: values.targetPercent.trim() === '' ? 0 : parsePercent(values.targetPercent),
    defaultAccess: choice(ACCESS_LEVELS, values.defaultAccess),
    ocrProfile: choice(OCR_PROFILES, values.ocrProfile),
  };
  const { category, holdingsCount, targetPercent, defaultAccess, ocrProfile } = parsed;
  if (category === undefined || holdingsCount === undefined || targetPercent === undefined || defaultAccess === undefined || ocrProfile === undefined) {
    const refused = (Object.keys(parsed) as (keyof typeof parsed)[]).filter((field) => parsed[field] === undefined);
    const errors: FieldErrors<CollectionField> = Object.fromEntries(refused.map((field) => [field, COLLECTION_MESSAGES.fields[field]]));
    return { type: 'invalid', errors };
  }
  const targetDate = values.targetDate.trim();
  return {
    type: 'valid',
    input: {
      slug: values.slug,
      title: values.title,
      description: values.description,
      category,
      holdingsCount,
      targetPercent,
      targetDate: targetDate === '' ? null : targetDate,
      defaultAccess,
      ocrProfile,
    },
  };
}

/** The form's choice typed back as one of a domain list's values, or undefined. */
function choice<T extends string>(list: readonly T[], value: string): T | undefined {
  return isOneOf(list, value) ? value : undefined;
}
