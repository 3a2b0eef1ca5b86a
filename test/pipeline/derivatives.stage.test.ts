import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import test, { type ExecutionContext } from 'ava';
import sharp, { type Sharp } from 'sharp';

import { AppError, InvalidInputError } from '../../storage/errors.ts';
import { buildPrintJpeg, buildPyramid, buildThumbnail, type PyramidResult } from '../../pipeline/stages/derivatives.stage.ts';
import { withFileByteReader } from '../../pipeline/stages/image-byte-reader.ts';
import { readTiffDirectories, type TiffDirectory } from '../../pipeline/stages/image-tiff-directory.ts';
import { validatePage } from '../../pipeline/stages/validate.stage.ts';
import { truncateCopy } from './helpers/crafted-files.ts';
import { makeLargeMaster, makePage } from './helpers/make-page.ts';
import { megabytes, sampleRss } from './helpers/rss-sampler.ts';

const VIETSAMPLE = fileURLToPath(new URL('../../../shared/fixtures/vietnamese/vietsample.tif', import.meta.url));
const CHILD = fileURLToPath(new URL('./helpers/build-pyramid.child.ts', import.meta.url));
const TIFF_JPEG = 7;

let dir = '';
test.before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'derivatives-stage-'));
});
test.after.always(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

const file = (name: string): string => path.join(dir, name);

/** A fresh, empty output folder per test, so "no stray files" can be checked exactly. */
async function outFolder(name: string): Promise<string> {
  const folder = file(name);
  await mkdir(folder, { recursive: true });
  return folder;
}

async function directoriesOf(tiff: string): Promise<TiffDirectory[]> {
  return withFileByteReader(tiff, (reader) => readTiffDirectories(reader));
}

/** Mean absolute difference per sample of two images of the same size and channel count. */
async function meanAbsoluteDifference(a: Sharp, b: Sharp): Promise<number> {
  const [x, y] = await Promise.all([a.raw().toBuffer({ resolveWithObject: true }), b.raw().toBuffer({ resolveWithObject: true })]);
  if (x.data.length !== y.data.length || x.info.channels !== y.info.channels) {
    const size = ({ info }: typeof x): string => `${info.width}×${info.height}×${info.channels}`;
    throw new Error(`different images: ${size(x)} vs ${size(y)}`);
  }
  let sum = 0;
  for (let i = 0; i < x.data.length; i += 1) sum += Math.abs((x.data[i] ?? 0) - (y.data[i] ?? 0));
  return sum / x.data.length;
}

function assertHalvingLevels(t: ExecutionContext, result: PyramidResult, width: number, height: number): void {
  t.deepEqual(result.levels[0], { width, height });
  t.is(result.width, width);
  t.is(result.height, height);
  for (let i = 1; i < result.levels.length; i += 1) {
    const previous = result.levels[i - 1];
    const level = result.levels[i];
    if (previous === undefined || level === undefined) throw new Error('missing level');
    t.true(Math.abs(level.width - previous.width / 2) <= 0.5, `level ${i} width ${level.width} halves ${previous.width}`);
    t.true(Math.abs(level.height - previous.height / 2) <= 0.5, `level ${i} height ${level.height} halves ${previous.height}`);
  }
  const last = result.levels.at(-1);
  const beforeLast = result.levels.at(-2);
  t.true(last !== undefined && Math.max(last.width, last.height) <= 256, 'the smallest level fits in one tile');
  t.true(beforeLast !== undefined && Math.max(beforeLast.width, beforeLast.height) > 256, 'no level more than needed');
}

// --- the TIFF directory reader the pyramid checks rely on ----------------------------------------

test('readTiffDirectories reports tile size and compression of known files', async (t) => {
  const base = sharp({ create: { width: 300, height: 200, channels: 3, background: '#a0b0c0' } });
  await base.clone().tiff({ compression: 'lzw' }).toFile(file('strips-lzw.tif'));
  await base.clone().tiff({ compression: 'deflate', tile: true, tileWidth: 128, tileHeight: 64 }).toFile(file('tiles-deflate.tif'));
  await base.clone().tiff({ compression: 'jpeg', tile: true, tileWidth: 256, tileHeight: 256 }).toFile(file('tiles-jpeg.tif'));
  t.like((await directoriesOf(file('strips-lzw.tif')))[0], { width: 300, height: 200, tileWidth: null, compression: 5 });
  t.like((await directoriesOf(file('tiles-deflate.tif')))[0], { tileWidth: 128, tileHeight: 64, compression: 8, samplesPerPixel: 3 });
  t.like((await directoriesOf(file('tiles-jpeg.tif')))[0], { tileWidth: 256, tileHeight: 256, compression: TIFF_JPEG });
  await base.clone().withDensity(150).tiff({ compression: 'deflate', bigtiff: true }).toFile(file('big.tif'));
  t.is((await readFile(file('big.tif'))).readUInt16LE(2), 43, 'BigTIFF');
  t.like((await directoriesOf(file('big.tif')))[0], { width: 300, height: 200, compression: 8, xResolution: 150 });
  const pages = await directoriesOf(VIETSAMPLE);
  t.is(pages.length, 2);
  t.like(pages[1], { width: 2550, height: 3300, bitsPerSample: 1, xResolution: 300, resolutionUnit: 2 });
});

// --- pyramid ----------------------------------------------------------------------------------

test('buildPyramid writes a tiled 256 px, JPEG-compressed, page-based pyramid read back from the file', async (t) => {
  const source = await makePage({ path: file('colour-page.jpg'), width: 1200, height: 1700, format: 'jpeg', dpi: 300 });
  const out = path.join(await outFolder('pyramid-colour'), 'pyramid.tif');
  const result = await buildPyramid(source, out);

  assertHalvingLevels(t, result, 1200, 1700);
  t.is(result.levels.length, 4); // 1200×1700, 600×850, 300×425, 150×212
  t.is(result.tileSize, 256);
  t.is(result.bytes, (await stat(out)).size);

  const directories = await directoriesOf(out);
  t.is(directories.length, result.levels.length);
  for (const [level, directory] of directories.entries()) {
    t.like(directory, { tileWidth: 256, tileHeight: 256, compression: TIFF_JPEG, subIfdCount: 0 }, `level ${level}`);
  }

  const metadata = await sharp(out).metadata();
  t.is(metadata.pages, result.levels.length, 'levels are pages');
  t.is(metadata.format, 'tiff');
  t.is(metadata.density, 300, 'scan resolution kept on level 0');
  for (const [page, level] of result.levels.entries()) {
    const levelMetadata = await sharp(out, { page }).metadata();
    t.deepEqual({ width: levelMetadata.width, height: levelMetadata.height }, level, `page ${page}`);
    t.is(levelMetadata.space, 'srgb');
    t.is(levelMetadata.channels, 3);
    const stats = await sharp(out, { page, failOn: 'error' }).stats();
    t.true(stats.channels.every((channel) => channel.max > channel.min), `page ${page} decodes to an image with content`);
  }

  const level0 = await meanAbsoluteDifference(sharp(out, { page: 0 }), sharp(source).toColourspace('srgb'));
  const flipped = await meanAbsoluteDifference(sharp(out, { page: 0 }), sharp(source).toColourspace('srgb').flip());
  t.log(`level 0 vs source: MAD ${level0.toFixed(2)}; vs the source upside down: ${flipped.toFixed(2)}`);
  t.true(level0 < 2, `level 0 is close to the source (MAD ${level0})`);
  t.true(flipped > 4 * level0 + 4, 'the comparison can tell a different image apart');
});

test('buildPyramid keeps a bilevel/greyscale page greyscale (the real vietsample.tif, page 1)', async (t) => {
  const out = file('viet-pyramid.tif');
  const result = await buildPyramid({ path: VIETSAMPLE, page: 1 }, out);
  assertHalvingLevels(t, result, 2550, 3300);
  const metadata = await sharp(out).metadata();
  t.is(metadata.channels, 1);
  t.is(metadata.space, 'b-w');
  t.is(metadata.depth, 'uchar');
  const level0 = (): Sharp => sharp(out, { page: 0 }).toColourspace('b-w');
  const mad = await meanAbsoluteDifference(level0(), sharp(VIETSAMPLE, { page: 1 }).toColourspace('b-w'));
  t.log(`greyscale level 0 vs bilevel source: MAD ${mad.toFixed(2)}`);
  t.true(mad < 6, `MAD ${mad}`);
  const otherPage = await meanAbsoluteDifference(level0(), sharp(VIETSAMPLE, { page: 0 }).toColourspace('b-w'));
  t.log(`... vs the other page of the file: MAD ${otherPage.toFixed(2)}`);
  t.true(otherPage > 2 * mad, 'page 1 was used, not page 0');
});

test('buildPyramid converts 16-bit, transparent and ICC-tagged sources to 8-bit sRGB', async (t) => {
  await sharp({ create: { width: 600, height: 400, channels: 4, background: { r: 200, g: 30, b: 40, alpha: 0.5 } } })
    .toColourspace('rgb16')
    .png()
    .toFile(file('rgba16.png'));
  await sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 200, g: 30, b: 40 } } })
    .withIccProfile('p3')
    .jpeg({ quality: 95 })
    .toFile(file('display-p3.jpg'));

  const rgba = await buildPyramid(file('rgba16.png'), file('rgba16-pyramid.tif'));
  const rgbaMeta = await sharp(file('rgba16-pyramid.tif')).metadata();
  t.like(rgbaMeta, { channels: 3, space: 'srgb', depth: 'uchar', hasAlpha: false });
  t.is(rgba.levels.length, 3);
  const [red] = (await sharp(file('rgba16-pyramid.tif')).stats()).channels;
  t.true(red !== undefined && Math.abs(red.mean - 227) < 4, `half-transparent red flattened onto white (${red?.mean})`);

  await buildPyramid(file('display-p3.jpg'), file('p3-pyramid.tif'));
  const stored = (await sharp(file('display-p3.jpg'), { ignoreIcc: true }).stats()).channels.map((c) => c.mean);
  const converted = (await sharp(file('p3-pyramid.tif')).stats()).channels.map((c) => c.mean);
  t.true(Math.abs((stored[0] ?? 0) - 200) > 8, 'the source pixels are in Display P3, not sRGB');
  t.true(Math.abs((converted[0] ?? 0) - 200) < 4 && Math.abs((converted[1] ?? 0) - 30) < 6, `converted to sRGB: ${converted.join(', ')}`);
  t.false((await sharp(file('p3-pyramid.tif')).metadata()).hasProfile);
});

test('buildPyramid takes tile size and quality options and refuses unusable ones', async (t) => {
  const source = await makePage({ path: file('options.png'), width: 1100, height: 900, format: 'png', dpi: 300 });
  const small = await buildPyramid(source, file('q40.tif'), { quality: 40, tileSize: 512 });
  const large = await buildPyramid(source, file('q95.tif'), { quality: 95, tileSize: 512 });
  t.is(small.tileSize, 512);
  t.like((await directoriesOf(file('q40.tif')))[0], { tileWidth: 512, tileHeight: 512 });
  // libvips halves until both sides fit in one tile: 550 > 512, so one more level.
  t.deepEqual(small.levels, [{ width: 1100, height: 900 }, { width: 550, height: 450 }, { width: 275, height: 225 }]);
  t.true(small.bytes < large.bytes, 'quality reaches the encoder');
  await t.throwsAsync(buildPyramid(source, file('bad.tif'), { tileSize: 100 }), {
    instanceOf: InvalidInputError,
    message: /multiple of 16/,
  });
  await t.throwsAsync(buildPyramid(source, file('bad.tif'), { quality: 0 }), { instanceOf: InvalidInputError, message: /quality/ });
});

test('EXIF orientation is applied the same way by validate and every derivative', async (t) => {
  // Stored 600 × 400 landscape, tagged "rotate 90° clockwise to display" (orientation 6).
  await sharp({ create: { width: 600, height: 400, channels: 3, background: '#ffffff' } })
    .composite([{ input: { create: { width: 100, height: 400, channels: 3, background: '#000000' } }, left: 0, top: 0 }])
    .withMetadata({ orientation: 6, density: 300 })
    .jpeg()
    .toFile(file('rotated.jpg'));
  t.like(await validatePage(file('rotated.jpg'), { minDpi: 300, maxPixels: 1_000_000 }), { width: 400, height: 600 });
  t.deepEqual((await buildPyramid(file('rotated.jpg'), file('rotated.tif'))).levels[0], { width: 400, height: 600 });
  t.like(await buildThumbnail(file('rotated.jpg'), file('rotated-thumb.jpg'), { maxSize: 60 }), { width: 40, height: 60 });
  t.like(await buildPrintJpeg(file('rotated.jpg'), file('rotated-print.jpg')), { width: 400, height: 600 });
  // The black band on the stored left edge is at the top once the page is the right way up.
  const { data, info } = await sharp(file('rotated.tif'), { page: 0 }).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): number => data[y * info.width + x] ?? -1;
  t.true(at(200, 20) < 40 && at(200, 300) > 215, `top ${at(200, 20)}, middle ${at(200, 300)}`);
});

// --- thumbnail and print JPEG ------------------------------------------------------------------

test('buildThumbnail fits the page in 400 px (or maxSize) and never enlarges', async (t) => {
  const page = await makePage({ path: file('thumb-source.tif'), width: 1200, height: 1700, format: 'tiff', dpi: 300 });
  const thumb = await buildThumbnail(page, file('thumb.jpg'));
  t.deepEqual({ width: thumb.width, height: thumb.height }, { width: 282, height: 400 });
  const meta = await sharp(file('thumb.jpg')).metadata();
  t.like(meta, { format: 'jpeg', width: 282, height: 400 });
  t.is(thumb.bytes, (await stat(file('thumb.jpg'))).size);

  t.like(await buildThumbnail(page, file('thumb-100.jpg'), { maxSize: 100 }), { width: 71, height: 100 });
  const tiny = await makePage({ path: file('tiny.png'), width: 300, height: 200, format: 'png', dpi: 300 });
  t.like(await buildThumbnail(tiny, file('tiny-thumb.jpg')), { width: 300, height: 200 });
});

test('buildPrintJpeg scales the long side down to 3508 px (A4 at 300 dpi) and never upscales', async (t) => {
  const big = await makePage({ path: file('print-big.jpg'), width: 4000, height: 5600, format: 'jpeg', dpi: 600 });
  const print = await buildPrintJpeg(big, file('print.jpg'));
  t.deepEqual({ width: print.width, height: print.height }, { width: 2506, height: 3508 });
  t.like(await sharp(file('print.jpg')).metadata(), { format: 'jpeg', width: 2506, height: 3508 });
  t.is(print.bytes, (await stat(file('print.jpg'))).size);

  const small = await makePage({ path: file('print-small.png'), width: 1200, height: 1700, format: 'png', dpi: 150 });
  t.like(await buildPrintJpeg(small, file('print-small.jpg')), { width: 1200, height: 1700 });
  t.like(await buildPrintJpeg(small, file('print-1000.jpg'), { maxLongSide: 1000 }), { width: 706, height: 1000 });
  const landscape = await makePage({ path: file('print-wide.jpg'), width: 5000, height: 3000, format: 'jpeg', dpi: 400 });
  t.like(await buildPrintJpeg(landscape, file('print-wide-out.jpg')), { width: 3508, height: 2105 });
});

// --- atomic output -----------------------------------------------------------------------------

test('outputs appear only complete: no temporary files after success or after failing on a corrupt input', async (t) => {
  const folder = await outFolder('atomic');
  const source = await makePage({ path: file('atomic-source.jpg'), width: 1200, height: 1700, format: 'jpeg', dpi: 300 });
  await buildPyramid(source, path.join(folder, 'pyramid.tif'));
  await buildThumbnail(source, path.join(folder, 'thumb.jpg'));
  await buildPrintJpeg(source, path.join(folder, 'print.jpg'));
  t.deepEqual((await readdir(folder)).sort(), ['print.jpg', 'pyramid.tif', 'thumb.jpg']);

  const corrupt = file('atomic-cut.jpg');
  await truncateCopy(source, corrupt, 0.5);
  const before = await readFile(path.join(folder, 'pyramid.tif'));
  const attempts: [string, Promise<unknown>][] = [
    ['pyramid.tif', buildPyramid(corrupt, path.join(folder, 'pyramid.tif'))],
    ['thumb-new.jpg', buildThumbnail(corrupt, path.join(folder, 'thumb-new.jpg'))],
    ['print-new.jpg', buildPrintJpeg(corrupt, path.join(folder, 'print-new.jpg'))],
  ];
  for (const [name, attempt] of attempts) {
    const error = await t.throwsAsync(attempt, { instanceOf: InvalidInputError }, name);
    t.is(error instanceof AppError ? error.details.reason : undefined, 'corrupt', name);
    t.regex(error?.message ?? '', /JPEG file's image data are incomplete or damaged/, name);
  }
  t.deepEqual((await readdir(folder)).sort(), ['print.jpg', 'pyramid.tif', 'thumb.jpg'], 'no partial or new files');
  t.true(before.equals(await readFile(path.join(folder, 'pyramid.tif'))), 'the previous pyramid is untouched');
});

test('an output failure is not blamed on the page; a missing page is refused', async (t) => {
  const source = await makePage({ path: file('output-failure.png'), width: 300, height: 400, format: 'png', dpi: 300 });
  await writeFile(file('not-a-folder'), 'a file where the output folder should be');
  const error = await t.throwsAsync(buildThumbnail(source, path.join(file('not-a-folder'), 'thumb.jpg')));
  t.false(error instanceof InvalidInputError, `a sound page is not reported as bad input: ${String(error)}`);
  t.regex(String((error as NodeJS.ErrnoException | undefined)?.code), /ENOTDIR|EEXIST/);

  const missing = await t.throwsAsync(buildPyramid({ path: VIETSAMPLE, page: 2 }, file('no-such-page.tif')), {
    instanceOf: InvalidInputError,
  });
  t.is(missing instanceof AppError ? missing.details.reason : undefined, 'page-out-of-range');
});

test('a pyramid build killed mid-write leaves no file at the output path', async (t) => {
  const source = await makeLargeMaster(file('kill-source.tif'), 6000, 8400, 300);
  const folder = await outFolder('killed');
  const out = path.join(folder, 'pyramid.tif');
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, source, out], { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  let partial: string | undefined;
  for (let waited = 0; partial === undefined && waited < 30_000; waited += 10) {
    partial = (await readdir(folder)).find((name) => name.endsWith('.partial'));
    if (partial === undefined) await delay(10);
  }
  t.truthy(partial, 'the child started writing its temporary file');
  child.kill('SIGKILL');
  t.is(await exited, 'SIGKILL', 'killed before it finished');
  const names = await readdir(folder);
  t.false(names.includes('pyramid.tif'), 'no half-written pyramid at the output path');
  t.true(names.every((name) => name.startsWith('.pyramid.tif.') && name.endsWith('.partial')), names.join(', '));
});

// --- memory -----------------------------------------------------------------------------------

test.serial('a 10000 × 14000 master goes through validate, pyramid, thumbnail and print JPEG in bounded memory', async (t) => {
  const rss = sampleRss(50);
  const phases: string[] = [];
  const phase = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const started = rss.peakGrowth();
    const value = await run();
    phases.push(`${name}: peak growth ${megabytes(rss.peakGrowth())} (from ${megabytes(started)})`);
    return value;
  };
  const master = await phase('generate master', () => makeLargeMaster(file('master.tif'), 10_000, 14_000, 400));
  t.is((await stat(master)).size > 420_000_000, true, 'an uncompressed 420 MB master on disk');

  const validation = await phase('validate', () => validatePage(master, { minDpi: 300, maxPixels: 200_000_000 }));
  const pyramid = await phase('pyramid', () => buildPyramid(master, file('master-pyramid.tif')));
  const thumb = await phase('thumbnail', () => buildThumbnail(master, file('master-thumb.jpg')));
  const print = await phase('print JPEG', () => buildPrintJpeg(master, file('master-print.jpg')));
  const { growth, baseline, peak, samples } = rss.stop();

  t.log(`RSS baseline ${megabytes(baseline)}, peak ${megabytes(peak)}, growth ${megabytes(growth)} (${samples} samples)`);
  for (const line of phases) t.log(line);
  t.true(growth < 1024 * 1024 * 1024, `RSS grew by ${megabytes(growth)}`);

  t.like(validation, { width: 10_000, height: 14_000, dpi: 400, warnings: [] });
  assertHalvingLevels(t, pyramid, 10_000, 14_000);
  t.is(pyramid.levels.length, 7);
  t.like(thumb, { width: 286, height: 400 });
  t.like(print, { width: 2506, height: 3508 });
  await writeFile(file('master.tif'), ''); // free the disk space early
});
