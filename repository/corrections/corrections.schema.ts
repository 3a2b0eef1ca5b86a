import type { ColumnType } from 'kysely';

/** Kysely's view of the tables of migration 0016 (the OCR correction editor). */

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type BoxJson = ColumnType<{ x: number; y: number; width: number; height: number }, string, string>;

export interface OcrCorrectionTable {
  id: string;
  page_id: string;
  item_id: string;
  line_index: number;
  word_index: number;
  before: string;
  after: string;
  box: BoxJson;
  user_id: string | null;
  user_name: string;
  at: CreatedAt;
}

export interface CharacterSampleTable {
  id: string;
  library_id: string;
  item_id: string;
  page_id: string;
  label: string;
  box: BoxJson;
  correction_id: string | null;
  key: string;
  sha256: string;
  width: number;
  height: number;
  created_at: CreatedAt;
}

export interface NomReadingLearnedTable {
  library_id: string;
  reading: string;
  folded: string;
  character: string;
  count: ColumnType<number, number | undefined, number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CorrectionTables {
  ocr_corrections: OcrCorrectionTable;
  character_samples: CharacterSampleTable;
  nom_readings_learned: NomReadingLearnedTable;
}
