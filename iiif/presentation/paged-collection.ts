import { NotFoundError } from '../../storage/index.ts';
import { buildCollection, type CollectionEntry, type CollectionJson, type LanguageMap } from './build-collection.ts';

/** How many entries one Collection document lists before it is split into parts. */
export const DEFAULT_COLLECTION_PAGE_SIZE = 1000;

export interface PagedCollectionInput {
  id: string;
  label: LanguageMap;
  summary?: LanguageMap;
  entries: readonly CollectionEntry[];
  pageSize: number;
  /** From `?page=N`; `undefined` for the Collection itself. */
  page: number | undefined;
}

/**
 * A Collection, split into parts when it has more than `pageSize` entries.
 *
 * Presentation 3.0 has no paging for Collections (2.1's `first`/`next`/`total` paging was
 * not carried into 3.0; §5.1 lets a Collection list other Collections instead, and §3.4
 * `partOf` links a resource to the Collection that contains it). So a large Collection
 * `{id}` lists its parts as sub-Collections `{id}?page=1` … `{id}?page=N`; each part lists up
 * to `pageSize` Manifests and names its whole in `partOf`. Every document is a plain,
 * schema-valid Collection; a viewer walks it like any hierarchy. A Collection that fits in
 * one document lists its Manifests directly, and `?page=1` is still its one part.
 * A page beyond the last is a `NotFoundError`.
 *
 * @see https://iiif.io/api/presentation/3.0/#51-collection
 * @see https://iiif.io/api/presentation/3.0/#partof
 */
export function pagedCollection(input: PagedCollectionInput): CollectionJson {
  const { id, label, summary, entries, pageSize, page } = input;
  const pageCount = Math.max(1, Math.ceil(entries.length / pageSize));
  const partId = (n: number) => `${id}?page=${n}`;
  if (page === undefined) {
    if (entries.length <= pageSize) return buildCollection({ id, label, summary, items: entries });
    const parts: CollectionEntry[] = [];
    for (let n = 1; n <= pageCount; n += 1) {
      parts.push({ id: partId(n), type: 'Collection', label: partLabel(label, n, pageCount) });
    }
    return buildCollection({ id, label, summary, items: parts });
  }
  if (page > pageCount) {
    throw new NotFoundError(`This collection has ${pageCount} part(s); there is no page ${page}.`);
  }
  return buildCollection({
    id: partId(page),
    label: partLabel(label, page, pageCount),
    partOf: { id, label },
    items: entries.slice((page - 1) * pageSize, page * pageSize),
  });
}

function partLabel(label: LanguageMap, n: number, count: number): LanguageMap {
  const title = label.vi?.[0] ?? Object.values(label)[0]?.[0] ?? '';
  return { vi: [`${title} — phần ${n}/${count}`], en: [`${title} — part ${n} of ${count}`] };
}
