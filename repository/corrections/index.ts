/** The OCR correction editor's domain: apply edits, save them with their history and samples, readings lookup, training data export. */
export { applyCorrections, MAX_BOX_TEXT, type BoxEdit } from './apply-corrections.ts';
export { buildNomReadings, nomCharacters, quocNguSyllables, readingKey, type BuiltReadings, type ReadingEntry } from './build-nom-readings.ts';
export { CharacterSampleRepository, type CharacterSample, type LabelledImage, type NewCharacterSample } from './character-sample.repository.ts';
export type { CorrectionPipeline } from './correction-ports.ts';
export { loadNomReadings, NOM_READINGS_FILE, serialiseNomReadings } from './nom-readings-file.ts';
export { LearnedReadingRepository, NomReadingsLookup, type ReadingCandidate } from './nom-readings.ts';
export { OcrCorrectionRepository, type OcrCorrection } from './ocr-correction.repository.ts';
export { OcrCorrectionService, type EditorPage, type OcrCorrectionServiceDependencies, type SaveCorrections, type SavedCorrections } from './ocr-correction.service.ts';
export { parseStoredOcrPage, type StoredOcrPage } from './stored-ocr-page.ts';
export { writeTrainingTar } from './training-data-tar.ts';
