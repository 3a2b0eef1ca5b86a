import type { OcrEngine } from '../../pipeline/ocr/index.ts';
import type { AngleErrorSummary, ComparisonSummary, TextComparison } from '../../pipeline/ocr/evaluation/index.ts';
import type { OcrProfile } from '../../repository/index.ts';

/** What every suite is handed by the harness. */
export interface SuiteContext {
  /** A temporary folder for generated images, removed after the run. */
  workDir: string;
  /** At most this many samples per dataset (a quick look, or a test); undefined = all. */
  limit: number | undefined;
  /**
   * The engine known as `key`, started by `start` on first use and shared by every suite after
   * it; the harness closes it at the end of the run.
   */
  engine(key: string, start: () => Promise<OcrEngine>): Promise<OcrEngine>;
}

/** One OCR sample (a crop or a page): its comparison with the reference, and what the engine read (NFC). */
export type OcrSampleResult = TextComparison & { name: string; text: string };

/** One skew estimate. */
export interface DeskewSampleResult {
  name: string;
  /** Degrees, positive = content turned counter-clockwise (the deskew stage's convention). */
  expected: number;
  estimated: number;
  error: number;
}

interface RowBase {
  suite: string;
  /** The OCR profile read with; null for rows that measure no OCR. */
  profile: OcrProfile | null;
  dataset: string;
  /** Samples measured. */
  n: number;
  /** Wall-clock time of the dataset, reported, never judged. */
  seconds: number;
}

export type EvaluationRow =
  | (RowBase & { kind: 'ocr'; summary: ComparisonSummary; samples: OcrSampleResult[] })
  | (RowBase & { kind: 'deskew'; summary: AngleErrorSummary; samples: DeskewSampleResult[] });

/**
 * A named set of measurements. To evaluate a new profile or engine, write one suite file and
 * list it in `suites.ts`.
 */
export interface EvaluationSuite {
  name: string;
  /** What it measures, on what data: shown by `--list`. */
  description: string;
  run(context: SuiteContext): Promise<EvaluationRow[]>;
}
