import { buffer } from 'node:stream/consumers';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ConflictError, derivativeKey, isAppError, NotFoundError, sha256Hex, trainingSampleKey, type ObjectStore } from '../../storage/index.ts';
import { assertCanChangeLibrary, type Viewer } from '../access/access-decision.ts';
import type { Database } from '../database/database.port.ts';
import type { Item, Page } from '../database/domain.types.ts';
import { createRepositories, type Repositories } from '../database/repositories.ts';
import type { DatabaseSchema } from '../database/schema.ts';
import { applyCorrections, type BoxEdit } from './apply-corrections.ts';
import { CharacterSampleRepository } from './character-sample.repository.ts';
import type { CorrectionPipeline } from './correction-ports.ts';
import { LearnedReadingRepository } from './nom-readings.ts';
import { OcrCorrectionRepository, type OcrCorrection } from './ocr-correction.repository.ts';
import { parseStoredOcrPage, type StoredOcrPage } from './stored-ocr-page.ts';

/** A page as the editor opens it. */
export interface EditorPage {
  item: Item;
  page: Page;
  ocr: StoredOcrPage;
  /** sha256 of the stored `ocr.json`: a save is refused when the page changed since. */
  version: string;
}

export interface SaveCorrections {
  pageId: string;
  version: string;
  edits: readonly BoxEdit[];
}

export interface SavedCorrections {
  version: string;
  corrections: number;
  samples: number;
  /** False when a packaging of the item was already waiting (it reads the corrected page). */
  repackagingQueued: boolean;
}

export interface OcrCorrectionServiceDependencies {
  database: Database;
  store: ObjectStore;
  pipeline: CorrectionPipeline;
}

/**
 * The OCR correction editor's rules: open a page's recognised boxes, save edited boxes (new
 * `ocr.json`, `text.txt` and `ocr.hocr`, search text, history, labelled character crops, learned
 * readings) and queue the item's packaging again so the PDF's text layer and the manifest follow.
 */
export class OcrCorrectionService {
  readonly #deps: OcrCorrectionServiceDependencies;

  constructor(deps: OcrCorrectionServiceDependencies) {
    this.#deps = deps;
  }

  /** The page for the editor; `NotFoundError` when it was not OCR'd yet. Only staff of the item's library. */
  async open(viewer: Viewer, pageId: string): Promise<EditorPage> {
    const { item, page } = await this.#load(viewer, pageId);
    const bytes = await this.#ocrBytes(item, page);
    return { item, page, ocr: parseStoredOcrPage(bytes, ocrKey(item, page)), version: sha256Hex(bytes) };
  }

  async history(viewer: Viewer, pageId: string): Promise<OcrCorrection[]> {
    await this.#load(viewer, pageId);
    return new OcrCorrectionRepository(this.#deps.database.db).listForPage(pageId);
  }

  /**
   * Saves the edits of one page in one go. `ConflictError` (nothing written) when the stored
   * OCR result is no longer `version`: someone saved or OCR ran again since the page was opened.
   */
  async save(viewer: Viewer, input: SaveCorrections): Promise<SavedCorrections> {
    const { item, page } = await this.#load(viewer, input.pageId);
    const user = viewer.kind === 'user' ? viewer.user : undefined;
    const key = ocrKey(item, page);
    const bytes = await this.#ocrBytes(item, page);
    if (sha256Hex(bytes) !== input.version) throw stale(page);
    const before = parseStoredOcrPage(bytes, key);
    const after = applyCorrections(before, input.edits);
    const json = Buffer.from(JSON.stringify(after), 'utf8');
    const hocr = this.#deps.pipeline.buildHocr(after, await this.#previousHocr(item, page));
    const crops = await this.#crops(item, page, before, input.edits);

    const saved = await this.#deps.database.db.transaction().execute(async (trx) => {
      // The ledger row of ocr.json, locked: two saves of one page run one after the other, and the second sees the first's version.
      const ledger = await trx.selectFrom('stored_objects').select('sha256').where('key', '=', key).forUpdate().executeTakeFirst();
      if (ledger !== undefined && ledger.sha256 !== input.version) throw stale(page);
      const repositories = createRepositories(trx);
      const put = (file: 'text.txt' | 'ocr.hocr' | 'ocr.json', kind: string, contentType: string, body: Buffer) =>
        this.#putRecorded(repositories, { key: derivativeKey(item.id, page.id, file), kind, contentType, body, itemId: item.id, pageId: page.id });
      await put('text.txt', 'text', 'text/plain; charset=utf-8', Buffer.from(after.text, 'utf8'));
      await put('ocr.hocr', 'hocr', 'text/vnd.hocr+html; charset=utf-8', Buffer.from(hocr, 'utf8'));
      const version = await put('ocr.json', 'ocr', 'application/json', json);
      await repositories.pages.setText(page.id, item.id, after.text);
      await repositories.pages.update(page.id, { ocrConfidence: after.meanConfidence });

      const corrections = input.edits.map((edit) => ({
        id: randomUUID(),
        pageId: page.id,
        itemId: item.id,
        lineIndex: edit.lineIndex,
        wordIndex: edit.wordIndex,
        before: edit.before.normalize('NFC'),
        after: edit.after.normalize('NFC'),
        box: before.lines[edit.lineIndex]!.words[edit.wordIndex]!.box,
        userId: user?.id ?? null,
        userName: user?.username ?? 'unknown',
      }));
      await new OcrCorrectionRepository(trx).insert(corrections);
      await this.#storeSamples(trx, repositories, item, page, corrections, crops);
      await this.#learnReadings(trx, item, input.edits);
      return { version, corrections: corrections.length, samples: crops.length };
    });
    const repackagingQueued = await this.#deps.pipeline.repackage(item.id);
    return { ...saved, repackagingQueued };
  }

  async #load(viewer: Viewer, pageId: string): Promise<{ item: Item; page: Page }> {
    const repositories = createRepositories(this.#deps.database.db);
    const page = await repositories.pages.getById(pageId);
    const item = await repositories.items.getById(page.itemId);
    assertCanChangeLibrary(viewer, item.libraryId, 'correct the OCR of this document');
    return { item, page };
  }

  async #ocrBytes(item: Item, page: Page): Promise<Buffer> {
    try {
      return await buffer(await this.#deps.store.get(ocrKey(item, page)));
    } catch (error) {
      if (isAppError(error) && error.code === 'NOT_FOUND') {
        throw new NotFoundError(`Page ${page.seq} of ${item.identifier} has no OCR result yet: process the document first`, { cause: error });
      }
      throw error;
    }
  }

  async #previousHocr(item: Item, page: Page): Promise<string | undefined> {
    try {
      return (await buffer(await this.#deps.store.get(derivativeKey(item.id, page.id, 'ocr.hocr')))).toString('utf8');
    } catch (error) {
      if (isAppError(error) && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  /** One crop per edit, from the print JPEG (the image OCR read), made before the transaction so that it stays short. */
  async #crops(item: Item, page: Page, ocr: StoredOcrPage, edits: readonly BoxEdit[]) {
    if (edits.length === 0) return [];
    const image = await buffer(await this.#deps.store.get(derivativeKey(item.id, page.id, 'print.jpg')));
    const crops = [];
    for (const edit of edits) {
      const box = ocr.lines[edit.lineIndex]!.words[edit.wordIndex]!.box;
      crops.push(await this.#deps.pipeline.cropCharacter(image, box, { width: ocr.imageWidth, height: ocr.imageHeight }));
    }
    return crops;
  }

  async #storeSamples(
    trx: Kysely<DatabaseSchema>,
    repositories: Repositories,
    item: Item,
    page: Page,
    corrections: readonly Omit<OcrCorrection, 'at'>[],
    crops: readonly { png: Buffer; width: number; height: number }[],
  ): Promise<void> {
    const samples = new CharacterSampleRepository(trx, this.#deps.store);
    for (const [index, correction] of corrections.entries()) {
      const crop = crops[index]!;
      const id = randomUUID();
      const key = trainingSampleKey(item.libraryId, id);
      const sha256 = await this.#putRecorded(repositories, { key, kind: 'training-sample', contentType: 'image/png', body: crop.png, itemId: item.id, pageId: page.id });
      await samples.insert({
        id,
        libraryId: item.libraryId,
        itemId: item.id,
        pageId: page.id,
        label: correction.after,
        box: correction.box,
        correctionId: correction.id,
        key,
        sha256,
        width: crop.width,
        height: crop.height,
      });
    }
  }

  /** A character picked through its reading teaches the lookup that reading; typed text teaches nothing. */
  async #learnReadings(trx: Kysely<DatabaseSchema>, item: Item, edits: readonly BoxEdit[]): Promise<void> {
    const learned = new LearnedReadingRepository(trx);
    for (const edit of edits) {
      if (edit.reading !== undefined && edit.reading.trim() !== '') await learned.record(item.libraryId, edit.reading, edit.after);
    }
  }

  /** Puts the bytes atomically and records their sha256 in the ledger, as the pipeline's stages do. */
  async #putRecorded(
    repositories: Repositories,
    object: { key: string; kind: string; contentType: string; body: Buffer; itemId: string; pageId: string },
  ): Promise<string> {
    const info = await this.#deps.store.put(object.key, object.body, { contentType: object.contentType });
    const sha256 = info.sha256 as string;
    await repositories.storedObjects.record({
      key: object.key,
      sha256,
      size: info.size,
      contentType: object.contentType,
      itemId: object.itemId,
      pageId: object.pageId,
      kind: object.kind,
    });
    return sha256;
  }
}

const ocrKey = (item: Item, page: Page) => derivativeKey(item.id, page.id, 'ocr.json');

const stale = (page: Page) =>
  new ConflictError(`Page ${page.seq} was changed since you opened it (another correction was saved, or OCR ran again): reload the editor and make your corrections again`);
