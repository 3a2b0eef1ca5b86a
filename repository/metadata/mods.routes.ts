import { Router, type Request } from 'express';
import { create } from 'xmlbuilder2';
import { AccessDeniedError } from '../../storage/index.ts';
import { canSeeDescription } from '../access/access-decision.ts';
import { viewerOf } from '../auth/request-auth.ts';
import type { Database } from '../database/database.port.ts';
import { createRepositories } from '../database/repositories.ts';
import { digitalCopyLinks } from './digital-copy-links.ts';
import { appendMods } from './mods.serialiser.ts';

export interface ModsRoutesDependencies {
  database: Database;
  restrictedMetadata: 'hidden' | 'shown';
  baseUrl: (req: Request) => string;
}

/** `GET /api/items/:itemId/mods`: the item's description as a MODS 3.7 document, to whoever may see it. */
export function modsRoutes(deps: ModsRoutesDependencies): Router {
  const router = Router();
  router.get('/api/items/:itemId/mods', async (req, res) => {
    const item = await createRepositories(deps.database.db).items.getById(req.params.itemId);
    if (!canSeeDescription(item.effectiveAccessLevel, viewerOf(req), deps.restrictedMetadata)) {
      throw new AccessDeniedError(`Document ${item.identifier} is not public: sign in to see its description`);
    }
    const document = create({ version: '1.0', encoding: 'UTF-8' });
    appendMods(document, { ...item, links: digitalCopyLinks(deps.baseUrl(req), item) });
    res.type('application/mods+xml; charset=utf-8').send(document.end({ prettyPrint: true }));
  });
  return router;
}
