import express, { Router, type Response } from 'express';
import type { Database } from '../database/database.port.ts';
import type { Library } from '../database/domain.types.ts';
import { createRepositories } from '../database/repositories.ts';
import { COLLECTION_FIELDS, COLLECTION_MESSAGES, collectionFormValues, collectionInput, newCollectionValues } from './collection-form.ts';
import { LIBRARY_FIELDS, LIBRARY_MESSAGES, libraryFormValues, libraryInput } from './library-form.ts';
import { pageContext, type PageContext } from './page-context.ts';
import { requirePageRole } from './require-page-role.ts';
import { listAll } from '../database/list-all.ts';
import { orNotFound, sendPage } from './page-response.ts';
import { freshForm, readForm, submit, type FormState, type Submission } from './record-form.ts';
import { collectionFormView } from './views/collection-form.view.ts';
import { libraryFormView } from './views/library-form.view.ts';
import { notFoundView } from './views/not-found.view.ts';

export interface RecordRoutesDependencies {
  database: Database;
}

/**
 * The administrator's forms for libraries and collections (design §1), classic HTML forms
 * that work without JavaScript:
 * - `GET|POST /quan-tri/thu-vien/moi`, `GET|POST /quan-tri/thu-vien/:libraryId`;
 * - `GET|POST /quan-tri/bo-suu-tap/moi` (`?thu-vien=` preselects the library),
 *   `GET|POST /quan-tri/bo-suu-tap/:collectionId`.
 * A saved form goes back to `/quan-tri` (303); a refused one is shown again as typed with
 * 400 (409 for a taken slug) and a message by each field; unknown ids answer the 404 page.
 * Administrators only.
 */
export function recordRoutes(deps: RecordRoutesDependencies): Router {
  const router = Router();
  router.use(['/quan-tri/thu-vien', '/quan-tri/bo-suu-tap'], requirePageRole(['admin']));
  // The product parses form bodies before its CSRF check; this keeps the router whole on its own (tests). A parsed body is not read twice.
  const formBody = express.urlencoded({ extended: false, limit: '64kb' });
  const repositories = () => createRepositories(deps.database.db);
  const allLibraries = () => listAll<Library>((limit, offset) => repositories().libraries.list({ limit, offset }));

  router.get('/quan-tri/thu-vien/moi', (req, res) => {
    const context = pageContext(req, res);
    sendPage(res, 200, libraryFormView(context, { mode: 'new', form: freshForm(libraryFormValues()) }));
  });

  router.post('/quan-tri/thu-vien/moi', formBody, async (req, res) => {
    const context = pageContext(req, res);
    const values = readForm(req.body, LIBRARY_FIELDS);
    const outcome = await submit(libraryInput(values), (input) => repositories().libraries.create(input), LIBRARY_MESSAGES);
    if (outcome.type === 'saved') return toDashboard(res, context);
    sendPage(res, outcome.status, libraryFormView(context, { mode: 'new', form: { values, ...refusal(outcome) } }));
  });

  router.get('/quan-tri/thu-vien/:libraryId', async (req, res) => {
    const context = pageContext(req, res);
    const library = await orNotFound(() => repositories().libraries.getById(req.params.libraryId));
    if (library === undefined) return sendPage(res, 404, notFoundView(context));
    sendPage(res, 200, libraryFormView(context, { mode: 'edit', library, form: freshForm(libraryFormValues(library)) }));
  });

  router.post('/quan-tri/thu-vien/:libraryId', formBody, async (req, res) => {
    const context = pageContext(req, res);
    const library = await orNotFound(() => repositories().libraries.getById(req.params.libraryId));
    if (library === undefined) return sendPage(res, 404, notFoundView(context));
    const values = readForm(req.body, LIBRARY_FIELDS);
    const outcome = await submit(libraryInput(values), (patch) => repositories().libraries.update(library.id, patch), LIBRARY_MESSAGES);
    if (outcome.type === 'saved') return toDashboard(res, context);
    sendPage(res, outcome.status, libraryFormView(context, { mode: 'edit', library, form: { values, ...refusal(outcome) } }));
  });

  router.get('/quan-tri/bo-suu-tap/moi', async (req, res) => {
    const context = pageContext(req, res);
    const preselected = typeof req.query['thu-vien'] === 'string' ? req.query['thu-vien'] : '';
    const form = freshForm(newCollectionValues(preselected));
    sendPage(res, 200, collectionFormView(context, { mode: 'new', libraries: await allLibraries(), form }));
  });

  router.post('/quan-tri/bo-suu-tap/moi', formBody, async (req, res) => {
    const context = pageContext(req, res);
    const values = readForm(req.body, COLLECTION_FIELDS);
    const outcome = await submit(
      collectionInput(values),
      (input) => repositories().collections.create({ ...input, libraryId: values.libraryId }),
      COLLECTION_MESSAGES,
    );
    if (outcome.type === 'saved') return toDashboard(res, context);
    const page = { mode: 'new', libraries: await allLibraries(), form: { values, ...refusal(outcome) } } as const;
    sendPage(res, outcome.status, collectionFormView(context, page));
  });

  const findCollection = (collectionId: string) =>
    orNotFound(async () => {
      const collection = await repositories().collections.getById(collectionId);
      return { collection, library: await repositories().libraries.getById(collection.libraryId) };
    });

  router.get('/quan-tri/bo-suu-tap/:collectionId', async (req, res) => {
    const context = pageContext(req, res);
    const found = await findCollection(req.params.collectionId);
    if (found === undefined) return sendPage(res, 404, notFoundView(context));
    const form = freshForm(collectionFormValues(found.collection, context.language));
    sendPage(res, 200, collectionFormView(context, { mode: 'edit', ...found, form }));
  });

  router.post('/quan-tri/bo-suu-tap/:collectionId', formBody, async (req, res) => {
    const context = pageContext(req, res);
    const found = await findCollection(req.params.collectionId);
    if (found === undefined) return sendPage(res, 404, notFoundView(context));
    // The library is not on an edit form: it stays the collection's own.
    const values = { ...readForm(req.body, COLLECTION_FIELDS), libraryId: found.collection.libraryId };
    const outcome = await submit(collectionInput(values), (patch) => repositories().collections.update(found.collection.id, patch), COLLECTION_MESSAGES);
    if (outcome.type === 'saved') return toDashboard(res, context);
    sendPage(res, outcome.status, collectionFormView(context, { mode: 'edit', ...found, form: { values, ...refusal(outcome) } }));
  });

  return router;
}

/** The refused fields of a submission, for the form shown again. */
function refusal<F extends string>(outcome: Extract<Submission<F>, { type: 'refused' }>): Omit<FormState<F>, 'values'> {
  return { errors: outcome.errors, general: outcome.general };
}

/** After a save: the dashboard, in the language the form was filled in. */
function toDashboard(res: Response, context: PageContext): void {
  res.redirect(303, context.language === 'vi' ? '/quan-tri' : `/quan-tri?lang=${context.language}`);
}
