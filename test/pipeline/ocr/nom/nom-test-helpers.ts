import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { loadNomModels, type NomModels } from '../../../../pipeline/ocr/nom/index.ts';
import { DEBIAN_HAN_FACES, FontGlyphRenderer } from '../../../../pipeline/ocr/nom/font-glyph-renderer.ts';
import { FIXTURES } from '../test-pages.ts';

export const CORPUS = path.join(FIXTURES, 'hannom/corpus');

let models: Promise<NomModels> | undefined;

/** The committed data files, loaded once per test file. */
export function nomModels(): Promise<NomModels> {
  models ??= loadNomModels();
  return models;
}

/** A renderer for one of the Debian faces, by name. */
export function renderer(name: 'Hanazono Mincho' | 'BabelStone Han' | 'TW-Sung'): FontGlyphRenderer {
  const face = DEBIAN_HAN_FACES.find((candidate) => candidate.name === name);
  if (!face) throw new Error(`no face ${name}`);
  return new FontGlyphRenderer(face);
}

/** Lines of Lục Vân Tiên, NFC. */
export async function lucVanTienLines(): Promise<string[]> {
  const text = await readFile(path.join(CORPUS, 'luc-van-tien.nom.txt'), 'utf8');
  return text.normalize('NFC').split('\n').filter((line) => line.trim().length > 0);
}
