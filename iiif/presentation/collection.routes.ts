import { Router, type Request } from 'express';
import {
  canSeeDescription,
  listAll,
  viewerOf,
  createRepositories,
  type Collection,
  type Database,
  type Item,
  type Library,
} from '../../repository/index.ts';
import type { CollectionEntry } from './build-collection.ts';
import { itemLabel } from './item-label.ts';
import { DEFAULT_COLLECTION_PAGE_SIZE, pagedCollection } from './paged-collection.ts';
import { parsePageParameter } from './parse-page-parameter.ts';
import { requestBaseUrl } from './request-base-url.ts';
import { sendIiifJson } from './send-iiif-json.ts';

export interface CollectionRoutesDependencies {
  database: Database;
  /** `PUBLIC_BASE_URL` (config.publicBaseUrl); X-Forwarded-Proto/Host override it per request. */
  publicBaseUrl: string;
  /** Entries per Collection document before it is split into parts; default 1000. */
  pageSize?: number;
  /** RESTRICTED_METADATA: whether restricted items are listed for everyone (their manifests are then open too); default `hidden`. */
  restrictedMetadata?: 'hidden' | 'shown';
}

/**
 * Presentation 3.0 Collections of the repository:
 * - `GET /iiif/collection/top`: one sub-Collection per library;
 * - `GET /iiif/collection/library/:libraryId`: one sub-Collection per collection of the library;
 * - `GET /iiif/collection/:collectionId`: the Manifests of its `digitised` items that the
 *   viewer may see described (`canSeeDescription`: the content, or a restricted item's
 *   record when the library shows those; others are left out).
 * Each accepts `?page=N` (see `pagedCollection` for how large Collections are split).
 * Unknown ids are 404, a bad `page` 400. CORS open; JSON-LD when asked for.
 *
 * @see https://iiif.io/api/presentation/3.0/#51-collection
 */
export function collectionRoutes(deps: CollectionRoutesDependencies): Router {
  const pageSize = deps.pageSize ?? DEFAULT_COLLECTION_PAGE_SIZE;
  const router = Router();
  const repositories = () => createRepositories(deps.database.db);
  const base = (req: Request) => requestBaseUrl(req, deps.publicBaseUrl);

  router.get('/iiif/collection/top', async (req, res) => {
    const page = parsePageParameter(req.query.page);
    const root = base(req);
    const libraries = await listAll<Library>((limit, offset) => repositories().libraries.list({ limit, offset }));
    const entries: CollectionEntry[] = libraries.map((library) => ({
      id: `${root}/iiif/collection/library/${encodeURIComponent(library.id)}`,
      type: 'Collection',
      label: { vi: [library.name] },
    }));
    const body = pagedCollection({
      id: `${root}/iiif/collection/top`,
      label: { vi: ['Thư viện số: các thư viện'], en: ['Digital library: libraries'] },
      summary: { vi: ['Tài liệu số hoá của các thư viện Việt Nam'], en: ['Digitised documents of Vietnamese libraries'] },
      entries,
      pageSize,
      page,
    });
    sendIiifJson(req, res, body);
  });

  router.get('/iiif/collection/library/:libraryId', async (req, res) => {
    const page = parsePageParameter(req.query.page);
    const root = base(req);
    const library = await repositories().libraries.getById(req.params.libraryId);
    const collections = await listAll<Collection>((limit, offset) =>
      repositories().collections.list({ libraryId: library.id, limit, offset }),
    );
    const entries: CollectionEntry[] = collections.map((collection) => ({
      id: `${root}/iiif/collection/${encodeURIComponent(collection.id)}`,
      type: 'Collection',
      label: { vi: [collection.title] },
    }));
    const body = pagedCollection({
      id: `${root}/iiif/collection/library/${encodeURIComponent(library.id)}`,
      label: { vi: [library.name] },
      summary: { vi: [`Các bộ sưu tập của ${library.name}`], en: [`Collections of ${library.name}`] },
      entries,
      pageSize,
      page,
    });
    sendIiifJson(req, res, body);
  });

  router.get('/iiif/collection/:collectionId', async (req, res) => {
    const page = parsePageParameter(req.query.page);
    const root = base(req);
    const collection = await repositories().collections.getById(req.params.collectionId);
    const items = await listAll<Item>((limit, offset) =>
      repositories().items.list({ collectionId: collection.id, status: 'digitised', limit, offset }),
    );
    const entries: CollectionEntry[] = items
      .filter((item) => canSeeDescription(item.effectiveAccessLevel, viewerOf(req), deps.restrictedMetadata ?? 'hidden'))
      .map((item) => ({ id: `${root}/iiif/manifest/${encodeURIComponent(item.id)}`, type: 'Manifest', label: itemLabel(item) }));
    const description = collection.description.trim();
    const body = pagedCollection({
      id: `${root}/iiif/collection/${encodeURIComponent(collection.id)}`,
      label: { vi: [collection.title] },
      ...(description !== '' ? { summary: { vi: [description] } } : {}),
      entries,
      pageSize,
      page,
    });
    sendIiifJson(req, res, body);
  });

  return router;
}
