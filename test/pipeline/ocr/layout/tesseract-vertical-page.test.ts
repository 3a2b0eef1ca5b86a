import test from 'ava';
import sharp from 'sharp';

import { TesseractOcrEngine } from '../../../../pipeline/ocr/index.ts';
import type { Box } from '../../../../pipeline/ocr/ocr-result.ts';
import { checkXmlNesting } from '../test-pages.ts';
import { composeKieuPage } from './layout-test-pages.ts';

// One worker: the suite shares two cores with other engineers' tests.
let engine: TesseractOcrEngine;

test.before(async () => {
  engine = await TesseractOcrEngine.create({ poolSize: 1 });
});

test.after.always(async () => {
  await engine?.close();
});

function inside(inner: Box, outer: Box, tolerance: number): boolean {
  return (
    inner.x >= outer.x - tolerance &&
    inner.y >= outer.y - tolerance &&
    inner.x + inner.width <= outer.x + outer.width + tolerance &&
    inner.y + inner.height <= outer.y + outer.height + tolerance
  );
}

function unionOf(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

function centreIn(inner: Box, outer: Box): boolean {
  const x = inner.x + inner.width / 2;
  const y = inner.y + inner.height / 2;
  return x >= outer.x && x <= outer.x + outer.width && y >= outer.y && y <= outer.y + outer.height;
}

test('han-vert reads a page column by column: right to left, characters inside their columns, each as its crop alone', async (t) => {
  const page = await composeKieuPage();
  const result = await engine.recognize(page.png, 'han-vert');
  t.is(result.direction, 'vertical-rl');
  t.is(result.languages, 'chi_tra_vert');
  t.is(result.text, result.lines.map((line) => line.text).join('\n'));
  t.is(checkXmlNesting(result.hocr), undefined);
  t.is(result.hocr.match(/class="ocrx_word"/gu)?.length, result.lines.reduce((sum, line) => sum + line.words.length, 0));

  // Drawn regions in reading order: each main column, and each note as the pair of its
  // sub-columns (half-size characters that touch make part of a pair look like one column).
  const regions: { box: Box; main?: number }[] = [];
  for (const [index, drawn] of page.columns.entries()) {
    const pair = drawn.kind === 'note' ? regions.at(-1) : undefined;
    if (pair !== undefined && pair.main === undefined) pair.box = unionOf(pair.box, drawn.box);
    else regions.push(drawn.kind === 'main' ? { box: drawn.box, main: index } : { box: drawn.box });
  }
  const regionOf = result.lines.map((line) => regions.findIndex((region) => centreIn(line.box, region.box)));
  t.log(result.lines.map((line, i) => `${regionOf[i]} ${JSON.stringify(line.box)} ${line.text}`).join('\n'));
  t.false(regionOf.includes(-1), 'every line in a drawn column');
  t.deepEqual(regionOf, [...regionOf].sort((a, b) => a - b), 'reading order: right to left, notes after their main column');
  const mainRegions = regions.flatMap((region, index) => (region.main === undefined ? [] : [index]));
  t.deepEqual(mainRegions.filter((index) => regionOf.includes(index)), mainRegions, 'a line for every main column');

  // Every character within its line, and where its column was drawn: within the 8 px the
  // finder's own test allows (specks, the page turned 0.5°) and the crop's 1 px margin; for notes only
  // across, as there too (a speck just below a note joins it, and Tesseract may read it).
  for (const [i, line] of result.lines.entries()) {
    const region = regions[regionOf[i]!]!;
    const drawn = region.main === undefined ? { ...region.box, y: line.box.y, height: line.box.height } : region.box;
    for (const word of line.words) {
      t.true(inside(word.box, line.box, 0) && inside(word.box, drawn, 9), `${word.text} ${JSON.stringify(word.box)} in ${JSON.stringify(drawn)}`);
    }
  }

  // Consistency: a main column read within the page reads as its crop alone does.
  for (const region of [mainRegions[0]!, mainRegions[7]!, mainRegions.at(-1)!]) {
    const line = result.lines[regionOf.indexOf(region)]!;
    const { x: left, y: top, width, height } = line.box;
    const crop = await sharp(page.png).extract({ left, top, width, height }).png().toBuffer();
    const alone = await engine.recognize(crop, 'han-vert');
    t.is(alone.lines.length, 1);
    t.is(alone.text, line.text, `main column at ${JSON.stringify(line.box)}`);
    t.deepEqual(
      alone.lines[0]!.words.map((word) => [word.text, word.box.y + top]),
      line.words.map((word) => [word.text, word.box.y]),
    );
  }
});
