import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import express, { Router, type Request, type RequestHandler } from 'express';
import { isAppError } from '../../storage/index.ts';
import { canSeeContent } from '../access/access-decision.ts';
import { viewerOf } from '../auth/request-auth.ts';
import type { Database } from '../database/database.port.ts';
import { ACCESS_LEVELS, type Collection, type Library } from '../database/domain.types.ts';
import { createRepositories } from '../database/repositories.ts';
import { CatalogueRepository } from './catalogue.repository.ts';
import { pageContext } from './page-context.ts';
import { requirePageRole } from './require-page-role.ts';
import { listAll } from '../database/list-all.ts';
import { orNotFound, sendPage } from './page-response.ts';
import { accessNoticeView } from './views/access-notice.view.ts';
import { collectionView } from './views/collection.view.ts';
import { documentView } from './views/document.view.ts';
import { homeView } from './views/home.view.ts';
import { ASSETS } from './views/layout.view.ts';
import { notFoundView } from './views/not-found.view.ts';
import { loadAdminPage } from './admin-page.ts';
import { runSearchPage } from './search-page.ts';
import { adminReportView, adminView } from './views/admin.view.ts';
import { searchView } from './views/search.view.ts';
import { invalidRequestView } from './views/invalid-request.view.ts';
import { operatorItemView, registerView } from './views/operator.view.ts';
import { dublinCoreRoutes, SAVED_DESCRIPTION } from './dublin-core.routes.ts';

export interface WebRoutesDependencies {
  database: Database;
  /** `PUBLIC_BASE_URL`: the manifest links shown to readers are built from it. */
  publicBaseUrl: string;
  /** "Now" for the administration pages' report day (default: the system clock). */
  clock?: () => Date;
}

/** Documents per page of a collection's grid. */
export const BROWSE_PAGE_SIZE = 24;

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));
/** The browser build of the tus client the upload page uses, served from the npm package (no CDN). */
const TUS_CLIENT_BUNDLE = createRequire(import.meta.url).resolve('tus-js-client/dist/tus.min.js');

/**
 * The researcher's web pages (server-rendered, Vietnamese first, `?lang=en` to switch):
 * - `GET /`: libraries and collections with their counts;
 * - `GET /bo-suu-tap/:collectionId?trang=N`: the collection's digitised documents the viewer may see;
 * - `GET /tai-lieu/:itemId`: a document (viewer, search inside, PDF, IIIF manifest), or a notice
 *   without content links when the viewer may not see it;
 * - `GET /web/assets/*`: the stylesheet and scripts of these pages.
 * Unknown ids answer a 404 page in the request's language.
 */
export function webRoutes(deps: WebRoutesDependencies): Router {
  const router = Router();
  const repositories = () => createRepositories(deps.database.db);
  const catalogue = () => new CatalogueRepository(deps.database.db);
  const visibleLevels = (req: Request) => ACCESS_LEVELS.filter((level) => canSeeContent(level, viewerOf(req)));

  router.use(ASSETS, express.static(STATIC_DIR, { maxAge: '1h', index: false }));
  router.get(`${ASSETS}/vendor/tus.min.js`, (_req, res) => res.sendFile(TUS_CLIENT_BUNDLE, { maxAge: '1d' }));

  router.get('/', async (req, res) => {
    const context = pageContext(req, res);
    const { libraries, collections } = repositories();
    const [allLibraries, allCollections, counts] = await Promise.all([
      listAll<Library>((limit, offset) => libraries.list({ limit, offset })),
      listAll<Collection>((limit, offset) => collections.list({ limit, offset })),
      catalogue().countsByCollection(),
    ]);
    const view = allLibraries.map((library) => ({
      library,
      collections: allCollections
        .filter((collection) => collection.libraryId === library.id)
        .map((collection) => ({ collection, counts: counts.get(collection.id) ?? { registered: 0, digitised: 0 } })),
    }));
    sendPage(res, 200, homeView(context, view));
  });

  router.get('/bo-suu-tap/:collectionId', async (req, res) => {
    const context = pageContext(req, res);
    const page = parsePage(req.query.trang);
    const found = await orNotFound(async () => {
      const collection = await repositories().collections.getById(req.params.collectionId);
      const library = await repositories().libraries.getById(collection.libraryId);
      return { collection, library };
    });
    if (page === undefined || found === undefined) return sendPage(res, 404, notFoundView(context));
    const { rows, total } = await catalogue().digitisedItems(
      found.collection.id,
      visibleLevels(req),
      BROWSE_PAGE_SIZE,
      (page - 1) * BROWSE_PAGE_SIZE,
    );
    const pageCount = Math.max(1, Math.ceil(total / BROWSE_PAGE_SIZE));
    if (page > pageCount) return sendPage(res, 404, notFoundView(context));
    sendPage(res, 200, collectionView(context, { ...found, entries: rows, total, page, pageCount }));
  });

  router.get('/tai-lieu/:itemId', async (req, res) => {
    const context = pageContext(req, res);
    const item = await orNotFound(() => repositories().items.getById(req.params.itemId));
    if (item === undefined) return sendPage(res, 404, notFoundView(context));
    const level = item.effectiveAccessLevel;
    if (level !== 'public' && !canSeeContent(level, viewerOf(req))) return sendPage(res, 403, accessNoticeView(context, level));
    const collection = await repositories().collections.getById(item.collectionId);
    const library = await repositories().libraries.getById(collection.libraryId);
    const manifestUrl = `${deps.publicBaseUrl}/iiif/manifest/${encodeURIComponent(item.id)}`;
    sendPage(res, 200, documentView(context, { library, collection, item, manifestUrl }));
  });

  router.get('/tim-kiem', async (req, res) => {
    const context = pageContext(req, res);
    const outcome = await runSearchPage(deps.database.db, req);
    sendPage(res, outcome.type === 'invalid' ? 400 : 200, searchView(context, outcome));
  });

  // Administration and operators' pages (design §1): library staff only.
  const clock = deps.clock ?? (() => new Date());
  const staffOnly = requirePageRole(['admin', 'operator']);
  for (const [path, charts] of [['/quan-tri', true], ['/quan-tri/bao-cao', false]] as const) {
    router.get(path, staffOnly, async (req, res) => {
      const context = pageContext(req, res);
      let data;
      try {
        data = await loadAdminPage(deps.database.db, req, clock, charts);
      } catch (error) {
        if (isAppError(error) && error.code === 'INVALID_INPUT') return sendPage(res, 400, invalidRequestView(context, error.message));
        throw error;
      }
      sendPage(res, 200, charts ? adminView(context, data) : adminReportView(context, data));
    });
  }

  const collectionChoices = async () => {
    const { libraries, collections } = repositories();
    const [allLibraries, allCollections] = await Promise.all([
      listAll<Library>((limit, offset) => libraries.list({ limit, offset })),
      listAll<Collection>((limit, offset) => collections.list({ limit, offset })),
    ]);
    return allLibraries.map((library) => ({ library, collections: allCollections.filter((collection) => collection.libraryId === library.id) }));
  };

  router.get('/bien-muc/tai-lieu-moi', staffOnly, async (req, res) => {
    sendPage(res, 200, registerView(pageContext(req, res), await collectionChoices()));
  });

  /** `?bo-suu-tap=&ky-hieu=`: to the document's operator page, or the form again saying none was found. */
  router.get('/bien-muc/tim', staffOnly, async (req, res) => {
    const context = pageContext(req, res);
    const collectionId = typeof req.query['bo-suu-tap'] === 'string' ? req.query['bo-suu-tap'] : '';
    const identifier = typeof req.query['ky-hieu'] === 'string' ? req.query['ky-hieu'].trim() : '';
    const item = identifier === '' ? undefined : await orNotFound(() => repositories().items.getByIdentifier(collectionId, identifier));
    if (item !== undefined) return res.redirect(303, `/bien-muc/tai-lieu/${encodeURIComponent(item.id)}`);
    sendPage(res, 404, registerView(context, await collectionChoices(), { collectionId, identifier }));
  });

  router.get('/bien-muc/tai-lieu/:itemId', staffOnly, async (req, res) => {
    const context = pageContext(req, res);
    const found = await orNotFound(async () => {
      const item = await repositories().items.getById(req.params.itemId as string);
      const collection = await repositories().collections.getById(item.collectionId);
      const library = await repositories().libraries.getById(collection.libraryId);
      const pages = await repositories().pages.listByItem(item.id);
      return { item, collection, library, pages };
    });
    if (found === undefined) return sendPage(res, 404, notFoundView(context));
    sendPage(res, 200, operatorItemView(context, { ...found, descriptionSaved: req.query.luu === SAVED_DESCRIPTION }));
  });

  router.use(dublinCoreRoutes(deps));

  return router;
}

/**
 * The 404 page for a browser that asked for a page nobody serves (mount it last, before the
 * API's JSON 404): readers who mistype an address get a page in their language, API clients
 * and IIIF viewers keep the JSON answer.
 */
export const pageNotFound: RequestHandler = (req, res, next) => {
  const api = /^\/(api|iiif)(\/|$)/.test(req.path);
  if (api || !['GET', 'HEAD'].includes(req.method) || req.accepts(['json', 'html']) !== 'html') return next();
  sendPage(res, 404, notFoundView(pageContext(req, res)));
};

/** `?trang=N`: absent → 1; a positive integer → N; anything else → undefined (a 404 page). */
function parsePage(value: Request['query'][string]): number | undefined {
  if (value === undefined) return 1;
  if (typeof value !== 'string' || !/^[1-9]\d{0,5}$/.test(value)) return undefined;
  return Number(value);
}
