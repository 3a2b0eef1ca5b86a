import { Router } from 'express';
import { InvalidInputError } from '../../storage/index.ts';
import { viewerOf } from '../auth/request-auth.ts';
import type { Database } from '../database/database.port.ts';
import type { CollectionCategory } from '../database/domain.types.ts';
import { searchCatalogue } from '../search/search-catalogue.ts';
import type { SearchQuery } from '../search/parse-search-query.ts';

export interface SiteSearchRoutesDependencies {
  database: Database;
}

const PARAMETERS = ['q', 'library', 'collection', 'category', 'script', 'from', 'to', 'limit', 'offset'] as const;
type Parameter = (typeof PARAMETERS)[number];

/** One string value per parameter; repeated or unknown parameters are a 400, never ignored. */
function readParameters(query: Record<string, unknown>): Partial<Record<Parameter, string>> {
  const values: Partial<Record<Parameter, string>> = {};
  for (const [name, value] of Object.entries(query)) {
    if (!(PARAMETERS as readonly string[]).includes(name)) {
      throw new InvalidInputError(`Unknown search parameter '${name}': use ${PARAMETERS.join(', ')}`, { details: { field: name } });
    }
    if (typeof value !== 'string') {
      throw new InvalidInputError(`Give the search parameter '${name}' once, as plain text`, { details: { field: name } });
    }
    values[name as Parameter] = value;
  }
  return values;
}

/** A whole number written in decimal digits (optionally negative for years); anything else is a 400. */
function integer(name: string, value: string | undefined, signed = false): number | undefined {
  if (value === undefined) return undefined;
  if (!(signed ? /^-?\d{1,9}$/u : /^\d{1,9}$/u).test(value)) {
    throw new InvalidInputError(`The search parameter '${name}' must be a whole number, not '${value}'`, { details: { field: name } });
  }
  return Number(value);
}

/**
 * `GET /api/search?q=&library=&collection=&category=&script=&from=&to=&limit=&offset=`: site
 * search (see `searchCatalogue`) as JSON `{ total, results, facets }`. `from`/`to` are
 * inclusive years. Bad input is a 400 (InvalidInputError); the viewer is anonymous until
 * accounts exist, so only public items and their snippets are returned.
 */
export function siteSearchRoutes(deps: SiteSearchRoutesDependencies): Router {
  const router = Router();
  router.get('/api/search', async (req, res) => {
    const parameters = readParameters(req.query as Record<string, unknown>);
    const query: SearchQuery = {
      q: parameters.q ?? '',
      libraryId: parameters.library,
      collectionId: parameters.collection,
      category: parameters.category as CollectionCategory | undefined,
      script: parameters.script,
      yearFrom: integer('from', parameters.from, true),
      yearTo: integer('to', parameters.to, true),
      limit: integer('limit', parameters.limit),
      offset: integer('offset', parameters.offset),
    };
    res.json(await searchCatalogue(deps.database.db, query, viewerOf(req)));
  });
  return router;
}
