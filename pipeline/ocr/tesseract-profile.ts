import type { OcrProfile } from '../../repository/index.ts';
import { InvalidInputError } from '../../storage/index.ts';

/** The Tesseract traineddata files the engine may load (one `@tesseract.js-data/*` package each). */
export const TESSERACT_LANGUAGES = ['vie', 'chi_tra', 'chi_tra_vert'] as const;
export type TesseractLanguage = (typeof TESSERACT_LANGUAGES)[number];

/** How Tesseract is to read a profile's pages. */
export interface TesseractProfile {
  /** Loaded together in one worker, e.g. `['vie', 'chi_tra']` → `vie+chi_tra`. */
  languages: readonly TesseractLanguage[];
  direction: 'horizontal' | 'vertical-rl';
  /** Repair the OCR look-alikes of Vietnamese letters (`Ð` eth for `Đ`). */
  vietnamese: boolean;
}

const PROFILES = {
  vie: { languages: ['vie'], direction: 'horizontal', vietnamese: true },
  han: { languages: ['chi_tra'], direction: 'horizontal', vietnamese: false },
  'han-vert': { languages: ['chi_tra_vert'], direction: 'vertical-rl', vietnamese: false },
  'vie+han': { languages: ['vie', 'chi_tra'], direction: 'horizontal', vietnamese: true },
} as const satisfies { [K in Exclude<OcrProfile, NomProfile>]: TesseractProfile };

/** The profiles whose columns the Nôm recogniser reads (alone, or in turn with Tesseract's Hán). */
export type NomProfile = 'nom-vert' | 'han-nom-vert';

/**
 * @throws InvalidInputError for a value that is not an `OcrProfile` (it came from outside the
 * type system), or a profile Tesseract alone cannot read (`NomProfile`).
 */
export function tesseractProfile(profile: OcrProfile): TesseractProfile {
  if (profile === 'nom-vert' || profile === 'han-nom-vert') {
    throw new InvalidInputError(`OCR profile "${profile}" needs the Nôm recogniser; Tesseract alone cannot read it.`);
  }
  if (!Object.hasOwn(PROFILES, profile)) {
    throw new InvalidInputError(
      `Unknown OCR profile "${String(profile)}": use one of ${Object.keys(PROFILES).join(', ')}.`,
    );
  }
  return PROFILES[profile];
}
