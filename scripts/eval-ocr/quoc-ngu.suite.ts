import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { CompareTextOptions } from '../../pipeline/ocr/evaluation/index.ts';
import { deskewPage } from '../../pipeline/stages/deskew.stage.ts';
import { renderTextPageWithLines } from '../../test/pipeline/deskew-helpers/text-page.ts';
import { FIXTURES } from '../../test/pipeline/ocr/test-pages.ts';
import { degradePage, type Degradation } from './degrade-page.ts';
import type { EvaluationSuite, SuiteContext } from './evaluation-suite.ts';
import { evaluateOcrDataset, type OcrSample } from './ocr-samples.ts';
import { requireFixture, take, tesseractEngine } from './suite-helpers.ts';

/**
 * Generated pages: seeded text (DejaVu Serif, 1100 × 1500 px), font sizes 20–34 px, and mild
 * degradation; every page goes through the deskew stage before OCR, as in the pipeline.
 */
const GENERATED: ReadonlyArray<{ fontSize: number } & Degradation> = [
  { seed: 1, fontSize: 24, blur: 0, noise: 0, angle: 0 },
  { seed: 2, fontSize: 20, blur: 0.5, noise: 8, angle: -0.6 },
  { seed: 3, fontSize: 28, blur: 0, noise: 20, angle: 1.2 },
  { seed: 4, fontSize: 22, blur: 0.8, noise: 12, angle: 1.8 },
  { seed: 5, fontSize: 34, blur: 1, noise: 16, angle: -2.5 },
  { seed: 6, fontSize: 26, blur: 0.6, noise: 25, angle: 0.4 },
];

/**
 * The hand-checked transcription of page 1 of vietsample.tif, line for line as printed (typos of
 * the print kept). Its page 2 and the other two files have none, so they are not measured.
 */
const VIETSAMPLE_TRUTH = path.resolve(import.meta.dirname, '../../test/pipeline/ocr/fixtures/vietsample-page1.txt');
const VIETSAMPLE = path.join(FIXTURES, 'vietnamese/vietsample.tif');

/** Quốc ngữ: a missing or extra word break is an error, layout is not; every printed line is a sequence. */
const COMPARE: CompareTextOptions = { whitespace: 'collapse', sequences: 'lines' };

function generatedSamples(context: SuiteContext): OcrSample[] {
  return GENERATED.map((page) => {
    const name = `page-${page.seed} (${page.fontSize} px, blur ${page.blur}, noise ${page.noise}, ${page.angle}°)`;
    return {
      name,
      load: async () => {
        const rendered = await renderTextPageWithLines({ seed: page.seed, fontSize: page.fontSize });
        const scanned = path.join(context.workDir, `quoc-ngu-${page.seed}.png`);
        await writeFile(scanned, await degradePage(rendered.png, page));
        const deskewed = path.join(context.workDir, `quoc-ngu-${page.seed}.tif`);
        await deskewPage({ path: scanned }, deskewed);
        return { image: { path: deskewed }, reference: rendered.lines.join('\n') };
      },
    };
  });
}

export const quocNgu: EvaluationSuite = {
  name: 'quoc-ngu',
  description:
    'Quốc ngữ, profile vie: generated pages (seeded text, 20–34 px, blur, noise, turned ≤ 2.5° then deskewed) ' +
    'and page 1 of the real vietsample.tif: CER (word breaks count, layout does not), printed lines read exactly',
  async run(context) {
    const engine = await tesseractEngine(context);
    const reference = await readFile(await requireFixture(VIETSAMPLE_TRUTH), 'utf8');
    const image = { path: await requireFixture(VIETSAMPLE) };
    const scan: OcrSample = { name: 'vietsample.tif page 1', load: async () => ({ image, reference }) };
    return [
      await evaluateOcrDataset(engine, {
        suite: 'quoc-ngu',
        profile: 'vie',
        dataset: 'generated pages',
        samples: take(generatedSamples(context), context.limit),
        compare: COMPARE,
      }),
      await evaluateOcrDataset(engine, {
        suite: 'quoc-ngu',
        profile: 'vie',
        dataset: 'vietsample.tif p1',
        samples: take([scan], context.limit),
        compare: COMPARE,
      }),
    ];
  },
};
