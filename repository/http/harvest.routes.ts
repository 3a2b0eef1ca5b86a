import type { Request } from 'express';
import { Router } from 'express';
import { InvalidInputError, isAppError } from '../../storage/index.ts';
import { assertRole } from '../access/access-decision.ts';
import { viewerOf } from '../auth/request-auth.ts';
import type { Database } from '../database/database.port.ts';
import { HarvestSourceRepository } from '../harvest/harvest-source.repository.ts';
import type { Harvester } from '../harvest/harvester.ts';
import { unionSearch } from '../harvest/union-search.ts';
import { MAX_LIMIT, MAX_OFFSET } from '../search/parse-search-query.ts';
import { harvestSourcePageRoutes } from '../web/harvest-sources.routes.ts';
import { pageContext } from '../web/page-context.ts';
import { sendPage } from '../web/page-response.ts';
import { unionCatalogueView } from '../web/views/union-catalogue.view.ts';

export interface HarvestRoutesDependencies {
  database: Database;
  harvester: Harvester;
  /** The site's base URL as the client reached it (document and manifest links of local items). */
  baseUrl: (req: Request) => string;
}

/**
 * The harvester and the union catalogue:
 * - `GET /api/harvest-sources`, `POST /api/harvest-sources` `{ name, baseUrl, setSpec?, enabled?, intervalMinutes? }`,
 *   `PATCH /api/harvest-sources/:id`, `POST /api/harvest-sources/:id/harvest` (harvests now →
 *   `{ from, harvested, deleted, pages, recordCount }`; a failing source → 503 with the reason,
 *   which is also stored on the source): administrators only;
 * - `GET /api/union-search?q=&limit=&offset=` → `{ total, groups }` (see `unionSearch`): everyone;
 * - `GET /muc-luc-lien-hop?q=&trang=N`: the same as a page (Vietnamese; `?lang=en`), 50 works a page;
 * - the administrator's pages of the sources, `/quan-tri/nguon-thu-thap…` (see `harvestSourcePageRoutes`).
 */
export function harvestRoutes(deps: HarvestRoutesDependencies): Router {
  const router = Router();
  const sources = new HarvestSourceRepository(deps.database.db);
  const what = 'manage harvest sources';
  router.use(harvestSourcePageRoutes(deps));

  router.get('/api/harvest-sources', async (req, res) => {
    assertRole(viewerOf(req), ['admin'], what);
    res.set('Cache-Control', 'no-store').json({ data: await sources.list() });
  });

  router.post('/api/harvest-sources', async (req, res) => {
    assertRole(viewerOf(req), ['admin'], what);
    const source = await sources.create(req.body);
    res.status(201).location(`/api/harvest-sources/${source.id}`).json(source);
  });

  router.patch('/api/harvest-sources/:id', async (req, res) => {
    assertRole(viewerOf(req), ['admin'], what);
    res.json(await sources.update(req.params.id, req.body));
  });

  router.post('/api/harvest-sources/:id/harvest', async (req, res) => {
    assertRole(viewerOf(req), ['admin'], what);
    res.set('Cache-Control', 'no-store').json(await deps.harvester.harvest(req.params.id));
  });

  router.get('/api/union-search', async (req, res) => {
    const { q, limit, offset, ...rest } = req.query as Record<string, unknown>;
    const unknown = Object.keys(rest)[0];
    if (unknown !== undefined) throw new InvalidInputError(`Unknown union search parameter '${unknown}': use q, limit, offset`, { details: { field: unknown } });
    res.json(await unionSearch(deps.database.db, { q: single('q', q) ?? '', limit: whole('limit', single('limit', limit), 1, MAX_LIMIT), offset: whole('offset', single('offset', offset), 0, MAX_OFFSET) }, viewerOf(req), deps.baseUrl(req)));
  });

  router.get('/muc-luc-lien-hop', async (req, res) => {
    const context = pageContext(req, res);
    const viewer = viewerOf(req);
    const manageSources = viewer.kind === 'user' && viewer.user.role === 'admin';
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    if (q.trim() === '') return sendPage(res, 200, unionCatalogueView(context, { type: 'form', q, manageSources }));
    try {
      const page = pageNumber(req.query.trang);
      const response = await unionSearch(deps.database.db, { q, limit: PAGE_WORKS, offset: (page - 1) * PAGE_WORKS }, viewer, deps.baseUrl(req));
      sendPage(res, 200, unionCatalogueView(context, { type: 'results', q, manageSources, response, page, pageSize: PAGE_WORKS }));
    } catch (error) {
      if (!isAppError(error) || error.code !== 'INVALID_INPUT') throw error;
      sendPage(res, 400, unionCatalogueView(context, { type: 'invalid', q, manageSources, message: error.message }));
    }
  });

  return router;
}

/** Works shown on one page of `/muc-luc-lien-hop`. */
const PAGE_WORKS = 50;

/** The deepest page whose offset the search accepts. */
const LAST_PAGE = Math.floor(MAX_OFFSET / PAGE_WORKS) + 1;

/** `?trang=N` of the union page: absent → 1. */
function pageNumber(value: unknown): number {
  return whole('trang', single('trang', value), 1, LAST_PAGE) ?? 1;
}

function single(name: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new InvalidInputError(`Give the union search parameter '${name}' once, as plain text`, { details: { field: name } });
}

function whole(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = /^\d{1,6}$/u.test(value) ? Number(value) : Number.NaN;
  if (!(number >= min && number <= max)) {
    throw new InvalidInputError(`The union search parameter '${name}' must be a whole number from ${min} to ${max}, not '${value}'`, { details: { field: name } });
  }
  return number;
}
