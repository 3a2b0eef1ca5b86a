import express, { Router, type Request } from 'express';
import { isAppError } from '../../storage/index.ts';
import { canChangeLibrary } from '../access/access-decision.ts';
import { viewerOf } from '../auth/request-auth.ts';
import type { Database } from '../database/database.port.ts';
import { createRepositories } from '../database/repositories.ts';
import { dublinCoreInput, dublinCoreRows, readDublinCoreForm, refusedRows, rowWarnings } from './dublin-core-form.ts';
import { pageContext } from './page-context.ts';
import { orNotFound, sendPage } from './page-response.ts';
import { requirePageRole } from './require-page-role.ts';
import { dublinCoreFormView } from './views/dublin-core-form.view.ts';
import { forbiddenView } from './views/login.view.ts';
import { notFoundView } from './views/not-found.view.ts';

/** The item page's `?luu=` after a saved description: it shows a notice. */
export const SAVED_DESCRIPTION = 'mo-ta';

/**
 * `GET|POST /bien-muc/tai-lieu/:itemId/mo-ta`: an item's Dublin Core record as a classic HTML
 * form, for an operator of the item's library or an administrator. A saved record goes back
 * to the item's operator page (303, with a notice); a refused one is shown again as typed
 * with 400 and a message by each refused value.
 */
export function dublinCoreRoutes(deps: { database: Database }): Router {
  const router = Router();
  const path = '/bien-muc/tai-lieu/:itemId/mo-ta';
  // The product parses form bodies before its CSRF check; this keeps the router whole on its own (tests).
  const formBody = express.urlencoded({ extended: false, limit: '512kb', parameterLimit: 10_000 });
  const repositories = () => createRepositories(deps.database.db);
  const load = (req: Request) =>
    orNotFound(async () => {
      const item = await repositories().items.getById(req.params.itemId as string);
      const collection = await repositories().collections.getById(item.collectionId);
      return { item, collection, library: await repositories().libraries.getById(collection.libraryId) };
    });

  router.use(path, requirePageRole(['admin', 'operator']));

  router.get(path, async (req, res) => {
    const context = pageContext(req, res);
    const found = await load(req);
    if (found === undefined) return sendPage(res, 404, notFoundView(context));
    if (!canChangeLibrary(viewerOf(req), found.item.libraryId)) return sendPage(res, 403, forbiddenView(context));
    const rows = dublinCoreRows(found.item.dublinCore);
    sendPage(res, 200, dublinCoreFormView(context, { ...found, form: { rows, errors: {}, warnings: rowWarnings(rows), general: [] } }));
  });

  router.post(path, formBody, async (req, res) => {
    const context = pageContext(req, res);
    const found = await load(req);
    if (found === undefined) return sendPage(res, 404, notFoundView(context));
    if (!canChangeLibrary(viewerOf(req), found.item.libraryId)) return sendPage(res, 403, forbiddenView(context));
    const rows = readDublinCoreForm(req.body);
    try {
      await repositories().items.update(found.item.id, { dublinCore: dublinCoreInput(rows) });
    } catch (error) {
      if (!isAppError(error) || error.code !== 'INVALID_INPUT') throw error;
      const form = { rows, ...refusedRows(error), warnings: rowWarnings(rows) };
      return sendPage(res, 400, dublinCoreFormView(context, { ...found, form }));
    }
    const query = new URLSearchParams({ luu: SAVED_DESCRIPTION, ...(context.language === 'vi' ? {} : { lang: context.language }) });
    res.redirect(303, `/bien-muc/tai-lieu/${encodeURIComponent(found.item.id)}?${query}`);
  });

  return router;
}
