import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../database/schema.ts';
import type { Box } from './stored-ocr-page.ts';

/** One saved edit of a recognised box: the history the editor shows. */
export interface OcrCorrection {
  id: string;
  pageId: string;
  itemId: string;
  lineIndex: number;
  wordIndex: number;
  before: string;
  after: string;
  box: Box;
  userId: string | null;
  userName: string;
  at: Date;
}

export type NewOcrCorrection = Omit<OcrCorrection, 'at'>;

/** The `ocr_corrections` table (migration 0016). */
export class OcrCorrectionRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(db: Kysely<DatabaseSchema>) {
    this.#db = db;
  }

  async insert(corrections: readonly NewOcrCorrection[]): Promise<void> {
    if (corrections.length === 0) return;
    await this.#db
      .insertInto('ocr_corrections')
      .values(
        corrections.map((correction) => ({
          id: correction.id,
          page_id: correction.pageId,
          item_id: correction.itemId,
          line_index: correction.lineIndex,
          word_index: correction.wordIndex,
          before: correction.before,
          after: correction.after,
          box: JSON.stringify(correction.box),
          user_id: correction.userId,
          user_name: correction.userName,
        })),
      )
      .execute();
  }

  /** The page's edits, newest first. */
  async listForPage(pageId: string): Promise<OcrCorrection[]> {
    const rows = await this.#db.selectFrom('ocr_corrections').selectAll().where('page_id', '=', pageId).orderBy('at', 'desc').orderBy('id').execute();
    return rows.map((row) => ({
      id: row.id,
      pageId: row.page_id,
      itemId: row.item_id,
      lineIndex: row.line_index,
      wordIndex: row.word_index,
      before: row.before,
      after: row.after,
      box: row.box,
      userId: row.user_id,
      userName: row.user_name,
      at: row.at,
    }));
  }
}
