import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import {
  CharacterSampleCrops,
  createOsdOrientationDetector,
  findVerticalColumns,
  HanNomOcrEngine,
  NomOcrEngine,
  pipelineHandlers,
  TesseractOcrEngine,
  type OcrEngine,
  type OrientationDetector,
  type PipelineDependencies,
} from '../../pipeline/index.ts';
import { CharacterSampleRepository } from '../../repository/index.ts';
import type { Config } from '../config.ts';
import type { Services } from './open-services.ts';

/** What a process that runs jobs holds besides its services: the OCR and OSD engines, started on first use. */
export interface PipelineRuntime {
  dependencies: PipelineDependencies;
  handlers: ReturnType<typeof pipelineHandlers>;
  close(): Promise<void>;
}

/** Starts something once, on first use, and remembers whether it was started so that close only stops what exists. */
function lazily<T extends { close(): Promise<void> }>(start: () => Promise<T>) {
  let started: Promise<T> | undefined;
  return {
    get: () => (started ??= start()),
    close: async () => {
      if (started) await (await started.catch(() => undefined))?.close();
    },
  };
}

export function createPipelineRuntime(config: Config, services: Services, logger: Logger): PipelineRuntime {
  const ocrLogger = logger.child({ component: 'ocr' });
  const ocr = lazily<OcrEngine>(
    async () =>
      new HanNomOcrEngine({
        tesseract: await TesseractOcrEngine.create({
          poolSize: Math.min(config.workerConcurrency, os.availableParallelism()),
          cacheDir: path.join(config.dataDir, 'cache', 'tesseract'),
          logger: ocrLogger,
        }),
        startNom: () =>
          NomOcrEngine.create({
            columnFinder: (page) => findVerticalColumns(page),
            corrections: new CharacterSampleCrops(new CharacterSampleRepository(services.database.db, services.store), ocrLogger),
          }),
        logger: ocrLogger,
      }),
  );
  const osd = lazily<OrientationDetector>(() => createOsdOrientationDetector());
  const dependencies: PipelineDependencies = {
    database: services.database,
    store: services.store,
    ocrEngine: ocr.get,
    orientationDetector: osd.get,
    workRoot: path.join(config.dataDir, 'tmp', 'work'),
    publicBaseUrl: config.publicBaseUrl,
    maxPixels: config.maxImagePixels,
    logger,
  };
  return {
    dependencies,
    handlers: pipelineHandlers(dependencies),
    close: async () => {
      await Promise.all([ocr.close(), osd.close()]);
    },
  };
}
