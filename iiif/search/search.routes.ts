import { Router } from 'express';
import { createRepositories, seeContent, type Database } from '../../repository/index.ts';
import type { ObjectStore } from '../../storage/index.ts';
import { allowAnyOrigin, sendIiifJson } from '../presentation/send-iiif-json.ts';
import { requestBaseUrl } from '../presentation/request-base-url.ts';
import { buildSearchResponse, type SearchPageMatches } from './build-search-response.ts';
import { findPhrase } from './find-phrase.ts';
import { parseSearchRequest } from './parse-search-request.ts';
import { readOcrWords } from './read-ocr-words.ts';
import { searchKey } from './search-key.ts';

export interface SearchRoutesDependencies {
  database: Database;
  store: ObjectStore;
  /** `PUBLIC_BASE_URL` (config.publicBaseUrl); X-Forwarded-Proto/Host override it per request. */
  publicBaseUrl: string;
}

/**
 * `GET /iiif/search/:itemId?q=…`: Content Search 2.0 within one document (the service the
 * manifest declares as `SearchService2`). The access decision comes first (404 unknown item,
 * 401 one the viewer may not see), then `q` is checked (400). Each page's stored OCR result
 * (`ocr.json`) is read in reading order; pages without one, or without a served image size,
 * are skipped. Matching ignores Vietnamese marks and case (`dak nong` finds `Đắk Nông`) and a
 * query of several words finds them as consecutive words. CORS open.
 *
 * @see https://iiif.io/api/search/2.0/#search
 */
export function searchRoutes(deps: SearchRoutesDependencies): Router {
  const router = Router();
  router.get('/iiif/search/:itemId', async (req, res) => {
    allowAnyOrigin(res);
    const repositories = createRepositories(deps.database.db);
    const item = await repositories.items.getById(req.params.itemId);
    await seeContent(req, item, 'content-search');
    const request = parseSearchRequest(req.query as Record<string, unknown>);
    const base = requestBaseUrl(req, deps.publicBaseUrl);
    const itemPath = encodeURIComponent(item.id);
    const pages: SearchPageMatches[] = [];
    for (const page of await repositories.pages.listByItem(item.id)) {
      if (page.imageWidth === null || page.imageHeight === null) continue;
      const ocr = await readOcrWords(deps.store, item.id, page.id);
      if (!ocr) continue;
      const runs = findPhrase(ocr.words.map((word) => searchKey(word.text)), request.terms);
      if (runs.length === 0) continue;
      pages.push({
        seq: page.seq,
        canvasId: `${base}/iiif/canvas/${itemPath}/${page.seq}`,
        canvas: { width: page.imageWidth, height: page.imageHeight },
        ocr,
        runs,
      });
    }
    const body = buildSearchResponse({
      id: `${base}${req.originalUrl}`,
      serviceId: `${base}/iiif/search/${itemPath}`,
      ignored: request.ignored,
      pages,
    });
    sendIiifJson(req, res, body, 'application/ld+json');
  });
  return router;
}
