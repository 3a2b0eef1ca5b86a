import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, copyFile, mkdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

import { ConfigurationError } from '../../storage/index.ts';
import { TESSERACT_LANGUAGES, type TesseractLanguage } from './tesseract-profile.ts';

/**
 * The two model sets the `@tesseract.js-data/*` packages ship: `4.0.0_best_int` holds the LSTM
 * models only; `4.0.0` also holds the legacy engine's data (much larger for `chi_tra`) with the
 * same LSTM models, which is all the engine uses (OEM 1, LSTM only).
 */
export const TESSERACT_DATA_VARIANTS = ['4.0.0_best_int', '4.0.0'] as const;
export type TesseractDataVariant = (typeof TESSERACT_DATA_VARIANTS)[number];

const requireFromHere = createRequire(import.meta.url);

/**
 * The gzipped traineddata file of `language` inside its npm package (resolved through Node's
 * module resolution, never a URL).
 *
 * @throws ConfigurationError when the package is not installed.
 */
export function languageDataFile(language: TesseractLanguage, variant: TesseractDataVariant): string {
  let manifest: string;
  try {
    manifest = requireFromHere.resolve(`@tesseract.js-data/${language}/package.json`);
  } catch (cause) {
    throw new ConfigurationError(
      `The OCR language data package @tesseract.js-data/${language} is not installed; run npm install.`,
      { cause },
    );
  }
  return path.join(path.dirname(manifest), variant, `${language}.traineddata.gz`);
}

/**
 * Makes `folder` a Tesseract `langPath`: one `{language}.traineddata.gz` per language, linked
 * (or, where links are not allowed, copied) from the npm packages, so that a worker loading
 * several languages (`vie+chi_tra`) finds them all in one local folder. Safe to run again and
 * concurrently on the same folder.
 *
 * @throws ConfigurationError when a data file is missing or the folder cannot be written.
 */
export async function assembleLanguageData(folder: string, variant: TesseractDataVariant): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (cause) {
    throw new ConfigurationError(`Cannot create the OCR language data folder "${folder}"; check its permissions.`, { cause });
  }
  for (const language of TESSERACT_LANGUAGES) {
    const source = languageDataFile(language, variant);
    try {
      await access(source, constants.R_OK);
    } catch (cause) {
      throw new ConfigurationError(
        `OCR language data "${source}" is missing or unreadable; reinstall @tesseract.js-data/${language}.`,
        { cause },
      );
    }
    const target = path.join(folder, `${language}.traineddata.gz`);
    if (await linksTo(target, source)) continue;
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      try {
        await symlink(source, temporary);
      } catch {
        await copyFile(source, temporary);
      }
      await rename(temporary, target);
    } catch (cause) {
      await rm(temporary, { force: true });
      throw new ConfigurationError(`Cannot write OCR language data into "${folder}"; check its permissions.`, { cause });
    }
  }
}

async function linksTo(link: string, source: string): Promise<boolean> {
  try {
    return (await readlink(link)) === source;
  } catch {
    return false;
  }
}
