export { characterErrorRate, type CharacterErrorRateOptions } from './character-error-rate.ts';
export { codePoints } from './code-points.ts';
export { editOperations, type EditOperations } from './edit-operations.ts';
export { foldVietnamese } from '../../repository/index.ts';
export { normaliseText } from './normalise-text.ts';
