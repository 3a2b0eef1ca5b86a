import { Router, type Request } from 'express';
import type { Database } from '../database/database.port.ts';
import { answerOaiRequest, type OaiSettings } from './oai-provider.ts';
import { OaiRecordRepository } from './oai-record.repository.ts';

export interface OaiRoutesDependencies {
  database: Database;
  settings: OaiSettings;
  /** The site's base URL as the request reached it (PUBLIC_BASE_URL behind a trusted proxy's headers). */
  baseUrl: (req: Request) => string;
  clock: () => Date;
}

/**
 * The OAI-PMH 2.0 provider at `/oai`: GET with the arguments in the query string, or POST
 * with them as an `application/x-www-form-urlencoded` body (§3.1.1). Every answer, errors of
 * the protocol included, is HTTP 200 `text/xml`.
 */
export function oaiRoutes(deps: OaiRoutesDependencies): Router {
  const router = Router();
  const records = new OaiRecordRepository(deps.database.db);
  const answer = async (req: Request, parameters: unknown) => {
    const exchange = { parameters: argumentLists(parameters), baseUrl: deps.baseUrl(req), now: deps.clock() };
    return answerOaiRequest(exchange, records, deps.settings);
  };
  router.get('/oai', async (req, res) => {
    res.type('text/xml; charset=utf-8').send(await answer(req, req.query));
  });
  router.post('/oai', async (req, res) => {
    // Another body type leaves no arguments, which the protocol answers with badVerb.
    res.type('text/xml; charset=utf-8').send(await answer(req, req.is('application/x-www-form-urlencoded') ? req.body : {}));
  });
  return router;
}

/** `{ name: value | value[] }` as express parses them → every name with all its values. */
function argumentLists(parsed: unknown): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  if (typeof parsed !== 'object' || parsed === null) return lists;
  for (const [name, value] of Object.entries(parsed)) {
    lists[name] = (Array.isArray(value) ? value : [value]).map((entry) => String(entry).normalize('NFC'));
  }
  return lists;
}
