import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import test from 'ava';
import sharp from 'sharp';

import {
  createOsdOrientationDetector,
  cropScannerBorders,
  deskewPage,
  detectOrientation,
  estimateSkew,
  type OrientationDetector,
} from '../../pipeline/stages/deskew.stage.ts';
import { InvalidInputError, NotFoundError } from '../../storage/errors.ts';
import { deskewFixtures } from './deskew-helpers/deskew-fixtures.ts';
import { renderTextPage, renderVerticalPage, rotateContent } from './deskew-helpers/text-page.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures');
const deskewFixture = (n: number): string => path.join(FIXTURES, 'deskew', `deskew-${n}.png`);

/** Four of the real scans (the benchmark and `npm run eval-ocr` measure all eight). */
const REAL_SCANS = deskewFixtures().filter((fixture) => ['deskew-2.png', 'deskew-4.png', 'deskew-6.png', 'deskew-8.png'].includes(fixture.name));

let dir = '';
let upright = '';
/** One OSD worker for the file, started by the first test that needs it. */
let detector: Promise<OrientationDetector> | undefined;

async function writePage(name: string, png: Buffer): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, png);
  return file;
}

/** Mean grey level of one edge line of an image file. */
async function edgeMeans(file: string): Promise<{ top: number; bottom: number; left: number; right: number }> {
  const { data, info } = await sharp(file).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const mean = (indices: number[]): number => indices.reduce((s, i) => s + data[i]!, 0) / indices.length;
  const xs = Array.from({ length: width }, (_, x) => x);
  const ys = Array.from({ length: height }, (_, y) => y);
  return {
    top: mean(xs.map((x) => x)),
    bottom: mean(xs.map((x) => (height - 1) * width + x)),
    left: mean(ys.map((y) => y * width)),
    right: mean(ys.map((y) => y * width + width - 1)),
  };
}

test.before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'deskew-test-'));
  upright = await writePage('upright.png', await renderTextPage({ seed: 11 }));
});

test.after.always(async () => {
  if (detector) await (await detector).close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function osd(): Promise<OrientationDetector> {
  detector ??= createOsdOrientationDetector();
  return detector;
}

for (const angle of [3, -2.5]) {
  test(`a generated page turned ${angle}° counter-clockwise is estimated within 0.1°`, async (t) => {
    const file = await writePage(`turned-${angle}.png`, await rotateContent(await renderTextPage({ seed: 12 }), angle));
    const estimate = await estimateSkew({ path: file });
    t.true(Math.abs(estimate.angle - angle) < 0.1, `estimated ${estimate.angle}°`);
    t.true(estimate.confidence > 0.5, `confidence ${estimate.confidence}`);
    t.is(estimate.direction, 'horizontal');
  });
}

test('an unrotated page is estimated within 0.1° of level', async (t) => {
  const estimate = await estimateSkew({ path: upright });
  t.true(Math.abs(estimate.angle) < 0.1, `estimated ${estimate.angle}°`);
  t.true(estimate.confidence > 0.5);
});

test('vertical columns (Hán-Nôm layout) are measured on the column profile', async (t) => {
  const file = await writePage('columns.png', await rotateContent(await renderVerticalPage({ seed: 13 }), 1.5));
  const estimate = await estimateSkew({ path: file });
  t.is(estimate.direction, 'vertical');
  t.true(Math.abs(estimate.angle - 1.5) < 0.1, `estimated ${estimate.angle}°`);
});

for (const { name, file, expected } of REAL_SCANS) {
  test(`real scan ${name} is estimated within 0.5° of the published angle`, async (t) => {
    const estimate = await estimateSkew({ path: file });
    t.true(Math.abs(estimate.angle - expected) < 0.5, `estimated ${estimate.angle}°, expected ${expected}°`);
    t.true(estimate.confidence > 0.5);
  });
}

test('the black frame of deskew-4.png is cropped away, the page kept', async (t) => {
  const source = deskewFixture(4);
  const before = await edgeMeans(source);
  // The scan's own edges are mostly black: the check below can fail.
  t.true(Math.min(before.left, before.top, before.bottom) < 100, JSON.stringify(before));

  const { box, sourceWidth, sourceHeight } = await cropScannerBorders({ path: source });
  if (box === null) return t.fail('no crop found');
  const cropped = path.join(dir, 'deskew-4-cropped.png');
  await sharp(source).extract({ left: box.x, top: box.y, width: box.width, height: box.height }).png().toFile(cropped);
  const after = await edgeMeans(cropped);
  for (const [side, mean] of Object.entries(after)) t.true(mean > 200, `${side} edge mean ${mean.toFixed(1)}`);
  // The text block (x 235–923, y 278–1028 in the source) is inside.
  t.true(box.x < 235 && box.y < 278 && box.x + box.width > 923 && box.y + box.height > 1028, JSON.stringify(box));
  t.true(box.width * box.height > 0.5 * sourceWidth * sourceHeight);
});

test('a clean page has no border to crop', async (t) => {
  t.is((await cropScannerBorders({ path: upright })).box, null);
});

/** sharp turns clockwise; our orientation is the content's counter-clockwise turn. */
const QUARTER_TURNS = [
  { clockwise: 90, expected: 270 },
  { clockwise: 180, expected: 180 },
  { clockwise: 270, expected: 90 },
] as const;

for (const { clockwise: turn, expected } of QUARTER_TURNS) {
  test(`a generated page turned ${turn}° clockwise is detected as ${expected}° counter-clockwise`, async (t) => {
    const file = await writePage(`quarter-${turn}.png`, await sharp(await renderTextPage({ seed: 14 })).rotate(turn).png().toBuffer());
    const result = await detectOrientation({ path: file }, { detector: await osd() });
    t.is(result.orientation, expected);
    t.true((result.confidence ?? 0) >= 5, `confidence ${result.confidence}`);
  });
}

test('an upright generated page is detected as upright', async (t) => {
  const result = await detectOrientation({ path: upright }, { detector: await osd() });
  t.is(result.orientation, 0);
  t.is(result.detected, 0);
});

test('vietsample2.tif (first page, printed turned a quarter clockwise) is detected as 270°', async (t) => {
  const result = await detectOrientation({ path: path.join(FIXTURES, 'vietnamese', 'vietsample2.tif'), page: 0 }, { detector: await osd() });
  t.is(result.orientation, 270);
  t.is(result.script, 'Latin');
});

test('deskewPage writes a level page atomically and reports what it did', async (t) => {
  const outDir = await mkdtemp(path.join(dir, 'out-'));
  const source = await writePage('to-deskew.png', await rotateContent(await renderTextPage({ seed: 15 }), -2.5));
  const outPath = path.join(outDir, 'page.tif');
  const result = await deskewPage({ path: source }, outPath, {});
  t.true(Math.abs(result.angle + 2.5) < 0.1, `corrected ${result.angle}°`);
  t.true(result.skewApplied);
  t.is(result.orientation, 0);
  t.is(result.crop, null);
  t.deepEqual(await readdir(outDir), ['page.tif']);
  const meta = await sharp(outPath).metadata();
  t.is(meta.format, 'tiff');
  t.is(meta.channels, 1, 'a greyscale page stays greyscale');
  t.deepEqual([meta.width, meta.height], [result.width, result.height]);
  const again = await estimateSkew({ path: outPath });
  t.true(Math.abs(again.angle) < 0.2, `re-estimated ${again.angle}°`);
});

test('deskewPage turns a quarter-turned, skewed page upright when asked', async (t) => {
  const outDir = await mkdtemp(path.join(dir, 'out-'));
  const skewed = await rotateContent(await renderTextPage({ seed: 16 }), 2);
  const source = await writePage('quarter-skewed.png', await sharp(skewed).rotate(90).png().toBuffer());
  const outPath = path.join(outDir, 'page.png');
  const result = await deskewPage({ path: source }, outPath, { detectOrientation: true, orientationDetector: await osd() });
  t.is(result.orientation, 270);
  t.true(Math.abs(result.angle - 2) < 0.1, `corrected ${result.angle}°`);
  const again = await estimateSkew({ path: outPath });
  t.is(again.direction, 'horizontal');
  t.true(Math.abs(again.angle) < 0.2, `re-estimated ${again.angle}°`);
  const meta = await sharp(outPath).metadata();
  t.true((meta.height ?? 0) > (meta.width ?? 0), 'portrait again');
});

test('a blank page gets a low confidence and is left unrotated', async (t) => {
  const outDir = await mkdtemp(path.join(dir, 'out-'));
  const source = await writePage('blank.png', await renderTextPage({ blank: true }));
  const estimate = await estimateSkew({ path: source });
  t.true(estimate.confidence < 0.3, `confidence ${estimate.confidence}`);
  const result = await deskewPage({ path: source }, path.join(outDir, 'blank.tif'), {});
  t.is(result.angle, 0);
  t.false(result.skewApplied);
  t.true(result.notes.some((note) => note.includes('confidence')), result.notes.join(' / '));
  t.deepEqual([result.width, result.height], [1100, 1500]);
});

test('bad input fails with typed errors and leaves no file behind', async (t) => {
  const outDir = await mkdtemp(path.join(dir, 'out-'));
  await t.throwsAsync(estimateSkew({ path: path.join(dir, 'missing.png') }), { instanceOf: NotFoundError });
  const notImage = await writePage('not-an-image.png', Buffer.from('this is text, not a PNG'));
  await t.throwsAsync(deskewPage({ path: notImage }, path.join(outDir, 'x.tif')), { instanceOf: InvalidInputError });
  await t.throwsAsync(estimateSkew({ path: upright }, { maxAngle: 0 }), { instanceOf: InvalidInputError });
  await t.throwsAsync(deskewPage({ path: upright }, path.join(outDir, 'no-such-folder', 'x.tif')), { instanceOf: InvalidInputError });
  t.deepEqual(await readdir(outDir), []);
});
