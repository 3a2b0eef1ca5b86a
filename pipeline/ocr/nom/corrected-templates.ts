import { InvalidInputError } from '../../../storage/index.ts';
import type { GreyRaster } from '../../stages/skew-raster.ts';
import { codePoints } from '../../text/code-points.ts';
import { gaussianBlur, morph } from './degrade-glyph.ts';
import { featureLength, glyphFeatures, type FeatureParams } from './glyph-features.ts';
import { toInkImage } from './ink-image.ts';
import type { NomModels } from './load-nom-models.ts';
import { CORRECTIONS_FORMAT, decodeTemplateFile, encodeTemplateFile } from './nom-model-files.ts';
import { mergeTemplateSets, type TemplateSet } from './template-set.ts';

/** A character crop from a scan with the character a person confirmed it to be (PUA allowed). */
export interface CorrectedCrop {
  image: GreyRaster;
  /** Exactly one code point after NFC. */
  label: string;
}

/**
 * Templates from corrected crops: the library's own woodblocks, which resemble the next pages
 * far more than any font does. Each crop gives three prototypes (as is, blurred, thickened) so a
 * single correction already covers a little of the variation between impressions.
 */
export function correctedTemplates(crops: readonly CorrectedCrop[], params: FeatureParams): TemplateSet {
  const labels: string[] = [];
  const index = new Map<string, number>();
  const prototypeLabels: number[] = [];
  const dim = featureLength(params);
  const rows: Float32Array[] = [];
  for (const crop of crops) {
    const chars = codePoints(crop.label.normalize('NFC'));
    if (chars.length !== 1) {
      throw new InvalidInputError(`A corrected crop must be labelled with exactly one character, got "${crop.label}" (${chars.length} code points).`, {
        details: { label: crop.label },
      });
    }
    const label = chars[0] as string;
    let at = index.get(label);
    if (at === undefined) {
      at = labels.length;
      labels.push(label);
      index.set(label, at);
    }
    const ink = toInkImage(crop.image);
    for (const variant of [ink, gaussianBlur(ink, 0.7), morph(ink, 1)]) {
      rows.push(glyphFeatures(variant, params));
      prototypeLabels.push(at);
    }
  }
  const features = new Float32Array(rows.length * dim);
  rows.forEach((row, p) => features.set(row, p * dim));
  return { params, labels, prototypeLabels: Uint32Array.from(prototypeLabels), features };
}

/** The models with `extra` templates added (a new object; the given models are not changed). */
export function withCorrectedTemplates(models: NomModels, extra: TemplateSet): NomModels {
  if (JSON.stringify(extra.params) !== JSON.stringify(models.templates.params)) {
    throw new InvalidInputError('Corrected templates were made with other feature parameters than the loaded templates; rebuild them from their crops.');
  }
  return { ...models, templates: mergeTemplateSets(models.templates, extra) };
}

/** Serialises corrected templates (same layout and version check as the font templates). */
export function encodeCorrectedTemplates(set: TemplateSet): Buffer {
  return encodeTemplateFile(set, { format: CORRECTIONS_FORMAT, fonts: [], recipe: 'corrected crops: as is, blur σ 0.7, 1 px thicker' });
}

export function decodeCorrectedTemplates(bytes: Buffer, name = 'corrected templates'): TemplateSet {
  return decodeTemplateFile(bytes, CORRECTIONS_FORMAT, name).set;
}
