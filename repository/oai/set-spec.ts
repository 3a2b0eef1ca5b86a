/**
 * The sets: every item is in `library` and `collection` (the two roots of the hierarchy), in
 * `library:<library slug>` and in `collection:<library slug>.<collection slug>`. A collection's
 * slug is unique only within its library, so its set names the library too; slugs are
 * `[a-z0-9-]`, so the dot cannot be part of either.
 */
export type SetSelection =
  | { kind: 'all' }
  | { kind: 'library'; librarySlug: string }
  | { kind: 'collection'; librarySlug: string; collectionSlug: string };

const SLUG = '[a-z0-9]+(?:-[a-z0-9]+)*';
const LIBRARY_SET = new RegExp(`^library:(${SLUG})$`);
const COLLECTION_SET = new RegExp(`^collection:(${SLUG})\\.(${SLUG})$`);

export function librarySetSpec(librarySlug: string): string {
  return `library:${librarySlug}`;
}

export function collectionSetSpec(librarySlug: string, collectionSlug: string): string {
  return `collection:${librarySlug}.${collectionSlug}`;
}

/** Undefined for a setSpec that cannot name one of our sets. */
export function parseSetSpec(spec: string): SetSelection | undefined {
  if (spec === 'library' || spec === 'collection') return { kind: 'all' };
  const library = LIBRARY_SET.exec(spec);
  if (library) return { kind: 'library', librarySlug: library[1]! };
  const collection = COLLECTION_SET.exec(spec);
  if (collection) return { kind: 'collection', librarySlug: collection[1]!, collectionSlug: collection[2]! };
  return undefined;
}
