import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { CharacterLanguageModel } from './character-language-model.ts';
import { NomModelFormatError } from './nom-errors.ts';
import { decodeLanguageModelFile, decodeTemplateFile, TEMPLATES_FORMAT, type TemplateFileHeader } from './nom-model-files.ts';
import type { TemplateSet } from './template-set.ts';

export const TEMPLATES_FILE = 'nom-templates.bin.gz';
export const LANGUAGE_MODEL_FILE = 'nom-char-bigram.json.gz';
/** Where `npm run build-nom-templates` writes the data files. */
export const DEFAULT_NOM_DATA_DIR = path.join(import.meta.dirname, 'data');

/** What `recognizeNomColumn` needs: glyph templates and the character language model. */
export interface NomModels {
  templates: TemplateSet;
  languageModel: CharacterLanguageModel;
  /** Header of the template file (fonts, versions, recipe), for diagnostics. */
  templateInfo: Omit<TemplateFileHeader, 'labels'>;
}

/** Reads the template and language-model files from `dir`, checking their formats and versions. */
export async function loadNomModels(dir: string = DEFAULT_NOM_DATA_DIR): Promise<NomModels> {
  const read = async (name: string): Promise<Buffer> => {
    try {
      return await readFile(path.join(dir, name));
    } catch (error) {
      throw new NomModelFormatError(`Nôm model file ${path.join(dir, name)} cannot be read; build it with npm run build-nom-templates.`, {
        cause: error,
      });
    }
  };
  const { set, header } = decodeTemplateFile(await read(TEMPLATES_FILE), TEMPLATES_FORMAT, TEMPLATES_FILE);
  const lm = decodeLanguageModelFile(await read(LANGUAGE_MODEL_FILE), LANGUAGE_MODEL_FILE);
  const templateInfo: NomModels['templateInfo'] = {
    format: header.format,
    version: header.version,
    featureParams: header.featureParams,
    prototypes: header.prototypes,
    quantScale: header.quantScale,
    fonts: header.fonts,
    recipe: header.recipe,
  };
  return { templates: set, languageModel: new CharacterLanguageModel(lm.counts, lm.discount), templateInfo };
}
