import { IIIFBuilder } from './iiif-builder.ts';

/** A IIIF language map: BCP 47 tag (or `none`) → values. */
export type LanguageMap = Record<string, string[]>;

/** An entry of a Collection's `items`: a reference (id, type, label, thumbnail). */
export interface CollectionEntry {
  id: string;
  type: 'Manifest' | 'Collection';
  label: LanguageMap;
  thumbnail?: { id: string; type: 'Image'; format: string; width?: number; height?: number };
}

export interface CollectionInput {
  id: string;
  label: LanguageMap;
  summary?: LanguageMap;
  /** The Collection this one is a part of (a page of a split collection names its whole). */
  partOf?: { id: string; label: LanguageMap };
  items: readonly CollectionEntry[];
}

/** The Presentation 3.0 JSON of a Collection. */
export type CollectionJson = Record<string, unknown> & { id: string; type: 'Collection'; items: unknown[] };

type CollectionBuilder = Parameters<Parameters<IIIFBuilder['createCollection']>[1]>[0];
type ManifestBuilder = Parameters<Parameters<CollectionBuilder['createManifest']>[1]>[0];
type Thumbnail = Parameters<ManifestBuilder['addThumbnail']>[0];
type PartOf = Parameters<CollectionBuilder['setPartOf']>[0][number];

/**
 * A IIIF Presentation 3.0 Collection, built with `iiif-builder`: `@context`, `id`, `type`,
 * `label`, optional `summary` and `partOf`, and `items` holding Manifest and Collection
 * references (id, type, label and, for manifests, thumbnail), as §5.1 allows ("Collections
 * … may reference … Manifests and other Collections", embedding only the properties a client
 * needs to render the list). Every string is NFC.
 *
 * @see https://iiif.io/api/presentation/3.0/#51-collection
 * @see https://iiif.io/api/presentation/3.0/#partof
 */
export function buildCollection(input: CollectionInput): CollectionJson {
  const builder = new IIIFBuilder();
  // The serialiser writes a `partOf` reference only for an entity the vault holds.
  if (input.partOf) {
    const parent = input.partOf;
    builder.createCollection(parent.id, (entry) => entry.setLabel(nfc(parent.label)));
  }
  const normalized = builder.createCollection(input.id, (collection) => {
    collection.setLabel(nfc(input.label));
    if (input.summary) collection.setSummary(nfc(input.summary));
    if (input.partOf) collection.setPartOf([{ id: input.partOf.id, type: 'Collection' } as PartOf]);
    for (const entry of input.items) {
      if (entry.type === 'Manifest') {
        collection.createManifest(entry.id, (manifest) => {
          manifest.setLabel(nfc(entry.label));
          if (entry.thumbnail) manifest.addThumbnail(entry.thumbnail as Thumbnail);
        });
      } else {
        collection.createCollection(entry.id, (child) => child.setLabel(nfc(entry.label)));
      }
    }
  });
  return builder.toPresentation3({ id: normalized.id, type: 'Collection' }) as CollectionJson;
}

function nfc(map: LanguageMap): LanguageMap {
  return Object.fromEntries(
    Object.entries(map).map(([key, values]) => [key, values.map((value) => value.normalize('NFC'))]),
  );
}
