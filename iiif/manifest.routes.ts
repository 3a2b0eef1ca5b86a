import { Router } from 'express';
import { ANONYMOUS, assertCanSeeContent, createRepositories, sendObject, type Database } from '../repository/index.ts';
import { packageKey, type ObjectStore } from '../storage/index.ts';

/** Presentation 3.0 media type (Presentation API 3.0 §6.1, "Responses"). */
export const PRESENTATION_MEDIA_TYPE = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"';

/**
 * `GET /iiif/manifest/:itemId`: the manifest the pipeline stored when it packaged the item.
 * JSON-LD with the Presentation 3 profile when the client asks for it, JSON otherwise; CORS
 * open, as every IIIF response must be usable from any viewer.
 */
export function manifestRoutes(database: Database, store: ObjectStore): Router {
  const router = Router();
  router.get('/iiif/manifest/:itemId', async (req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    const item = await createRepositories(database.db).items.getById(req.params.itemId as string);
    assertCanSeeContent(item, ANONYMOUS);
    res.vary('Accept');
    const contentType = req.accepts(['application/json', 'application/ld+json']) === 'application/ld+json'
      ? PRESENTATION_MEDIA_TYPE
      : 'application/json';
    await sendObject(res, store, packageKey(item.id, 'manifest.json'), { contentType });
  });
  return router;
}
