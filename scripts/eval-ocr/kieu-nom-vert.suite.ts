import sharp from 'sharp';

import {
  correctedTemplates,
  InThreadNomRecognizer,
  loadNomModels,
  NomOcrEngine,
  splitColumn,
  withCorrectedTemplates,
  type CorrectedCrop,
} from '../../pipeline/ocr/nom/index.ts';
import { addNoise, gaussianBlur, morph } from '../../pipeline/ocr/nom/degrade-glyph.ts';
import { toInkImage, type InkImage } from '../../pipeline/ocr/nom/ink-image.ts';
import { readGreyImage } from '../../pipeline/ocr/read-page-image.ts';
import { cropRaster, type GreyRaster } from '../../pipeline/stages/skew-raster.ts';
import { kieuColumns } from '../../test/pipeline/ocr/test-pages.ts';
import type { EvaluationSuite } from './evaluation-suite.ts';
import { kieuColumnsSuite } from './kieu-columns.suite.ts';
import { evaluateOcrDataset, type OcrSample } from './ocr-samples.ts';
import { requireFixture, take } from './suite-helpers.ts';

/** The Nôm recogniser with nothing of Kiều in its templates or language model. */
export const kieuNomVert = kieuColumnsSuite({
  name: 'kieu-nom-vert',
  profile: 'nom-vert',
  engine: (context) => context.engine('nom', () => NomOcrEngine.create()),
});

/** Variations of a crop, as another impression or scan of the same woodblock might look. */
const VARIATIONS: ReadonlyArray<{ name: string; apply(ink: InkImage, seed: number): InkImage }> = [
  { name: 'blur 0.8 + noise', apply: (ink, seed) => addNoise(gaussianBlur(ink, 0.8), 0.08, seed) },
  { name: 'thicker + noise', apply: (ink, seed) => addNoise(blend(ink, morph(ink, 1)), 0.06, seed) },
  { name: 'thinner + blur 0.5', apply: (ink) => gaussianBlur(blend(ink, morph(ink, -1)), 0.5) },
];

function blend(a: InkImage, b: InkImage): InkImage {
  return { ...a, data: a.data.map((v, i) => 0.5 * v + 0.5 * (b.data[i] ?? 0)) };
}

async function toPng(ink: InkImage): Promise<Buffer> {
  const grey = Buffer.from(ink.data.map((v) => Math.round(255 * (1 - Math.min(1, Math.max(0, v))))));
  return sharp(grey, { raw: { width: ink.width, height: ink.height, channels: 1 } }).png().toBuffer();
}

/**
 * The learning loop: every character of the 16 crops, cut at the split that fits its corrected
 * text, becomes a template (PUA included); then generated variations of the crops are read with
 * the font templates only and with the corrections added. It shows what correcting a few pages
 * buys on further impressions of the same blocks, not accuracy on unseen text.
 */
export const kieuNomVertLearningLoop: EvaluationSuite = {
  name: 'kieu-nom-vert-learning-loop',
  description:
    'Truyện Kiều 1866 crops (profile nom-vert): their corrected characters added as templates, then 3 generated variations ' +
    'of each crop (blur+noise, thicker, thinner) read without and with those templates',
  async run(context) {
    const columns = take(await kieuColumns(), context.limit);
    const crops: CorrectedCrop[] = [];
    const rasters: { name: string; raster: GreyRaster; text: string }[] = [];
    for (const column of columns) {
      const raster = await readGreyImage({ path: await requireFixture(column.file) });
      const chars = Array.from(column.text);
      splitColumn(raster, chars.length).forEach((box, k) => crops.push({ image: cropRaster(raster, box), label: chars[k] as string }));
      rasters.push({ name: column.file.split('/').pop() ?? column.file, raster, text: column.text });
    }
    const samples: OcrSample[] = rasters.flatMap(({ name, raster, text }, n) =>
      VARIATIONS.map((variation, v) => ({
        name: `${name} ${variation.name}`,
        load: async () => ({ image: await toPng(variation.apply(toInkImage(raster), 1000 * n + v)), reference: text }),
      })),
    );
    const base = await loadNomModels();
    const corrected = withCorrectedTemplates(base, correctedTemplates(crops, base.templates.params));
    const compare = { whitespace: 'ignore', sequences: 'text' } as const;
    const dataset = { suite: 'kieu-nom-vert-learning-loop', profile: 'nom-vert', samples, compare } as const;
    return [
      await evaluateOcrDataset(new NomOcrEngine({ recognizer: new InThreadNomRecognizer(base) }), { ...dataset, dataset: 'kieu1866 variations, font templates' }),
      await evaluateOcrDataset(new NomOcrEngine({ recognizer: new InThreadNomRecognizer(corrected) }), { ...dataset, dataset: 'kieu1866 variations, + corrected crops' }),
    ];
  },
};
