import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { derivativeKey, InvalidInputError, isAppError, type ObjectStore } from '../../storage/index.ts';
import { assertCanChangeLibrary, assertRole } from '../access/access-decision.ts';
import { viewerOf } from '../auth/request-auth.ts';
import { CharacterSampleRepository } from '../corrections/character-sample.repository.ts';
import { MAX_BOX_TEXT } from '../corrections/apply-corrections.ts';
import type { NomReadingsLookup } from '../corrections/nom-readings.ts';
import type { OcrCorrection } from '../corrections/ocr-correction.repository.ts';
import type { OcrCorrectionService } from '../corrections/ocr-correction.service.ts';
import { writeTrainingTar } from '../corrections/training-data-tar.ts';
import type { Database } from '../database/database.port.ts';
import { createRepositories } from '../database/repositories.ts';
import { sendObject } from '../http/send-object.ts';
import { pageContext } from './page-context.ts';
import { sendPage } from './page-response.ts';
import { requirePageRole } from './require-page-role.ts';
import { forbiddenView } from './views/login.view.ts';
import { notFoundView } from './views/not-found.view.ts';
import { ocrCorrectionView } from './views/ocr-correction.view.ts';

export interface CorrectionRoutesDependencies {
  database: Database;
  store: ObjectStore;
  corrections: OcrCorrectionService;
  readings: NomReadingsLookup;
}

const editSchema = z.object({
  lineIndex: z.int().min(0),
  wordIndex: z.int().min(0),
  before: z.string().max(MAX_BOX_TEXT * 4),
  after: z.string().max(MAX_BOX_TEXT * 4),
  reading: z.string().max(40).optional(),
});
const saveSchema = z.object({ version: z.string().regex(/^[0-9a-f]{64}$/), edits: z.array(editSchema).min(1).max(5000) });

/**
 * The OCR correction editor (operators of the item's library and administrators):
 * - `GET /bien-muc/tai-lieu/:itemId/trang/:pageId/hieu-dinh`: the editor page;
 * - `GET /api/pages/:pageId/print.jpg`: the page image the boxes were recognised on;
 * - `POST /api/pages/:pageId/corrections` `{ version, edits: [{ lineIndex, wordIndex, before, after, reading? }] }`:
 *   saves (409 when the page changed since `version`);
 * - `GET /api/pages/:pageId/corrections`: the history, newest first;
 * - `GET /api/nom-readings?q=&library=`: characters for a Quốc ngữ reading;
 * - `GET /api/training-data.tar?library=`: the library's labelled character crops, streamed.
 */
export function correctionRoutes(deps: CorrectionRoutesDependencies): Router {
  const router = Router();
  const editorPath = '/bien-muc/tai-lieu/:itemId/trang/:pageId/hieu-dinh';

  router.get(editorPath, requirePageRole(['admin', 'operator']), async (req, res) => {
    const context = pageContext(req, res);
    let editor;
    try {
      editor = await deps.corrections.open(viewerOf(req), req.params.pageId as string);
    } catch (error) {
      if (!isAppError(error)) throw error;
      if (error.code === 'FORBIDDEN') return sendPage(res, 403, forbiddenView(context));
      if (error.code === 'NOT_FOUND' || error.code === 'INVALID_INPUT') return sendPage(res, 404, notFoundView(context));
      throw error;
    }
    if (editor.item.id !== req.params.itemId) return sendPage(res, 404, notFoundView(context));
    const history = await deps.corrections.history(viewerOf(req), editor.page.id);
    sendPage(res, 200, ocrCorrectionView(context, { ...editor, history }));
  });

  router.get('/api/pages/:pageId/print.jpg', async (req, res) => {
    const { item, page } = await deps.corrections.open(viewerOf(req), req.params.pageId);
    await sendObject(res, deps.store, derivativeKey(item.id, page.id, 'print.jpg'), { cacheControl: 'private, no-cache' });
  });

  router.post('/api/pages/:pageId/corrections', async (req, res) => {
    const body = parse(saveSchema, req.body, 'corrections');
    res.json(await deps.corrections.save(viewerOf(req), { pageId: req.params.pageId, version: body.version, edits: body.edits }));
  });

  router.get('/api/pages/:pageId/corrections', async (req, res) => {
    const history = await deps.corrections.history(viewerOf(req), req.params.pageId);
    res.json({ data: history.map(correctionJson) });
  });

  router.get('/api/nom-readings', async (req, res) => {
    assertRole(viewerOf(req), ['admin', 'operator'], 'look up Nôm readings');
    const q = queryString(req, 'q');
    if (q === undefined || [...q].length > 40) throw new InvalidInputError('Give the reading to look up as ?q= (at most 40 characters), e.g. ?q=cua');
    const library = queryString(req, 'library');
    res.json({ query: q.normalize('NFC'), candidates: await deps.readings.lookup(q, library) });
  });

  router.get('/api/training-data.tar', async (req, res) => {
    const libraryId = queryString(req, 'library');
    if (libraryId === undefined) throw new InvalidInputError('Name the library whose training data to export: ?library=ID');
    const library = await createRepositories(deps.database.db).libraries.getById(libraryId);
    assertCanChangeLibrary(viewerOf(req), library.id, 'export the training data of this library');
    const samples = new CharacterSampleRepository(deps.database.db, deps.store);
    res.status(200).type('application/x-tar').attachment(`training-data-${library.slug}.tar`).set('Cache-Control', 'no-store');
    await pipeline(Readable.from(writeTrainingTar(samples.samples(library.id), (sample) => samples.image(sample), new Date())), res);
  });

  return router;
}

/** A correction as the API gives it. */
export function correctionJson(correction: OcrCorrection) {
  const { id, lineIndex, wordIndex, before, after, box, userName, at } = correction;
  return { id, lineIndex, wordIndex, before, after, box, user: userName, at: at.toISOString() };
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new InvalidInputError(`The ${what} are not as expected at ${issue?.path.join('.') || 'the top'}: ${issue?.message ?? 'invalid'}`);
}

function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
