import { gunzipSync, gzipSync } from 'node:zlib';

import type { BigramCounts } from './character-language-model.ts';
import type { FontFaceInfo } from './font-glyph-renderer.ts';
import { featureLength, type FeatureParams } from './glyph-features.ts';
import { NomModelFormatError } from './nom-errors.ts';
import type { TemplateSet } from './template-set.ts';

/** Bumped whenever the layout of a file, or the meaning of the features, changes. */
export const NOM_TEMPLATES_VERSION = 1;
export const NOM_LANGUAGE_MODEL_VERSION = 1;

export const TEMPLATES_FORMAT = 'nom-vert-templates';
export const CORRECTIONS_FORMAT = 'nom-vert-corrected-templates';
export const LANGUAGE_MODEL_FORMAT = 'nom-vert-char-bigram';

/** Four bytes opening every template file (before gzip), so a stray file is named as such. */
const MAGIC = 'NOMT';

/** Pooled, normalised feature values lie in 0–1; this many steps per unit keeps them within a byte. */
const QUANT_SCALE = 1000;

/** What a template file says about itself, besides its prototypes. */
export interface TemplateFileHeader {
  format: typeof TEMPLATES_FORMAT | typeof CORRECTIONS_FORMAT;
  version: number;
  featureParams: FeatureParams;
  labels: string[];
  prototypes: number;
  quantScale: number;
  /** Faces the prototypes were rendered from (empty for corrected templates). */
  fonts: FontFaceInfo[];
  /** How the prototypes were made (degradations, averaging), for people reading the file. */
  recipe: string;
}

/**
 * Writes a template set: gzip of `NOMT`, a uint32 header length, the JSON header, one uint32
 * label index per prototype, then the features quantised to one byte per value.
 */
export function encodeTemplateFile(set: TemplateSet, meta: Pick<TemplateFileHeader, 'format' | 'fonts' | 'recipe'>): Buffer {
  const header: TemplateFileHeader = {
    ...meta,
    version: NOM_TEMPLATES_VERSION,
    featureParams: set.params,
    labels: [...set.labels],
    prototypes: set.prototypeLabels.length,
    quantScale: QUANT_SCALE,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const lengths = Buffer.alloc(8);
  lengths.write(MAGIC, 0, 'latin1');
  lengths.writeUInt32LE(json.length, 4);
  const labels = Buffer.from(new Uint32Array(set.prototypeLabels).buffer);
  const features = Buffer.alloc(set.features.length);
  for (let i = 0; i < set.features.length; i++) features[i] = Math.min(255, Math.round((set.features[i] ?? 0) * QUANT_SCALE));
  return gzipSync(Buffer.concat([lengths, json, labels, features]), { level: 9 });
}

/** Reads a file written by `encodeTemplateFile`, checking its format and version. */
export function decodeTemplateFile(file: Buffer, expected: TemplateFileHeader['format'], name: string): { set: TemplateSet; header: TemplateFileHeader } {
  let bytes: Buffer;
  try {
    bytes = gunzipSync(file);
  } catch (error) {
    throw new NomModelFormatError(`${name} is not a gzip file; rebuild it with npm run build-nom-templates.`, { cause: error });
  }
  if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== MAGIC) {
    throw new NomModelFormatError(`${name} is not a Nôm template file; rebuild it with npm run build-nom-templates.`);
  }
  const headerLength = bytes.readUInt32LE(4);
  const header = JSON.parse(bytes.toString('utf8', 8, 8 + headerLength)) as TemplateFileHeader;
  if (header.format !== expected) {
    throw new NomModelFormatError(`${name} holds ${header.format}, expected ${expected}.`);
  }
  if (header.version !== NOM_TEMPLATES_VERSION) {
    throw new NomModelFormatError(
      `${name} is template format version ${header.version}; this code reads version ${NOM_TEMPLATES_VERSION}. Rebuild it with npm run build-nom-templates (corrected templates: export them again from their source crops).`,
      { details: { found: header.version, expected: NOM_TEMPLATES_VERSION } },
    );
  }
  const dim = featureLength(header.featureParams);
  const labelsAt = 8 + headerLength;
  const featuresAt = labelsAt + 4 * header.prototypes;
  if (bytes.length !== featuresAt + dim * header.prototypes) {
    throw new NomModelFormatError(`${name} is truncated or damaged (${bytes.length} bytes); rebuild it.`);
  }
  const prototypeLabels = new Uint32Array(header.prototypes);
  for (let p = 0; p < header.prototypes; p++) prototypeLabels[p] = bytes.readUInt32LE(labelsAt + 4 * p);
  const features = new Float32Array(dim * header.prototypes);
  for (let i = 0; i < features.length; i++) features[i] = (bytes[featuresAt + i] ?? 0) / header.quantScale;
  for (let p = 0; p < header.prototypes; p++) renormalize(features, p * dim, dim);
  return { set: { params: header.featureParams, labels: header.labels, prototypeLabels, features }, header };
}

/** Undoes the quantisation's small change of length, so dot products stay cosine similarities. */
function renormalize(features: Float32Array, from: number, dim: number): void {
  let norm = 0;
  for (let i = from; i < from + dim; i++) norm += (features[i] ?? 0) ** 2;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = from; i < from + dim; i++) features[i] = (features[i] ?? 0) / norm;
}

/** What the language model file holds: counts (probabilities are computed on load) and where they came from. */
export interface LanguageModelFile {
  format: typeof LANGUAGE_MODEL_FORMAT;
  version: number;
  smoothing: 'interpolated-kneser-ney';
  discount: number;
  /** Corpus files and their line counts. */
  sources: { file: string; lines: number }[];
  counts: BigramCounts;
}

export function encodeLanguageModelFile(model: Omit<LanguageModelFile, 'format' | 'version'>): Buffer {
  const file: LanguageModelFile = { format: LANGUAGE_MODEL_FORMAT, version: NOM_LANGUAGE_MODEL_VERSION, ...model };
  return gzipSync(Buffer.from(JSON.stringify(file), 'utf8'), { level: 9 });
}

export function decodeLanguageModelFile(bytes: Buffer, name: string): LanguageModelFile {
  let file: LanguageModelFile;
  try {
    file = JSON.parse(gunzipSync(bytes).toString('utf8')) as LanguageModelFile;
  } catch (error) {
    throw new NomModelFormatError(`${name} is not a gzipped JSON language model; rebuild it with npm run build-nom-templates.`, { cause: error });
  }
  if (file.format !== LANGUAGE_MODEL_FORMAT) throw new NomModelFormatError(`${name} holds ${String(file.format)}, expected ${LANGUAGE_MODEL_FORMAT}.`);
  if (file.version !== NOM_LANGUAGE_MODEL_VERSION) {
    throw new NomModelFormatError(
      `${name} is language model format version ${file.version}; this code reads version ${NOM_LANGUAGE_MODEL_VERSION}. Rebuild it with npm run build-nom-templates.`,
      { details: { found: file.version, expected: NOM_LANGUAGE_MODEL_VERSION } },
    );
  }
  return file;
}
