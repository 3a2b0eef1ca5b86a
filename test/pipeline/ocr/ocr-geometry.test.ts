import test from 'ava';

import { buildHocr } from '../../../pipeline/ocr/build-hocr.ts';
import { preparedSize, toSourceBox, type ImageTransform } from '../../../pipeline/ocr/image-transform.ts';
import { parseTesseractBlocks, plainText } from '../../../pipeline/ocr/parse-tesseract-blocks.ts';
import { removeRulingLines } from '../../../pipeline/ocr/remove-ruling-lines.ts';

test('boxes lose the padding', (t) => {
  const transform: ImageTransform = { sourceWidth: 100, sourceHeight: 50, rotatedCcw: false, pad: 12 };
  t.deepEqual(preparedSize(transform), { width: 124, height: 74 });
  t.deepEqual(toSourceBox({ x0: 22, y0: 17, x1: 42, y1: 37 }, transform), { x: 10, y: 5, width: 20, height: 20 });
  // Reaching into the padding is clipped; lying wholly in it collapses onto the edge.
  t.deepEqual(toSourceBox({ x0: 0, y0: 0, x1: 30, y1: 30 }, transform), { x: 0, y: 0, width: 18, height: 18 });
  t.deepEqual(toSourceBox({ x0: 115, y0: 0, x1: 124, y1: 5 }, transform), { x: 100, y: 0, width: 0, height: 0 });
});

test('boxes of an image turned 90° counter-clockwise go back to the upright source', (t) => {
  // A 30 × 200 column: turned counter-clockwise it is 200 × 30, its top now at the left.
  const transform: ImageTransform = { sourceWidth: 30, sourceHeight: 200, rotatedCcw: true, pad: 12 };
  t.deepEqual(preparedSize(transform), { width: 224, height: 54 });
  // A character drawn at x 5–25, y 40–70 of the column lies at u 40–70, v (30 − 25)–(30 − 5) once turned.
  const turned = { x0: 40 + 12, y0: 5 + 12, x1: 70 + 12, y1: 25 + 12 };
  t.deepEqual(toSourceBox(turned, transform), { x: 5, y: 40, width: 20, height: 30 });
  // The whole prepared image maps to the whole source.
  t.deepEqual(toSourceBox({ x0: 0, y0: 0, x1: 224, y1: 54 }, transform), { x: 0, y: 0, width: 30, height: 200 });
});

test('ruling lines are whitened, characters are kept', (t) => {
  const width = 300;
  const height = 400;
  const pixels = new Uint8Array(width * height).fill(255);
  const ink = (x: number, y: number): void => {
    pixels[y * width + x] = 0;
  };
  // A frame, a slightly slanted rule between columns, and two "characters" with long strokes.
  for (let x = 10; x < 290; x += 1) for (let y = 10; y < 13; y += 1) ink(x, y);
  for (let y = 10; y < 390; y += 1) for (let x = 10; x < 12; x += 1) ink(x, y);
  for (let y = 10; y < 390; y += 1) ink(150 + Math.floor(y / 200), y);
  for (let y = 50; y < 80; y += 1) ink(100, y); // a vertical stroke, 30 px
  for (let x = 90; x < 120; x += 1) ink(x, 65); // a horizontal stroke, 30 px
  const removed = removeRulingLines(pixels, width, height);
  t.true(removed > 0);
  t.is(pixels[11 * width + 200], 255, 'frame top');
  t.is(pixels[200 * width + 11], 255, 'frame left');
  t.is(pixels[100 * width + 150], 255, 'column rule, upper part');
  t.is(pixels[300 * width + 151], 255, 'column rule, lower part');
  t.is(pixels[60 * width + 100], 0, 'vertical stroke kept');
  t.is(pixels[65 * width + 110], 0, 'horizontal stroke kept');
});

test('a small image is left alone', (t) => {
  const pixels = new Uint8Array(30 * 110).fill(0);
  t.is(removeRulingLines(pixels, 30, 110), 0); // bands too short to tell a rule from a stroke
  t.true(pixels.every((value) => value === 0));
});

const bbox = (x0: number, y0: number, x1: number, y1: number) => ({ x0, y0, x1, y1 });

/** A fragment of tesseract.js's block tree, as much as the parser reads. */
function tesseractBlock(lines: { text: string; x0: number; words: string[] }[]) {
  return {
    bbox: bbox(0, 0, 300, 300),
    paragraphs: [
      {
        bbox: bbox(0, 0, 300, 300),
        lines: lines.map((line) => ({
          text: `${line.text}\n`,
          bbox: bbox(line.x0, 10, line.x0 + 30, 250),
          words: line.words.map((text, index) => ({
            text,
            confidence: 80,
            bbox: bbox(line.x0, 10 + index * 40, line.x0 + 30, 50 + index * 40),
          })),
        })),
      },
    ],
  };
}

test('lines keep the engine\'s order, with NFC text and astral characters whole; vertical hOCR agrees', (t) => {
  const blocks = [
    tesseractBlock([
      { text: '才命', x0: 100, words: ['才', '命'] },
      { text: '𡨸 ', x0: 200, words: ['𡨸'] },
      { text: '   ', x0: 150, words: [' '] },
    ]),
  ];
  const transform: ImageTransform = { sourceWidth: 276, sourceHeight: 276, rotatedCcw: false, pad: 12 };
  const parsed = parseTesseractBlocks(blocks as never, transform, { vietnamese: false });
  const lines = parsed.flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines));
  t.deepEqual(
    lines.map((line) => line.text),
    ['才命', '𡨸'],
  );
  t.deepEqual(lines[1]!.box, { x: 188, y: 0, width: 30, height: 238 });
  t.is(plainText(parsed), '才命\n𡨸');

  const hocr = buildHocr({
    blocks: parsed,
    width: 276,
    height: 276,
    dpi: 300,
    languages: 'chi_tra_vert',
    direction: 'vertical-rl',
    ocrSystem: 'test <&>',
  });
  t.regex(hocr, /<span class="ocrx_word" id="word_1_3" title="bbox 188 0 218 38; x_wconf 80">𡨸<\/span>/u);
  t.regex(hocr, /class="ocr_line" id="line_1_2" title="bbox 188 0 218 238; textangle 90"/u);
  t.true(hocr.includes('content="test &#60;&#38;&#62;"'));
});

test('Vietnamese text has the eth look-alike repaired and is NFC', (t) => {
  const blocks = [tesseractBlock([{ text: 'Ðắk Nông'.normalize('NFD'), x0: 0, words: ['Ðắk'.normalize('NFD'), 'Nông'] }])];
  const transform: ImageTransform = { sourceWidth: 300, sourceHeight: 300, rotatedCcw: false, pad: 0 };
  const [block] = parseTesseractBlocks(blocks as never, transform, { vietnamese: true });
  const line = block!.paragraphs[0]!.lines[0]!;
  t.is(line.text, 'Đắk Nông');
  t.is(line.words[0]!.text, 'Đắk');
  t.is(line.text, line.text.normalize('NFC'));
});
