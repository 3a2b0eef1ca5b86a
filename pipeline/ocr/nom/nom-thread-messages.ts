import type { GreyRaster } from '../../stages/skew-raster.ts';
import type { CorrectedCrop } from './corrected-templates.ts';
import type { NomCharacter, NomRecognizeOptions } from './recognize-nom-column.ts';

/** What the thread is started with. */
export interface NomThreadSetup {
  dataDir: string | undefined;
  options: NomRecognizeOptions | undefined;
}

export type NomThreadRequest =
  | { kind: 'read'; id: number; crops: GreyRaster[] }
  | { kind: 'corrections'; id: number; crops: CorrectedCrop[] };

export type NomThreadReply =
  | { kind: 'ready' }
  | { kind: 'columns'; id: number; columns: NomCharacter[][] }
  | { kind: 'done'; id: number }
  | { kind: 'failed'; id: number; message: string };
