import type { CorrectedCrop } from './corrected-templates.ts';

/**
 * Where the library's corrected character crops come from (the correction editor's samples):
 * the Nôm engine adds them to its font templates and rebuilds them when `version` changes.
 */
export interface CorrectedCropSource {
  /** Changes whenever the crops change (a sample added or removed). */
  version(): Promise<string>;
  crops(): Promise<CorrectedCrop[]>;
}
