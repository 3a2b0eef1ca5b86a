import { Router } from 'express';
import { canSeeContent, canSeeDescription, createRepositories, seeContent, viewerOf, type Database } from '../../repository/index.ts';
import { probeServiceDescription, withProbeServices } from '../auth/auth-services.ts';
import { packageKey, readJsonObject, UpstreamError, type ObjectStore } from '../../storage/index.ts';
import { rebaseIds } from './rebase-ids.ts';
import { requestBaseUrl } from './request-base-url.ts';
import { allowAnyOrigin, sendIiifJson } from './send-iiif-json.ts';

/**
 * `GET /iiif/manifest/:itemId`: the manifest the pipeline stored when it packaged the item,
 * after the one access decision (401 for an item the viewer may not see, 404 for an unknown
 * item or one not packaged yet). A restricted item's manifest is open to all when
 * `restrictedMetadata` is `shown` (its images, text and PDF stay closed); every manifest of an
 * access-controlled item carries the IIIF Auth 2.0 probe service on its images, so that a
 * viewer can offer sign-in. Its ids were built from `PUBLIC_BASE_URL` at packaging
 * time; they are served under the request's base URL (`requestBaseUrl`), rewritten
 * structurally by `rebaseIds`. Without `publicBaseUrl` the stored base is kept unless
 * X-Forwarded-Proto/Host name another. CORS open; JSON-LD with the Presentation 3 profile
 * when the client asks for it, JSON otherwise.
 *
 * @see https://iiif.io/api/presentation/3.0/#52-manifest
 * @see https://iiif.io/api/presentation/3.0/#61-responses
 */
export function manifestRoutes(database: Database, store: ObjectStore, publicBaseUrl?: string, restrictedMetadata: 'hidden' | 'shown' = 'hidden'): Router {
  const router = Router();
  router.get('/iiif/manifest/:itemId', async (req, res) => {
    allowAnyOrigin(res);
    const item = await createRepositories(database.db).items.getById(req.params.itemId);
    const level = item.effectiveAccessLevel;
    const viewer = viewerOf(req);
    const describedOnly = !canSeeContent(level, viewer) && canSeeDescription(level, viewer, restrictedMetadata);
    if (!describedOnly) await seeContent(req, item, 'manifest');
    const key = packageKey(item.id, 'manifest.json');
    const manifest = await readJsonObject(store, key);
    const storedBase = storedBaseUrl(manifest, `/iiif/manifest/${encodeURIComponent(item.id)}`, key);
    const base = requestBaseUrl(req, publicBaseUrl ?? storedBase);
    const rebased = rebaseIds(manifest, storedBase, base) as Record<string, unknown>;
    if (level !== 'public') res.vary('Cookie').vary('Authorization');
    sendIiifJson(req, res, level === 'public' ? rebased : withProbeServices(rebased, probeServiceDescription(base, item.id)));
  });
  return router;
}

/** The base URL the stored manifest was built with: its `id` minus the manifest path. */
function storedBaseUrl(manifest: unknown, path: string, key: string): string {
  const id = typeof manifest === 'object' && manifest !== null ? (manifest as { id?: unknown }).id : undefined;
  if (typeof id !== 'string' || !id.endsWith(path) || !/^https?:\/\/[^/]+/.test(id)) {
    throw new UpstreamError(`The stored manifest ${key} has no id ending in ${path}; re-run the IIIF packaging stage.`);
  }
  return id.slice(0, -path.length);
}
