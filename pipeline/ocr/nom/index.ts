export { CharacterLanguageModel, countBigrams, type BigramCounts } from './character-language-model.ts';
export {
  correctedTemplates,
  decodeCorrectedTemplates,
  encodeCorrectedTemplates,
  withCorrectedTemplates,
  type CorrectedCrop,
} from './corrected-templates.ts';
export { DEFAULT_NOM_DATA_DIR, loadNomModels, type NomModels } from './load-nom-models.ts';
export { NomModelFormatError } from './nom-errors.ts';
export { NOM_PROFILE, NomOcrEngine, type NomOcrEngineOptions } from './nom.ocr-engine.ts';
export { InThreadNomRecognizer, type NomColumnRecognizer } from './nom-column-recognizer.ts';
export { NomRecognizerThread } from './nom-recognizer-thread.ts';
export {
  DEFAULT_DECODE_WEIGHTS,
  recognizeNomColumn,
  type NomAlternative,
  type NomCharacter,
  type NomDecodeWeights,
  type NomRecognizeOptions,
} from './recognize-nom-column.ts';
export { splitColumn } from './split-column.ts';
