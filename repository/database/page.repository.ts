import { sql, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import { ConflictError, InvalidInputError, NotFoundError } from '../../storage/index.ts';
import { translateDatabaseError, type ConstraintErrors } from './database-errors.ts';
import {
  PAGE_STAGES,
  PAGE_STATUSES,
  STAGE_STATUSES,
  type Page,
  type PageStage,
  type PageStages,
  type PageStatus,
  type Paged,
  type StageState,
  type StageStatus,
} from './domain.types.ts';
import type { DatabaseSchema, PageTable } from './schema.ts';
import {
  byteSize,
  contentType,
  newId,
  objectKey,
  pageRequest,
  parseInput,
  positiveInt32,
  recordId,
  sha256Hex,
  text,
} from './validation.ts';

const pageFields = {
  /** Printed page label ("bìa", "tr. 3"); null for none. */
  label: text(200).nullable().optional(),
  masterKey: objectKey,
  masterSha256: sha256Hex,
  masterSize: byteSize,
  contentType,
  width: positiveInt32.nullable().optional(),
  height: positiveInt32.nullable().optional(),
  dpi: positiveInt32.nullable().optional(),
  masterPage: z.number().int().min(0).nullable().optional(),
  imageWidth: positiveInt32.nullable().optional(),
  imageHeight: positiveInt32.nullable().optional(),
  warnings: z.array(z.strictObject({ code: z.string().min(1).max(100), message: z.string().max(1000) })).optional(),
};
const newPageSchema = z.strictObject({ itemId: recordId, seq: positiveInt32, ...pageFields });
const pagePatchSchema = z
  .strictObject({
    ...pageFields,
    seq: positiveInt32,
    status: z.enum(PAGE_STATUSES),
    skewAngle: z.number().min(-180).max(180).nullable(),
    ocrConfidence: z.number().min(0).max(100).nullable(),
    derivatives: z.record(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/), objectKey),
  })
  .partial();
const pageFilterSchema = z.strictObject({
  itemId: recordId.optional(),
  status: z.enum(PAGE_STATUSES).optional(),
  ...pageRequest,
});
const derivativeKind = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "use a kind such as 'pyramid' or 'thumb'");

export type NewPage = z.input<typeof newPageSchema>;
export type PagePatch = z.input<typeof pagePatchSchema>;
export type PageFilter = z.input<typeof pageFilterSchema>;

/** Longest failure reason kept per stage; longer ones are cut (an operator reads the start). */
const MAX_STAGE_ERROR = 4000;

/** Pages (trang) of an item: the master scan and what the pipeline made of it. */
export class PageRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  /**
   * A new page in status `pending` with no stage run yet. Throws `InvalidInputError`,
   * `NotFoundError` if the item does not exist, `ConflictError` if the item already has a page
   * at this position.
   */
  async create(input: NewPage): Promise<Page> {
    const value = parseInput(newPageSchema, input, 'page');
    try {
      const row = await this.#db
        .insertInto('pages')
        .values({
          id: newId(),
          item_id: value.itemId,
          seq: value.seq,
          label: value.label ?? null,
          master_key: value.masterKey,
          master_sha256: value.masterSha256,
          master_size: value.masterSize,
          content_type: value.contentType,
          width: value.width ?? null,
          height: value.height ?? null,
          dpi: value.dpi ?? null,
          master_page: value.masterPage ?? null,
          image_width: value.imageWidth ?? null,
          image_height: value.imageHeight ?? null,
          warnings: JSON.stringify(value.warnings ?? []),
          stages: '{}',
          derivatives: '{}',
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPage(row);
    } catch (error) {
      throw translateDatabaseError(error, constraintErrors(value.seq, value.itemId));
    }
  }

  /** Throws `NotFoundError`. */
  async getById(id: string): Promise<Page> {
    const row = await this.#run(() => this.#db.selectFrom('pages').selectAll().where('id', '=', id).executeTakeFirst());
    if (!row) throw new NotFoundError(`Page '${id}' not found`);
    return toPage(row);
  }

  /** Every page of the item, in reading order (by `seq`); empty for an unknown item. */
  async listByItem(itemId: string): Promise<Page[]> {
    const rows = await this.#run(() =>
      this.#db.selectFrom('pages').selectAll().where('item_id', '=', itemId).orderBy('seq').execute(),
    );
    return rows.map(toPage);
  }

  /** Ordered by item, then `seq`. */
  async list(filter: PageFilter = {}): Promise<Paged<Page>> {
    const { itemId, status, limit, offset } = parseInput(pageFilterSchema, filter, 'page filter');
    let query = this.#db.selectFrom('pages');
    if (itemId !== undefined) query = query.where('item_id', '=', itemId);
    if (status !== undefined) query = query.where('status', '=', status);
    return this.#run(async () => {
      const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
      const rows = await query.selectAll().orderBy('item_id').orderBy('seq').limit(limit).offset(offset).execute();
      return { rows: rows.map(toPage), total };
    });
  }

  /**
   * Changes the given fields (`derivatives` is replaced whole: use `setDerivative` to add one).
   * Throws `NotFoundError`, `InvalidInputError`, `ConflictError` (seq taken).
   */
  async update(id: string, patch: PagePatch): Promise<Page> {
    const value = parseInput(pagePatchSchema, patch, 'page update');
    const columns = {
      seq: value.seq,
      label: value.label,
      master_key: value.masterKey,
      master_sha256: value.masterSha256,
      master_size: value.masterSize,
      content_type: value.contentType,
      width: value.width,
      height: value.height,
      dpi: value.dpi,
      master_page: value.masterPage,
      image_width: value.imageWidth,
      image_height: value.imageHeight,
      warnings: value.warnings === undefined ? undefined : JSON.stringify(value.warnings),
      status: value.status,
      skew_angle: value.skewAngle,
      ocr_confidence: value.ocrConfidence,
      derivatives: value.derivatives === undefined ? undefined : JSON.stringify(value.derivatives),
    };
    if (Object.values(columns).every((column) => column === undefined)) return this.getById(id);
    try {
      const row = await this.#db
        .updateTable('pages')
        .set({ ...columns, updated_at: sql<Date>`now()` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new NotFoundError(`Page '${id}' not found`);
      return toPage(row);
    } catch (error) {
      throw translateDatabaseError(error, constraintErrors(value.seq, undefined));
    }
  }

  /**
   * Records the state of one pipeline stage and recomputes the page status from all stages
   * (see `derivePageStatus`). Entering `running` counts an attempt; `error` is kept (cut to
   * 4000 characters) only with status `failed`. Atomic against concurrent stage updates of the
   * same page (row lock). Throws `NotFoundError`, `InvalidInputError`.
   */
  async setStageStatus(pageId: string, stage: PageStage, status: StageStatus, error?: string): Promise<Page> {
    if (!(PAGE_STAGES as readonly string[]).includes(stage)) {
      throw new InvalidInputError(`Unknown pipeline stage '${stage}': expected one of ${PAGE_STAGES.join(', ')}`);
    }
    if (!(STAGE_STATUSES as readonly string[]).includes(status)) {
      throw new InvalidInputError(`Unknown stage status '${status}': expected one of ${STAGE_STATUSES.join(', ')}`);
    }
    const reason = error?.normalize('NFC').trim().slice(0, MAX_STAGE_ERROR);
    const apply = async (db: Kysely<DatabaseSchema>): Promise<Page> => {
      const current = await db.selectFrom('pages').select('stages').where('id', '=', pageId).forUpdate().executeTakeFirst();
      if (!current) throw new NotFoundError(`Page '${pageId}' not found`);
      const previous = current.stages[stage];
      const state: StageState = {
        status,
        attempts: (previous?.attempts ?? 0) + (status === 'running' ? 1 : 0),
        updatedAt: new Date().toISOString(),
        ...(status === 'failed' && reason ? { error: reason } : {}),
      };
      const stages: PageStages = { ...current.stages, [stage]: state };
      const row = await db
        .updateTable('pages')
        .set({ stages: JSON.stringify(stages), status: derivePageStatus(stages), updated_at: sql<Date>`now()` })
        .where('id', '=', pageId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPage(row);
    };
    try {
      return this.#db.isTransaction ? await apply(this.#db) : await this.#db.transaction().execute(apply);
    } catch (caught) {
      throw translateDatabaseError(caught);
    }
  }

  /** Adds or replaces one derivative (kind → object key) without touching the others. */
  async setDerivative(pageId: string, kind: string, key: string): Promise<Page> {
    const validKind = parseInput(derivativeKind, kind, 'derivative kind');
    const validKey = parseInput(objectKey, key, 'derivative key');
    const row = await this.#run(() =>
      this.#db
        .updateTable('pages')
        .set({
          derivatives: sql<string>`derivatives || jsonb_build_object(${validKind}::text, ${validKey}::text)`,
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', pageId)
        .returningAll()
        .executeTakeFirst(),
    );
    if (!row) throw new NotFoundError(`Page '${pageId}' not found`);
    return toPage(row);
  }

  /** Pages of the item made from the master with this sha256 (one, or several for a multi-page TIFF), in `seq` order. */
  async listByMaster(itemId: string, masterSha256: string): Promise<Page[]> {
    const rows = await this.#run(() =>
      this.#db
        .selectFrom('pages')
        .selectAll()
        .where('item_id', '=', itemId)
        .where('master_sha256', '=', masterSha256.toLowerCase())
        .orderBy('seq')
        .execute(),
    );
    return rows.map(toPage);
  }

  /**
   * Puts the item's pages in the order given: `pageIds` must name every page of the item once.
   * Positions become 1…n. Atomic (one transaction, the item's pages locked), so a concurrent
   * upload or reorder waits. Throws `InvalidInputError` naming what is missing or foreign.
   */
  async reorder(itemId: string, pageIds: readonly string[]): Promise<Page[]> {
    const apply = async (db: Kysely<DatabaseSchema>): Promise<Page[]> => {
      const current = await db.selectFrom('pages').select(['id', 'seq']).where('item_id', '=', itemId).forUpdate().execute();
      const known = new Set(current.map((row) => row.id));
      const given = new Set(pageIds);
      const foreign = pageIds.filter((id) => !known.has(id));
      const missing = current.filter((row) => !given.has(row.id)).map((row) => row.seq);
      if (foreign.length > 0 || missing.length > 0 || given.size !== pageIds.length) {
        throw new InvalidInputError(
          `The new order must list each of the document's ${current.length} pages exactly once` +
            (missing.length > 0 ? `; missing: pages ${missing.sort((a, b) => a - b).join(', ')}` : '') +
            (foreign.length > 0 ? `; not pages of this document: ${foreign.join(', ')}` : '') +
            (given.size !== pageIds.length ? '; some pages are listed twice' : ''),
        );
      }
      if (current.length === 0) return [];
      // (item_id, seq) is unique and checked row by row: move every page past the end first.
      const shift = Math.max(...current.map((row) => row.seq)) + 1;
      await db.updateTable('pages').set({ seq: sql<number>`seq + ${shift}` }).where('item_id', '=', itemId).execute();
      for (const [index, id] of pageIds.entries()) {
        await db.updateTable('pages').set({ seq: index + 1, updated_at: sql<Date>`now()` }).where('id', '=', id).execute();
      }
      const rows = await db.selectFrom('pages').selectAll().where('item_id', '=', itemId).orderBy('seq').execute();
      return rows.map(toPage);
    };
    try {
      return this.#db.isTransaction ? await apply(this.#db) : await this.#db.transaction().execute(apply);
    } catch (caught) {
      throw translateDatabaseError(caught);
    }
  }

  /** The next free position at the end of the item (1 for an item without pages). */
  async nextSeq(itemId: string): Promise<number> {
    const row = await this.#run(() =>
      this.#db
        .selectFrom('pages')
        .select((eb) => eb.fn.max('seq').as('max'))
        .where('item_id', '=', itemId)
        .executeTakeFirst(),
    );
    return (row?.max ?? 0) + 1;
  }

  /** Replaces the page's OCR text in the search table (NFC). */
  async setText(pageId: string, itemId: string, text: string): Promise<void> {
    const value = text.normalize('NFC');
    await this.#run(() =>
      this.#db
        .insertInto('page_texts')
        .values({ page_id: pageId, item_id: itemId, text: value })
        .onConflict((oc) => oc.column('page_id').doUpdateSet({ text: value, updated_at: sql<Date>`now()` }))
        .execute(),
    );
  }

  async #run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw translateDatabaseError(error);
    }
  }
}

/**
 * The page status that follows from its stages: `failed` if any stage failed; `done` when every
 * stage of PAGE_STAGES is done or skipped; `processing` once any stage has started; else
 * `pending`.
 */
export function derivePageStatus(stages: PageStages): PageStatus {
  const states = Object.values(stages).filter((state): state is StageState => state !== undefined);
  if (states.some((state) => state.status === 'failed')) return 'failed';
  const finished = (stage: PageStage) => stages[stage]?.status === 'done' || stages[stage]?.status === 'skipped';
  if (PAGE_STAGES.every(finished)) return 'done';
  if (states.some((state) => state.status !== 'pending')) return 'processing';
  return 'pending';
}

function constraintErrors(seq: number | undefined, itemId: string | undefined): ConstraintErrors {
  return {
    pages_item_seq_key: (_fields, cause) =>
      new ConflictError(`The item already has a page ${seq ?? ''}: re-scan it by updating that page instead`, {
        cause,
        details: { field: 'seq' },
      }),
    pages_item_master_key: (_fields, cause) =>
      new ConflictError('The item already has a page made from this scan (same sha256 and page of the file)', {
        cause,
        details: { field: 'masterSha256' },
      }),
    pages_item_id_fkey: (_fields, cause) =>
      new NotFoundError(`Item '${itemId ?? ''}' does not exist: register the item before uploading its pages`, {
        cause,
        details: { field: 'itemId' },
      }),
  };
}

/** Why the page failed, for an operator: the reason of its failed stage, or null. */
export function pageFailureReason(page: Pick<Page, 'stages'>): string | null {
  return Object.values(page.stages).find((stage) => stage?.status === 'failed')?.error ?? null;
}

export function toPage(row: Selectable<PageTable>): Page {
  return {
    id: row.id,
    itemId: row.item_id,
    seq: row.seq,
    label: row.label,
    masterKey: row.master_key,
    masterSha256: row.master_sha256,
    masterSize: row.master_size,
    contentType: row.content_type,
    width: row.width,
    height: row.height,
    dpi: row.dpi,
    status: row.status,
    stages: row.stages,
    skewAngle: row.skew_angle,
    ocrConfidence: row.ocr_confidence,
    derivatives: row.derivatives,
    masterPage: row.master_page,
    imageWidth: row.image_width,
    imageHeight: row.image_height,
    warnings: row.warnings,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
