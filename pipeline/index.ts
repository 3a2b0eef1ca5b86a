export * from './queue/index.ts';
export {
  findVerticalColumns,
  HanNomOcrEngine,
  isHanNomCharacter,
  NomOcrEngine,
  readGreyImage,
  TesseractOcrEngine,
  type CorrectedCrop,
  type CorrectedCropSource,
  type OcrEngine,
  type OcrResult,
} from './ocr/index.ts';
export { createOsdOrientationDetector, type OrientationDetector } from './stages/deskew.stage.ts';
export { pipelineHandlers } from './jobs/pipeline-handlers.ts';
export type { PipelineDependencies } from './jobs/pipeline-dependencies.ts';
export { PIPELINE_JOB_NAMES, type PipelineJobs } from './jobs/pipeline-jobs.ts';
export { StorePageIngest } from './ingest/store-page-ingest.ts';
export { QueueItemProcessing } from './ingest/queue-item-processing.ts';
export { queueCorrectionPipeline } from './corrections/queue-correction-pipeline.ts';
export { buildPyramid } from './stages/derivatives.stage.ts';
