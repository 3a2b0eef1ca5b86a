import type { Logger } from 'pino';
import type { Database } from '../../repository/index.ts';
import type { ObjectStore } from '../../storage/index.ts';
import type { OcrEngine } from '../ocr/index.ts';
import type { OrientationDetector } from '../stages/deskew.stage.ts';

/** What the pipeline's jobs run on; built once per worker process by the entry point. */
export interface PipelineDependencies {
  database: Database;
  store: ObjectStore;
  /** Started on first use (loading models takes seconds), shared by the worker's jobs. */
  ocrEngine(): Promise<OcrEngine>;
  orientationDetector(): Promise<OrientationDetector>;
  /** Local scratch space for jobs (masters and derivatives are processed from files). */
  workRoot: string;
  publicBaseUrl: string;
  /** Largest page (width × height) accepted: the decompression-bomb limit. */
  maxPixels: number;
  logger: Logger;
}
