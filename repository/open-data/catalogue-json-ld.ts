import type { CatalogueEntry } from './catalogue-entry.ts';

/** What a IIIF Presentation 3.0 manifest is served as (Presentation API 3.0 §6.1). */
export const IIIF_MANIFEST_MEDIA_TYPE = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"';

/**
 * The catalogue's JSON-LD context, inline so that a processor needs no network: schema.org
 * terms by `@vocab`, and the properties whose values are links typed `@id` (schema.org's own
 * context does the same), so they expand to IRIs rather than strings.
 *
 * @see https://www.w3.org/TR/json-ld11/#default-vocabulary
 */
export const CATALOGUE_JSON_LD_CONTEXT = {
  '@vocab': 'https://schema.org/',
  url: { '@type': '@id' },
  license: { '@type': '@id' },
  contentUrl: { '@type': '@id' },
} as const;

/** `dc:type` values that say the document is not a book (maps, images, sound…): those are `CreativeWork`. */
const NOT_A_BOOK = /\b(image|map|sound|moving|physical ?object|software|dataset)\b|bản đồ|hình ảnh|ảnh|âm thanh/iu;

/**
 * One document as a schema.org node: `Book` (or `CreativeWork` when its Dublin Core type says
 * it is not text), part of its collection, provided by its library, with the IIIF manifest as
 * associated media once digitised. `license` is the licence of this description (the metadata),
 * not of the digitised content.
 *
 * @see https://schema.org/Book
 */
export function catalogueJsonLdNode(entry: CatalogueEntry, license: string): Record<string, unknown> {
  const date = entry.dates[0];
  return {
    '@id': entry.documentUrl,
    '@type': entry.types.some((type) => NOT_A_BOOK.test(type)) ? 'CreativeWork' : 'Book',
    identifier: entry.identifier,
    name: entry.title,
    ...(entry.creators.length > 0 ? { author: entry.creators.map((name) => ({ '@type': 'Person', name })) } : {}),
    ...(date !== undefined ? { datePublished: date } : {}),
    inLanguage: entry.languages,
    ...(entry.subjects.length > 0 ? { about: entry.subjects.map((name) => ({ '@type': 'Thing', name })) } : {}),
    isPartOf: { '@id': entry.collection.url, '@type': 'Collection', name: entry.collection.title },
    provider: { '@type': 'Library', name: entry.library.name, address: entry.library.province },
    url: entry.documentUrl,
    ...(entry.pageCount > 0 ? { numberOfPages: entry.pageCount } : {}),
    creativeWorkStatus: entry.status,
    conditionsOfAccess: entry.accessLevel,
    ...(entry.manifestUrl !== null
      ? {
          associatedMedia: {
            '@type': 'MediaObject',
            name: 'IIIF Presentation 3.0 manifest',
            contentUrl: entry.manifestUrl,
            encodingFormat: IIIF_MANIFEST_MEDIA_TYPE,
            ...(entry.digitisedAt !== null ? { uploadDate: entry.digitisedAt } : {}),
          },
        }
      : {}),
    license,
  };
}
