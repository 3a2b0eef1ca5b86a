import type { NewLibrary } from '../database/library.repository.ts';
import { LIBRARY_KINDS, type Library } from '../database/domain.types.ts';
import { isOneOf, type Conversion, type FormMessages } from './record-form.ts';

/** The fields of the library form in the order it shows them, named as the repository's input. */
export const LIBRARY_FIELDS = ['name', 'slug', 'province', 'kind'] as const;
export type LibraryField = (typeof LIBRARY_FIELDS)[number];

export const LIBRARY_MESSAGES: FormMessages<LibraryField> = {
  fields: {
    slug: 'records.error.slug',
    name: 'records.error.name',
    province: 'records.error.province',
    kind: 'records.error.kind',
  },
  conflicts: { slug: 'records.error.librarySlugTaken' },
};

/** A stored library as the form shows it. */
export function libraryFormValues(library?: Library): Record<LibraryField, string> {
  return { slug: library?.slug ?? '', name: library?.name ?? '', province: library?.province ?? '', kind: library?.kind ?? '' };
}

/**
 * The form's text as a new library (also a complete patch: the patch schema is the same
 * fields made optional, slug included, so the slug stays editable).
 */
export function libraryInput(values: Record<LibraryField, string>): Conversion<NewLibrary, LibraryField> {
  if (!isOneOf(LIBRARY_KINDS, values.kind)) return { type: 'invalid', errors: { kind: LIBRARY_MESSAGES.fields.kind } };
  return { type: 'valid', input: { slug: values.slug, name: values.name, province: values.province, kind: values.kind } };
}
