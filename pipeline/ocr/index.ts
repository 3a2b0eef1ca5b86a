export type { OcrEngine, OcrImage, OcrRecognizeOptions } from './ocr-engine.port.ts';
export type { OcrLogger } from './ocr-logger.ts';
export type { Box, OcrAlternative, OcrLine, OcrResult, OcrWord } from './ocr-result.ts';
export { TESSERACT_DATA_VARIANTS, type TesseractDataVariant } from './tesseract-language-data.ts';
export { TesseractOcrEngine, type TesseractOcrEngineOptions } from './tesseract.ocr-engine.ts';
export { findVerticalColumns, type ColumnFinder, type VerticalColumn } from './layout/index.ts';
export { loadNomModels, NomModelFormatError, NomOcrEngine, type CorrectedCrop, type NomModels, type NomOcrEngineOptions } from './nom/index.ts';
export type { CorrectedCropSource } from './nom/corrected-crop-source.ts';
export { HanNomOcrEngine, type HanNomOcrEngineOptions } from './han-nom.ocr-engine.ts';
