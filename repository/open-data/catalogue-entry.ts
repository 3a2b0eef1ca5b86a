import type { DcValue, ItemStatus, AccessLevel } from '../database/domain.types.ts';
import type { CatalogueRecord } from './open-data.repository.ts';

/** One document as both catalogue exports (CSV, JSON-LD) write it: Dublin Core flattened to strings, links absolute. */
export interface CatalogueEntry {
  id: string;
  identifier: string;
  title: string;
  creators: string[];
  dates: string[];
  /** Dublin Core languages, or the item's language tag when it has none. */
  languages: string[];
  subjects: string[];
  types: string[];
  library: { name: string; province: string };
  collection: { title: string; url: string };
  status: ItemStatus;
  /** ISO 8601, or null while not digitised. */
  digitisedAt: string | null;
  pageCount: number;
  accessLevel: AccessLevel;
  /** The document's public page (`/tai-lieu/:id`). */
  documentUrl: string;
  /** The IIIF Presentation 3.0 manifest; null until the document is digitised (the pipeline writes it last). */
  manifestUrl: string | null;
}

/** `baseUrl`: scheme and host without a trailing slash, as the request reached us. */
export function catalogueEntry(record: CatalogueRecord, baseUrl: string): CatalogueEntry {
  const values = (element: keyof CatalogueRecord['dublinCore']) => (record.dublinCore[element] ?? []).map((entry: DcValue) => entry.value);
  const languages = values('language');
  const id = encodeURIComponent(record.id);
  return {
    id: record.id,
    identifier: record.identifier,
    title: record.title,
    creators: values('creator'),
    dates: values('date'),
    languages: languages.length > 0 ? languages : [record.language],
    subjects: values('subject'),
    types: values('type'),
    library: { name: record.library.name, province: record.library.province },
    collection: { title: record.collection.title, url: `${baseUrl}/bo-suu-tap/${encodeURIComponent(record.collection.id)}` },
    status: record.status,
    digitisedAt: record.digitisedAt?.toISOString() ?? null,
    pageCount: record.pageCount,
    accessLevel: record.accessLevel,
    documentUrl: `${baseUrl}/tai-lieu/${id}`,
    manifestUrl: record.status === 'digitised' ? `${baseUrl}/iiif/manifest/${id}` : null,
  };
}
