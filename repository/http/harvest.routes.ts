import type { Request } from 'express';
import { Router } from 'express';
import { InvalidInputError, isAppError } from '../../storage/index.ts';
import { assertRole } from '../access/access-decision.ts';
import { viewerOf } from '../auth/request-auth.ts';
import type { Database } from '../database/database.port.ts';
import { HarvestSourceRepository } from '../harvest/harvest-source.repository.ts';
import type { Harvester } from '../harvest/harvester.ts';
import { unionSearch } from '../harvest/union-search.ts';
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
 * - `GET /muc-luc-lien-hop?q=`: the same as a page (Vietnamese; `?lang=en`), first 50 works.
 */
export function harvestRoutes(deps: HarvestRoutesDependencies): Router {
  const router = Router();
  const sources = new HarvestSourceRepository(deps.database.db);
  const what = 'manage harvest sources';

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
    res.json(await unionSearch(deps.database.db, { q: single('q', q) ?? '', limit: whole('limit', single('limit', limit)), offset: whole('offset', single('offset', offset)) }, viewerOf(req), deps.baseUrl(req)));
  });

  router.get('/muc-luc-lien-hop', async (req, res) => {
    const context = pageContext(req, res);
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    if (q.trim() === '') return sendPage(res, 200, unionCatalogueView(context, { type: 'form', q }));
    try {
      const response = await unionSearch(deps.database.db, { q, limit: PAGE_WORKS }, viewerOf(req), deps.baseUrl(req));
      sendPage(res, 200, unionCatalogueView(context, { type: 'results', q, response }));
    } catch (error) {
      if (!isAppError(error) || error.code !== 'INVALID_INPUT') throw error;
      sendPage(res, 400, unionCatalogueView(context, { type: 'invalid', q, message: error.message }));
    }
  });

  return router;
}

/** Works shown on the page (no paging yet). */
const PAGE_WORKS = 50;

function single(name: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new InvalidInputError(`Give the union search parameter '${name}' once, as plain text`, { details: { field: name } });
}

function whole(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,6}$/u.test(value)) throw new InvalidInputError(`The union search parameter '${name}' must be a whole number, not '${value}'`, { details: { field: name } });
  return Number(value);
}
