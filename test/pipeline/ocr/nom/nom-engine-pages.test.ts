import test from 'ava';
import sharp from 'sharp';

import { findVerticalColumns } from '../../../../pipeline/ocr/layout/index.ts';
import type { CorrectedCropSource } from '../../../../pipeline/ocr/nom/corrected-crop-source.ts';
import type { CorrectedCrop } from '../../../../pipeline/ocr/nom/corrected-templates.ts';
import { InThreadNomRecognizer, NomOcrEngine, NomRecognizerThread } from '../../../../pipeline/ocr/nom/index.ts';
import { renderSyntheticColumn } from '../../../../pipeline/ocr/nom/render-synthetic-column.ts';
import { cropRaster, type GreyRaster } from '../../../../pipeline/stages/skew-raster.ts';
import { characterErrorRate } from '../../../../pipeline/text/index.ts';
import { composeKieuPage, lineOverColumn } from '../layout/layout-test-pages.ts';
import { kieuColumns } from '../test-pages.ts';
import { nomModels, renderer } from './nom-test-helpers.ts';

async function png(raster: GreyRaster): Promise<Buffer> {
  return sharp(Buffer.from(raster.data), { raw: { width: raster.width, height: raster.height, channels: 1 } }).png().toBuffer();
}

/** A source whose crops the test changes, counting how often the engine rebuilt from it. */
class ChangingCrops implements CorrectedCropSource {
  current: CorrectedCrop[] = [];
  generation = 0;
  reads = 0;

  async version(): Promise<string> {
    return String(this.generation);
  }

  async crops(): Promise<CorrectedCrop[]> {
    this.reads += 1;
    return this.current;
  }
}

test('corrections learned while the engine runs are used from the next page on, rebuilt only when they change', async (t) => {
  const pua = '\u{F047C}';
  const hanazono = renderer('Hanazono Mincho');
  const column = async (text: string) => (await renderSyntheticColumn(text, hanazono, { emPixels: 36, gap: 3 })).column;
  const source = new ChangingCrops();
  const engine = new NomOcrEngine({ recognizer: new InThreadNomRecognizer(await nomModels()), corrections: source });
  const page = await png(await column('天𠊛龘𡦂人'));

  const before = await engine.recognize(page, 'nom-vert');
  t.false(before.text.includes(pua));
  await engine.recognize(page, 'nom-vert');
  t.is(source.reads, 1, 'the same corrections are not rebuilt for every page');

  // An operator corrects the middle character to a Nôm character that only exists in the PUA.
  source.current = [{ image: await column('龘'), label: pua }];
  source.generation += 1;
  const after = await engine.recognize(page, 'nom-vert');
  t.is(Array.from(after.text)[2], pua);
  t.is(source.reads, 2);
  await engine.close();
});

test('a whole page of real woodblock columns: each main column is read where it stands, about as well as its crop alone', async (t) => {
  const page = await composeKieuPage();
  const truths = await kieuColumns();
  const engine = new NomOcrEngine({ recognizer: new InThreadNomRecognizer(await nomModels()), columnFinder: (raster) => findVerticalColumns(raster) });
  const result = await engine.recognize(page.png, 'nom-vert');
  const mains = page.columns.filter((column) => column.kind === 'main');
  t.is(mains.length, truths.length);

  let pageErrors = 0;
  let cropErrors = 0;
  let length = 0;
  for (const [index, drawn] of mains.entries()) {
    const line = lineOverColumn(result.lines, drawn.box);
    if (line === undefined) return t.fail(`column ${index + 1} has no line`);
    const truth = truths[index]!.text;
    const alone = await engine.recognize(await png(cropRaster(page.raster, line.box)), 'nom-vert');
    const n = Array.from(truth).length;
    pageErrors += characterErrorRate(truth, line.text, { ignoreWhitespace: true }) * n;
    cropErrors += characterErrorRate(truth, alone.text, { ignoreWhitespace: true }) * n;
    length += n;
  }
  const pageCer = pageErrors / length;
  t.log(`CER on the page ${pageCer.toFixed(3)}, on its column crops ${(cropErrors / length).toFixed(3)}`);
  t.is(pageCer, cropErrors / length, 'a column is read on the page exactly as its crop alone');
  // The clean crops read at 0.47 (npm run eval-ocr); this page adds specks, rules, a frame and a
  // 0.5° turn, and reads at 0.65 (Tesseract's best on the clean crops: 0.78).
  t.true(pageCer < 0.72, `CER ${pageCer.toFixed(3)}`);
  await engine.close();
});

test('the worker thread reads what the calling thread reads and takes corrections; closed, it refuses', async (t) => {
  const pua = '\u{F047C}';
  const hanazono = renderer('Hanazono Mincho');
  const column = async (text: string) => (await renderSyntheticColumn(text, hanazono, { emPixels: 36, gap: 3 })).column;
  const crops = [await column('天𠊛龘𡦂人'), await column('人情喓𠻗')];
  const inThread = new InThreadNomRecognizer(await nomModels());
  const thread = new NomRecognizerThread();
  try {
    const [onThread, here] = [await thread.recognizeColumns(crops), await inThread.recognizeColumns(crops)];
    t.deepEqual(onThread, here, 'same characters, boxes, confidences and alternatives');

    const teach = [{ image: await column('龘'), label: pua }];
    await thread.useCorrections(teach);
    t.is(Array.from((await thread.recognizeColumns([crops[0]!]))[0]!.map((c) => c.text).join(''))[2], pua);
  } finally {
    await thread.close();
  }
  await t.throwsAsync(thread.recognizeColumns(crops), { message: /closed/ });
});
