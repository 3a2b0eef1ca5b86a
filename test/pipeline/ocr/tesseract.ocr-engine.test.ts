import { mkdtemp, readFile, realpath, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import test from 'ava';
import sharp from 'sharp';

import { TesseractOcrEngine, type OcrResult } from '../../../pipeline/ocr/index.ts';
import { characterErrorRate } from '../../../pipeline/text/index.ts';
import { InvalidInputError, UpstreamError } from '../../../storage/errors.ts';
import {
  checkXmlNesting,
  composeVerticalPage,
  FIXTURES,
  generateVietnamesePage,
  kieuColumns,
} from './test-pages.ts';

// One engine for the file, one worker: the suite shares two cores with other engineers' tests.
let engine: TesseractOcrEngine;

test.before(async () => {
  engine = await TesseractOcrEngine.create({ poolSize: 1 });
});

test.after.always(async () => {
  await engine?.close();
});

const VIETSAMPLE = path.join(FIXTURES, 'vietnamese/vietsample.tif');

function boxesInside(t: { true(value: boolean, message?: string): void }, result: OcrResult): void {
  const { imageWidth: width, imageHeight: height } = result;
  const boxes = result.lines.flatMap((line) => [line.box, ...line.words.map((word) => word.box)]);
  t.true(boxes.length > 0, 'some boxes');
  for (const box of boxes) {
    const inside =
      box.x >= 0 && box.y >= 0 && box.width >= 0 && box.height >= 0 && box.x + box.width <= width && box.y + box.height <= height;
    t.true(inside, `box ${JSON.stringify(box)} inside ${width}×${height}`);
  }
}

test('language data comes from a local folder, never a URL, with no cache', async (t) => {
  const { langPath, cacheMethod, gzip } = engine.workerOptions;
  t.is(cacheMethod, 'none');
  t.true(gzip);
  t.true(path.isAbsolute(langPath));
  t.false(/^[a-z][a-z0-9+.-]*:/iu.test(langPath), 'not a URL');
  t.true((await stat(langPath)).isDirectory());
  t.is(engine.dataVariant, '4.0.0_best_int');
  for (const language of ['vie', 'chi_tra', 'chi_tra_vert']) {
    const file = await realpath(path.join(langPath, `${language}.traineddata.gz`));
    t.true(
      file.includes(`${path.sep}node_modules${path.sep}@tesseract.js-data${path.sep}${language}${path.sep}4.0.0_best_int${path.sep}`),
      file,
    );
  }
});

test('vie reads a generated page of Vietnamese', async (t) => {
  const page = await generateVietnamesePage();
  const result = await engine.recognize(page.png, 'vie');

  const cer = characterErrorRate(page.text, result.text);
  t.log(`generated page: CER ${cer.toFixed(4)}, mean confidence ${result.meanConfidence.toFixed(1)}`);
  t.true(cer < 0.05, `CER ${cer}: ${result.text}`);
  t.is(result.text, result.text.normalize('NFC'));
  for (const line of result.lines) for (const word of line.words) t.is(word.text, word.text.normalize('NFC'));
  t.is(result.languages, 'vie');
  t.is(result.direction, 'horizontal');
  t.is(result.imageWidth, page.width);
  t.is(result.imageHeight, page.height);
  t.true(result.meanConfidence > 50 && result.meanConfidence <= 100);
  boxesInside(t, result);

  const { marker } = page;
  const word = result.lines.flatMap((line) => line.words).find((candidate) => candidate.text === marker.word);
  t.truthy(word, `"${marker.word}" recognised`);
  if (word !== undefined) {
    t.true(Math.abs(word.box.x - marker.left) <= 10, `left ${word.box.x} ≈ ${marker.left}`);
    t.true(Math.abs(word.box.y + word.box.height - marker.baseline) <= 10, `bottom ${word.box.y + word.box.height} ≈ baseline ${marker.baseline}`);
    t.true(word.box.height >= marker.fontSize * 0.6 && word.box.height <= marker.fontSize * 1.5, `height ${word.box.height}`);
    t.true(word.box.width >= marker.fontSize && word.box.width <= marker.fontSize * 3, `width ${word.box.width}`);
  }

  t.is(checkXmlNesting(result.hocr), undefined);
  t.true(result.hocr.startsWith('<?xml'));
  t.regex(result.hocr, /class="ocrx_word"[^>]*title="bbox \d+ \d+ \d+ \d+; x_wconf \d+"/u);
  t.true(result.hocr.includes('>Đắk</span>'));
  t.true(result.hocr.includes(`bbox 0 0 ${page.width} ${page.height}`));
});

test('vie reads page 1 of the vietsample scan', async (t) => {
  const reference = await readFile(path.join(import.meta.dirname, 'fixtures/vietsample-page1.txt'), 'utf8');
  const started = Date.now();
  const result = await engine.recognize({ path: VIETSAMPLE }, 'vie');
  const cer = characterErrorRate(reference, result.text, { ignoreWhitespace: true });
  t.log(`vietsample page 1: CER ${cer.toFixed(4)} (whitespace ignored), ${Date.now() - started} ms, ${result.lines.length} lines`);
  t.true(cer < 0.15, `CER ${cer}`);
  t.is(result.imageWidth, 2550);
  t.is(result.imageHeight, 3300);
  t.is(result.text, result.text.normalize('NFC'));
  boxesInside(t, result);
  for (const phrase of ['Hằng năm cứ vào cuối thu', 'kỷ niệm hoang mang', 'Mỹ Lý', 'ngập ngừng', 'bút thước']) {
    t.true(result.text.includes(phrase), phrase);
  }
});

test('han-vert reads Kiều column crops as vertical columns, boxes inside the crop', async (t) => {
  const columns = (await kieuColumns()).slice(0, 3);
  for (const column of columns) {
    const result = await engine.recognize({ path: column.file }, 'han-vert');
    const { width, height } = await sharp(column.file).metadata();
    t.is(result.direction, 'vertical-rl');
    t.is(result.languages, 'chi_tra_vert');
    t.is(result.imageWidth, width);
    t.is(result.imageHeight, height);
    t.is(result.lines.length, 1, 'a crop is one column');
    boxesInside(t, result);
    const words = result.lines[0]!.words;
    for (let i = 1; i < words.length; i += 1) t.true(words[i]!.box.y >= words[i - 1]!.box.y, 'characters top to bottom');
    // Expected to be poor: chi_tra_vert knows Hán, not Nôm (fixtures README: ≈ 0.76–0.80).
    const cer = characterErrorRate(column.text, result.text, { ignoreWhitespace: true });
    t.log(`${path.basename(column.file)}: "${result.text}" vs "${column.text}", CER ${cer.toFixed(2)}`);
  }
});

test('han-vert reads a ruled page of columns right to left', async (t) => {
  const columns = (await kieuColumns()).slice(0, 5);
  const page = await composeVerticalPage(columns.map((column) => column.file));
  const result = await engine.recognize(page.png, 'han-vert');
  t.is(result.direction, 'vertical-rl');
  boxesInside(t, result);
  t.true(result.lines.length >= 4 && result.lines.length <= 5, `${result.lines.length} columns found`);
  for (let i = 1; i < result.lines.length; i += 1) {
    const previous = result.lines[i - 1]!.box;
    t.true(result.lines[i]!.box.x < previous.x, 'right to left');
  }
  // Each column found lies where a crop was drawn.
  for (const line of result.lines) {
    const centre = line.box.x + line.box.width / 2;
    t.true(
      page.columns.some((drawn) => centre >= drawn.x - 4 && centre <= drawn.x + drawn.width + 4),
      `column at x ${line.box.x}`,
    );
  }
  const reference = columns.map((column) => column.text).join('\n');
  const cer = characterErrorRate(reference, result.text, { ignoreWhitespace: true });
  t.log(`ruled page of 5 columns: CER ${cer.toFixed(2)}\n${result.text}`);
});

test('pages of different profiles at once share the one worker in turn', async (t) => {
  const page = await generateVietnamesePage();
  const [column] = await kieuColumns();
  const results = await Promise.all([
    engine.recognize(page.png, 'vie'),
    engine.recognize({ path: column!.file }, 'han-vert'),
    engine.recognize(page.png, 'vie'),
  ]);
  t.deepEqual(
    results.map((result) => [result.languages, result.direction]),
    [
      ['vie', 'horizontal'],
      ['chi_tra_vert', 'vertical-rl'],
      ['vie', 'horizontal'],
    ],
  );
  t.is(results[0]!.text, results[2]!.text);
});

test('an unreadable image is InvalidInputError', async (t) => {
  const notAnImage = await t.throwsAsync(engine.recognize(Buffer.from('this is not an image at all'), 'vie'));
  t.true(notAnImage instanceof InvalidInputError, String(notAnImage));
  t.false((notAnImage as InvalidInputError).retryable);

  const missing = await t.throwsAsync(engine.recognize({ path: path.join(FIXTURES, 'no-such-page.tif') }, 'vie'));
  t.true(missing instanceof InvalidInputError, String(missing));

  // A PNG whose header is intact but whose pixel data is cut off: it fails while decoding.
  const { png } = await generateVietnamesePage();
  const truncated = await t.throwsAsync(engine.recognize(png.subarray(0, 200), 'vie'));
  t.true(truncated instanceof InvalidInputError, String(truncated));

  const unknownProfile = await t.throwsAsync(engine.recognize(png, 'klingon' as never));
  t.true(unknownProfile instanceof InvalidInputError, String(unknownProfile));
});

test('an aborted recognition rejects with the abort reason', async (t) => {
  // The reason is a DOMException, which ava's throwsAsync does not accept as an error.
  const error: unknown = await engine.recognize({ path: VIETSAMPLE }, 'vie', { signal: AbortSignal.abort() }).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  t.is((error as Error | undefined)?.name, 'AbortError');
});

test('missing language data fails fast and retryably, without a download', async (t) => {
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'ocr-engine-test-'));
  const broken = await TesseractOcrEngine.create({ poolSize: 1, cacheDir });
  try {
    await rm(path.join(broken.workerOptions.langPath, 'vie.traineddata.gz'));
    const started = Date.now();
    const error = await t.throwsAsync(broken.recognize((await generateVietnamesePage()).png, 'vie'));
    t.true(error instanceof UpstreamError, String(error));
    t.true((error as UpstreamError).retryable);
    t.true(Date.now() - started < 15_000, 'failed without waiting for the start-up timeout');
  } finally {
    await broken.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
});

test('a worker that does not start in time fails fast and retryably', async (t) => {
  const impatient = await TesseractOcrEngine.create({ poolSize: 1, startTimeoutMs: 1 });
  try {
    const started = Date.now();
    const error = await t.throwsAsync(impatient.recognize(Buffer.from((await generateVietnamesePage()).png), 'vie'));
    t.true(error instanceof UpstreamError, String(error));
    t.true((error as UpstreamError).retryable);
    t.true(Date.now() - started < 10_000);
  } finally {
    await impatient.close();
  }
  const closed = await t.throwsAsync(impatient.recognize(Buffer.alloc(0), 'vie'));
  t.true(closed instanceof UpstreamError);
});
