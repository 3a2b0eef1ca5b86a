import test from 'ava';
import sharp from 'sharp';

import { columnCuts } from '../../../../pipeline/ocr/nom/column-cuts.ts';
import { gaussianBlur } from '../../../../pipeline/ocr/nom/degrade-glyph.ts';
import {
  correctedTemplates,
  decodeCorrectedTemplates,
  encodeCorrectedTemplates,
  InThreadNomRecognizer,
  NomOcrEngine,
  recognizeNomColumn,
  splitColumn,
  withCorrectedTemplates,
} from '../../../../pipeline/ocr/nom/index.ts';
import { toInkImage } from '../../../../pipeline/ocr/nom/ink-image.ts';
import { renderSyntheticColumn } from '../../../../pipeline/ocr/nom/render-synthetic-column.ts';
import { cropRaster, type GreyRaster } from '../../../../pipeline/stages/skew-raster.ts';
import { InvalidInputError } from '../../../../storage/index.ts';
import { lucVanTienLines, nomModels, renderer } from './nom-test-helpers.ts';

const EM = 36;

async function column(text: string, face: Parameters<typeof renderer>[0] = 'BabelStone Han'): Promise<GreyRaster> {
  const { column: raster, missing } = await renderSyntheticColumn(text, renderer(face), {
    emPixels: EM,
    gap: 3,
    degrade: (ink) => gaussianBlur(ink, 0.6),
  });
  if (missing.length > 0) throw new Error(`${face} lacks ${missing.join('')}`);
  return raster;
}

async function png(raster: GreyRaster): Promise<Buffer> {
  return sharp(Buffer.from(raster.data), { raw: { width: raster.width, height: raster.height, channels: 1 } }).png().toBuffer();
}

test('a rendered column is cut into as many characters as it holds, in order, boxes inside their cells', async (t) => {
  const models = await nomModels();
  const lines = await lucVanTienLines();
  for (const text of [lines[0] as string, lines[1] as string]) {
    const chars = Array.from(text);
    const raster = await column(text);
    const { cuts } = columnCuts(toInkImage(raster));
    for (let k = 1; k < chars.length; k++) {
      const boundary = 2 + k * (EM + 3) - 1.5;
      t.true(cuts.some((cut) => Math.abs(cut - boundary) <= 4), `a cut near row ${boundary}`);
    }
    const read = recognizeNomColumn(raster, models);
    t.is(read.length, chars.length, `${text} read as ${read.map((c) => c.text).join('')}`);
    read.forEach((character, k) => {
      t.true(character.box.y >= 2 + k * (EM + 3) - 3 && character.box.y + character.box.height <= 2 + (k + 1) * (EM + 3) + 1);
    });
    t.true(read.filter((character, k) => character.text === chars[k]).length >= chars.length - 2, read.map((c) => c.text).join(''));
    t.is(splitColumn(raster, chars.length).length, chars.length);
  }
});

test('alternatives are ranked, start with the reading, and carry scores the editor can show', async (t) => {
  const models = await nomModels();
  const read = recognizeNomColumn(await column('天地人'), models, { topK: 5 });
  for (const character of read) {
    t.is(character.alternatives[0]?.text, character.text);
    t.true(character.alternatives.length === 5);
    t.true(character.alternatives.every((alternative) => alternative.score >= 0 && alternative.score <= 1));
    t.true(character.confidence >= 0 && character.confidence <= 100);
  }
});

test('a PUA character taught from a corrected crop is recognised; astral characters survive', async (t) => {
  const base = await nomModels();
  const pua = '\u{F047C}';
  // Stands in for a woodblock glyph no font has: a Hanazono character outside the corpus, labelled PUA.
  const teach = await column('龘', 'Hanazono Mincho');
  const extra = correctedTemplates([{ image: teach, label: pua }], base.templates.params);
  const restored = decodeCorrectedTemplates(encodeCorrectedTemplates(extra));
  t.deepEqual(restored.labels, [pua]);
  const models = withCorrectedTemplates(base, restored);
  t.is(base.templates.labels.includes(pua), false, 'the loaded models are unchanged');
  const text = '𠊛龘𡦂';
  const read = recognizeNomColumn(await column(text, 'Hanazono Mincho'), models).map((c) => c.text);
  t.deepEqual(read, ['𠊛', pua, '𡦂']);
});

test('a label of more than one character is refused', async (t) => {
  const { templates } = await nomModels();
  const image = cropRaster(await column('天'), { x: 0, y: 0, width: 40, height: 40 });
  t.throws(() => correctedTemplates([{ image, label: '天地' }], templates.params), { instanceOf: InvalidInputError });
});

test('the engine reads a column crop into an OcrResult with character words and alternatives', async (t) => {
  const engine = new NomOcrEngine({ recognizer: new InThreadNomRecognizer(await nomModels()) });
  const text = (await lucVanTienLines())[2] as string;
  const result = await engine.recognize(await png(await column(text, 'Hanazono Mincho')), 'nom-vert');
  t.is(result.direction, 'vertical-rl');
  t.is(result.languages, 'nom');
  t.is(result.lines.length, 1);
  t.is(result.text, result.text.normalize('NFC'));
  t.is(Array.from(result.text).length, Array.from(text).length);
  const word = result.lines[0]?.words[0];
  t.truthy(word?.alternatives && word.alternatives.length > 0);
  t.false(word?.alternatives?.some((alternative) => alternative.text === word.text));
  t.regex(result.hocr, /class="ocrx_word"/u);
  t.regex(result.hocr, /textangle 90/u);
  await t.throwsAsync(engine.recognize(await png(await column('天地人')), 'han-vert'), { instanceOf: InvalidInputError });
  const page = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#fff' } }).png().toBuffer();
  await t.throwsAsync(engine.recognize(page, 'nom-vert'), { instanceOf: InvalidInputError, message: /column finder/u });
  await t.throwsAsync(engine.recognize(Buffer.from('not an image'), 'nom-vert'), { instanceOf: InvalidInputError });
  await engine.close();
});
