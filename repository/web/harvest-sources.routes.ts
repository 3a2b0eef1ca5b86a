import express, { Router, type Response } from 'express';
import { isAppError } from '../../storage/index.ts';
import type { Database } from '../database/database.port.ts';
import { HarvestSourceRepository } from '../harvest/harvest-source.repository.ts';
import type { Harvester } from '../harvest/harvester.ts';
import { statusByErrorCode } from '../http/error-handler.ts';
import { HARVEST_SOURCE_FIELDS, HARVEST_SOURCE_MESSAGES, harvestSourceFormValues, harvestSourceInput, harvestSourcePatch } from './harvest-source-form.ts';
import { pageContext, withLanguage, type PageContext } from './page-context.ts';
import { orNotFound, sendPage } from './page-response.ts';
import { freshForm, readForm, submit } from './record-form.ts';
import { requirePageRole } from './require-page-role.ts';
import { harvestSourceFormView } from './views/harvest-source-form.view.ts';
import { HARVEST_SOURCES_PATH, harvestSourceDeleteView, harvestSourcesView, type HarvestNotice } from './views/harvest-sources.view.ts';
import { invalidRequestView } from './views/invalid-request.view.ts';
import { notFoundView } from './views/not-found.view.ts';

export interface HarvestSourcePageDependencies {
  database: Database;
  harvester: Harvester;
}

/**
 * The administrator's pages for the union catalogue's OAI-PMH sources (plain HTML forms that
 * work without JavaScript), over the same repository and harvester as `/api/harvest-sources`:
 * - `GET /quan-tri/nguon-thu-thap`: the sources, their last harvest and held records;
 * - `GET|POST /quan-tri/nguon-thu-thap/moi`, `GET|POST /quan-tri/nguon-thu-thap/:id`: the form
 *   (saved → 303 to the list; refused → the form as typed, 400 or 409, messages by the fields);
 * - `POST …/:id/trang-thai` (`enabled=true|false`) → 303 to the list;
 * - `POST …/:id/thu-thap`: harvests now and shows the list with the outcome (503 with the
 *   source's error when it fails);
 * - `GET|POST …/:id/xoa`: what deleting removes, then the deletion (records included).
 * Administrators only; unknown ids answer the 404 page.
 */
export function harvestSourcePageRoutes(deps: HarvestSourcePageDependencies): Router {
  const router = Router();
  router.use(HARVEST_SOURCES_PATH, requirePageRole(['admin']));
  // As recordRoutes: the product parses form bodies before its CSRF check; a parsed body is not read twice.
  const formBody = express.urlencoded({ extended: false, limit: '64kb' });
  const sources = () => new HarvestSourceRepository(deps.database.db);
  const findSource = (id: string) => orNotFound(() => sources().getById(id));

  const sendList = async (res: Response, context: PageContext, status: number, notice?: HarvestNotice) => {
    const [list, records] = await Promise.all([sources().list(), sources().heldRecordCounts()]);
    sendPage(res, status, harvestSourcesView(context, { sources: list, records, ...(notice === undefined ? {} : { notice }) }));
  };

  router.get(HARVEST_SOURCES_PATH, async (req, res) => {
    await sendList(res, pageContext(req, res), 200);
  });

  router.get(`${HARVEST_SOURCES_PATH}/moi`, (req, res) => {
    sendPage(res, 200, harvestSourceFormView(pageContext(req, res), { mode: 'new', form: freshForm(harvestSourceFormValues()) }));
  });

  router.post(`${HARVEST_SOURCES_PATH}/moi`, formBody, async (req, res) => {
    const context = pageContext(req, res);
    const values = readForm(req.body, HARVEST_SOURCE_FIELDS);
    const outcome = await submit(harvestSourceInput(values), (input) => sources().create(input), HARVEST_SOURCE_MESSAGES);
    if (outcome.type === 'saved') return toList(res, context);
    sendPage(res, outcome.status, harvestSourceFormView(context, { mode: 'new', form: { values, errors: outcome.errors, general: outcome.general } }));
  });

  router.get(`${HARVEST_SOURCES_PATH}/:id`, async (req, res) => {
    const context = pageContext(req, res);
    const source = await findSource(req.params.id);
    if (source === undefined) return sendPage(res, 404, notFoundView(context));
    sendPage(res, 200, harvestSourceFormView(context, { mode: 'edit', source, form: freshForm(harvestSourceFormValues(source)) }));
  });

  router.post(`${HARVEST_SOURCES_PATH}/:id`, formBody, async (req, res) => {
    const context = pageContext(req, res);
    const source = await findSource(req.params.id);
    if (source === undefined) return sendPage(res, 404, notFoundView(context));
    const values = readForm(req.body, HARVEST_SOURCE_FIELDS);
    const outcome = await submit(harvestSourcePatch(source, values), (patch) => sources().update(source.id, patch), HARVEST_SOURCE_MESSAGES);
    if (outcome.type === 'saved') return toList(res, context);
    sendPage(res, outcome.status, harvestSourceFormView(context, { mode: 'edit', source, form: { values, errors: outcome.errors, general: outcome.general } }));
  });

  router.post(`${HARVEST_SOURCES_PATH}/:id/trang-thai`, formBody, async (req, res) => {
    const context = pageContext(req, res);
    const source = await findSource(req.params.id);
    if (source === undefined) return sendPage(res, 404, notFoundView(context));
    const { enabled } = readForm(req.body, ['enabled'] as const);
    if (enabled !== 'true' && enabled !== 'false') return sendPage(res, 400, invalidRequestView(context, "Send enabled=true or enabled=false to switch the source on or off"));
    await sources().update(source.id, { enabled: enabled === 'true' });
    toList(res, context);
  });

  router.post(`${HARVEST_SOURCES_PATH}/:id/thu-thap`, formBody, async (req, res) => {
    const context = pageContext(req, res);
    const source = await findSource(req.params.id);
    if (source === undefined) return sendPage(res, 404, notFoundView(context));
    let notice: HarvestNotice;
    try {
      notice = { type: 'harvested', source, run: await deps.harvester.harvest(source.id) };
    } catch (error) {
      if (!isAppError(error) || error.code === 'NOT_FOUND') throw error;
      return sendList(res, context, statusByErrorCode[error.code], { type: 'failed', source, message: error.message });
    }
    await sendList(res, context, 200, notice);
  });

  router.get(`${HARVEST_SOURCES_PATH}/:id/xoa`, async (req, res) => {
    const context = pageContext(req, res);
    const source = await findSource(req.params.id);
    if (source === undefined) return sendPage(res, 404, notFoundView(context));
    sendPage(res, 200, harvestSourceDeleteView(context, source, (await sources().heldRecordCounts()).get(source.id) ?? 0));
  });

  router.post(`${HARVEST_SOURCES_PATH}/:id/xoa`, formBody, async (req, res) => {
    const context = pageContext(req, res);
    const deleted = await orNotFound(() => sources().delete(req.params.id));
    if (deleted === undefined) return sendPage(res, 404, notFoundView(context));
    await sendList(res, context, 200, { type: 'deleted', ...deleted });
  });

  return router;
}

/** After a change: the list, in the language the form was filled in. */
function toList(res: Response, context: PageContext): void {
  res.redirect(303, withLanguage(HARVEST_SOURCES_PATH, context.language));
}
