/**
 * Builds the data files of the `nom-vert` recogniser under pipeline/ocr/nom/data/:
 * the character bigram language model from the Hán-Nôm corpus, and glyph templates of every
 * non-PUA character of that corpus, rendered from Debian's CJK fonts (fonts-hanazono,
 * fonts-babelstone-han, fonts-cns11643-sung). Truyện Kiều is the evaluation text: a corpus file
 * that looks like it is refused.
 *
 *   npm run build-nom-templates [-- --corpus <folder>] [--out <folder>]
 */
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { countBigrams } from '../pipeline/ocr/nom/character-language-model.ts';
import { isPrivateUse } from '../pipeline/ocr/nom/han-nom-character.ts';
import { DEBIAN_HAN_FACES, FontGlyphRenderer } from '../pipeline/ocr/nom/font-glyph-renderer.ts';
import { DEFAULT_FEATURE_PARAMS, featureLength, glyphFeatures } from '../pipeline/ocr/nom/glyph-features.ts';
import { refuseEvaluationText } from '../pipeline/ocr/nom/refuse-evaluation-text.ts';
import { LANGUAGE_MODEL_FILE, TEMPLATES_FILE } from '../pipeline/ocr/nom/load-nom-models.ts';
import { encodeLanguageModelFile, encodeTemplateFile, TEMPLATES_FORMAT } from '../pipeline/ocr/nom/nom-model-files.ts';
import { TEMPLATE_EM_PIXELS, TEMPLATE_RECIPE, templateVariants } from '../pipeline/ocr/nom/template-variants.ts';
import { createLogger } from './app/logger.ts';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: path.resolve(root, '../shared/fixtures/hannom/corpus') },
    out: { type: 'string', default: path.join(root, 'pipeline/ocr/nom/data') },
  },
});
const logger = createLogger('info', 'build-nom-templates');

const corpusDir = values.corpus;
const files = (await readdir(corpusDir)).filter((name) => name.endsWith('.nom.txt')).sort();
const sources: { file: string; lines: number }[] = [];
const lines: string[] = [];
for (const file of files) {
  const text = (await readFile(path.join(corpusDir, file), 'utf8')).normalize('NFC');
  refuseEvaluationText(file, text);
  const fileLines = text.split('\n').filter((line) => line.trim().length > 0);
  sources.push({ file, lines: fileLines.length });
  lines.push(...fileLines);
}
const counts = countBigrams(lines);
const discount = 0.75;
await mkdir(values.out, { recursive: true });
await writeFile(path.join(values.out, LANGUAGE_MODEL_FILE), encodeLanguageModelFile({ smoothing: 'interpolated-kneser-ney', discount, sources, counts }));
logger.info({ sources, vocabulary: counts.vocabulary.length, bigramTypes: counts.bigrams.length / 3 }, 'language model written');

const renderers = DEBIAN_HAN_FACES.map((face) => new FontGlyphRenderer(face));
const characters = counts.vocabulary.filter((char) => !isPrivateUse(char)).sort();
const dim = featureLength(DEFAULT_FEATURE_PARAMS);
const labels: string[] = [];
const prototypeLabels: number[] = [];
const features: Float32Array[] = [];
const missing: string[] = [];
for (const [n, char] of characters.entries()) {
  let found = false;
  for (const renderer of renderers) {
    const clean = await renderer.render(char, TEMPLATE_EM_PIXELS);
    if (!clean) continue;
    if (!found) labels.push(char);
    found = true;
    const mean = new Float32Array(dim);
    const variants = templateVariants(clean);
    for (const variant of variants) {
      const feature = glyphFeatures(variant, DEFAULT_FEATURE_PARAMS);
      for (let i = 0; i < dim; i++) mean[i] = (mean[i] ?? 0) + (feature[i] ?? 0) / variants.length;
    }
    prototypeLabels.push(labels.length - 1);
    features.push(mean);
  }
  if (!found) missing.push(char);
  if ((n + 1) % 500 === 0) logger.info({ done: n + 1, of: characters.length }, 'rendering templates');
}
const flat = new Float32Array(features.length * dim);
features.forEach((feature, p) => {
  let norm = 0;
  for (const v of feature) norm += v * v;
  norm = Math.sqrt(norm);
  for (let i = 0; i < dim; i++) flat[p * dim + i] = (feature[i] ?? 0) / norm;
});
const bytes = encodeTemplateFile(
  { params: { ...DEFAULT_FEATURE_PARAMS }, labels, prototypeLabels: Uint32Array.from(prototypeLabels), features: flat },
  { format: TEMPLATES_FORMAT, fonts: renderers.map((renderer) => renderer.info()), recipe: TEMPLATE_RECIPE },
);
await writeFile(path.join(values.out, TEMPLATES_FILE), bytes);
logger.info(
  { labels: labels.length, prototypes: prototypeLabels.length, bytes: bytes.length, missing: missing.map((c) => `U+${c.codePointAt(0)?.toString(16).toUpperCase()}`) },
  'templates written',
);
