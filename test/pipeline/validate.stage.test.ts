import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import test from 'ava';
import sharp from 'sharp';

import { AppError, InvalidInputError, NotFoundError } from '../../storage/errors.ts';
import { sniffImageType, SNIFF_HEADER_LENGTH, type SniffedType } from '../../pipeline/stages/sniff-image-type.ts';
import { listTiffPages, validatePage, type PageValidation } from '../../pipeline/stages/validate.stage.ts';
import { assertProcessableStructure } from '../../pipeline/stages/image-structure.ts';
import { jp2Bytes, pngBomb, pngChunks, truncateCopy, withJfif } from './helpers/crafted-files.ts';
import { makePage } from './helpers/make-page.ts';
import { writeRawTiff } from './helpers/raw-tiff.ts';
import { megabytes, sampleRss } from './helpers/rss-sampler.ts';

const VIETSAMPLE = fileURLToPath(new URL('../../../shared/fixtures/vietnamese/vietsample.tif', import.meta.url));
const PROFILE = { minDpi: 300, maxPixels: 50_000_000 };

let dir = '';
test.before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'validate-stage-'));
});
test.after.always(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

const file = (name: string): string => path.join(dir, name);

function reasonOf(error: unknown): unknown {
  return error instanceof AppError ? error.details.reason : undefined;
}

function warningCodes(result: PageValidation): string[] {
  return result.warnings.map((warning) => warning.code);
}

// --- sniffing -------------------------------------------------------------------------------

const bytes = (...values: (number | string)[]): Uint8Array =>
  Uint8Array.from(values.flatMap((v) => (typeof v === 'string' ? Array.from(v, (c) => c.charCodeAt(0)) : [v])));

test('sniffImageType accepts TIFF (both byte orders, BigTIFF), JPEG and PNG from magic bytes', (t) => {
  const cases: [Uint8Array, string, string, string][] = [
    [bytes('II', 0x2a, 0x00, 8, 0, 0, 0), 'tiff', 'image/tiff', 'tif'],
    [bytes('MM', 0x00, 0x2a, 0, 0, 0, 8), 'tiff', 'image/tiff', 'tif'],
    [bytes('II', 0x2b, 0x00, 8, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0), 'tiff', 'image/tiff', 'tif'],
    [bytes('MM', 0x00, 0x2b, 0, 8, 0, 0), 'tiff', 'image/tiff', 'tif'],
    [bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16, 'JFIF', 0), 'jpeg', 'image/jpeg', 'jpg'],
    [bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 'IHDR'), 'png', 'image/png', 'png'],
  ];
  for (const [header, type, mimeType, extension] of cases) {
    t.deepEqual(sniffImageType(header), { accepted: true, type, mimeType, extension } as never, type);
  }
  t.true(SNIFF_HEADER_LENGTH >= 12 && SNIFF_HEADER_LENGTH <= 16);
});

test('sniffImageType refuses JPEG 2000, PDF, GIF, WebP, BMP, HEIC and unknown bytes with a reason', (t) => {
  const cases: [Uint8Array, SniffedType['type']][] = [
    [jp2Bytes(), 'jp2'],
    [bytes(0xff, 0x4f, 0xff, 0x51, 0, 0x2f), 'jp2'],
    [bytes('%PDF-1.7\n%'), 'pdf'],
    [bytes('GIF89a', 1, 0, 1, 0), 'gif'],
    [bytes('GIF87a', 1, 0, 1, 0), 'gif'],
    [bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 '), 'webp'],
    [bytes('BM', 0x36, 0x10, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0), 'bmp'],
    [bytes(0, 0, 0, 0x18, 'ftypheic', 0, 0, 0, 0), 'heic'],
    [bytes(0, 0, 0, 0x1c, 'ftypavif', 0, 0, 0, 0), 'heic'],
    [bytes('RIFF', 0x24, 0, 0, 0, 'WAVEfmt '), 'unknown'],
    [bytes('hello, world'), 'unknown'],
    [bytes('II', 0x2a), 'unknown'], // cut before the TIFF magic is complete
    [new Uint8Array(), 'unknown'],
  ];
  for (const [header, type] of cases) {
    const sniffed = sniffImageType(header);
    t.false(sniffed.accepted, type);
    t.is(sniffed.type, type);
    if (!sniffed.accepted) t.regex(sniffed.reason, /TIFF/, `${type} reason says what to upload instead`);
  }
  const jp2 = sniffImageType(jp2Bytes());
  t.true(!jp2.accepted && /JPEG 2000/.test(jp2.reason) && /export .* TIFF/i.test(jp2.reason));
});

// --- accepted formats and resolution ----------------------------------------------------------

for (const format of ['tiff', 'jpeg', 'png'] as const) {
  test(`a ${format} page at 300 dpi is accepted with its size, colour and DPI`, async (t) => {
    const page = await makePage({ path: file(`page-300.${format}`), width: 1200, height: 1700, format, dpi: 300 });
    const result = await validatePage(page, PROFILE);
    t.like(result, {
      format,
      mimeType: `image/${format}`,
      extension: { tiff: 'tif', jpeg: 'jpg', png: 'png' }[format],
      page: 0,
      pageCount: 1,
      width: 1200,
      height: 1700,
      dpi: 300,
      channels: 3,
      colourSpace: 'srgb',
      bitDepth: 8,
    });
    t.deepEqual(result.warnings, []);
  });
}

test('PNG resolution is stored per metre (11811 px/m) and read as 300 dpi', async (t) => {
  const page = await makePage({ path: file('metre.png'), width: 600, height: 800, format: 'png', dpi: 300 });
  const { readFile } = await import('node:fs/promises');
  const phys = pngChunks(await readFile(page)).find((chunk) => chunk.type === 'pHYs');
  t.truthy(phys);
  t.is(phys?.data.readUInt32BE(0), 11811);
  t.is(phys?.data[8], 1, 'unit: metre');
  t.is((await validatePage(page, PROFILE)).dpi, 300);
});

test('resolution in centimetres (TIFF ResolutionUnit 3, JFIF units 2) is converted to DPI', async (t) => {
  const tiff = file('cm.tif');
  await writeRawTiff(tiff, {
    width: 64,
    height: 48,
    channels: 1,
    fillRow: (row, y) => row.fill(y * 5),
    resolution: { numerator: 11811, denominator: 100, unit: 3 },
  });
  t.is((await validatePage(tiff, PROFILE)).dpi, 300);

  const plain = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } }).jpeg().toBuffer();
  await writeFile(file('jfif-cm.jpg'), withJfif(plain, 2, 118)); // 118 dots/cm = 299.7 dpi
  await writeFile(file('jfif-inch.jpg'), withJfif(plain, 1, 400));
  t.is((await validatePage(file('jfif-cm.jpg'), PROFILE)).dpi, 300);
  t.is((await validatePage(file('jfif-inch.jpg'), PROFILE)).dpi, 400);
});

test('a page that states no resolution gets dpi null and a resolutionUnknown warning, not lowResolution', async (t) => {
  const png = await makePage({ path: file('no-dpi.png'), width: 600, height: 800, format: 'png' });
  const tiff = await makePage({ path: file('no-dpi.tif'), width: 600, height: 800, format: 'tiff' });
  const jpeg = await makePage({ path: file('no-dpi.jpg'), width: 600, height: 800, format: 'jpeg' });
  const aspectOnly = file('aspect-only.tif');
  await writeRawTiff(aspectOnly, {
    width: 32,
    height: 32,
    channels: 1,
    fillRow: (row) => row.fill(200),
    resolution: { numerator: 300, denominator: 1, unit: 1 },
  });
  const plain = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } }).jpeg().toBuffer();
  await writeFile(file('jfif-aspect.jpg'), withJfif(plain, 0, 1));
  // sharp itself reports 72 dpi for some of these: the stage must not believe it.
  t.is((await sharp(png).metadata()).density, 72);
  for (const page of [png, tiff, jpeg, aspectOnly, file('jfif-aspect.jpg')]) {
    const result = await validatePage(page, PROFILE);
    t.is(result.dpi, null, page);
    t.deepEqual(warningCodes(result), ['resolutionUnknown'], page);
    t.regex(result.warnings[0]?.message ?? '', /resolution \(DPI\)/);
  }
});

test('a page below the profile DPI is flagged lowResolution (a warning, not a refusal)', async (t) => {
  const page = await makePage({ path: file('low.jpg'), width: 600, height: 850, format: 'jpeg', dpi: 150 });
  const strict = await validatePage(page, { ...PROFILE, minDpi: 300 });
  t.is(strict.dpi, 150);
  t.deepEqual(warningCodes(strict), ['lowResolution']);
  t.regex(strict.warnings[0]?.message ?? '', /150 DPI.*300 DPI/);
  t.deepEqual((await validatePage(page, { ...PROFILE, minDpi: 150 })).warnings, []);
});

test('a BigTIFF page is accepted and its resolution read', async (t) => {
  await sharp({ create: { width: 640, height: 480, channels: 3, background: '#c0c0c0' } })
    .withDensity(600)
    .tiff({ compression: 'deflate', bigtiff: true })
    .toFile(file('bigtiff.tif'));
  t.like(await validatePage(file('bigtiff.tif'), PROFILE), { format: 'tiff', width: 640, height: 480, dpi: 600, warnings: [] });
});

test('a greyscale TIFF keeps one channel; the real format wins over a wrong file extension', async (t) => {
  const grey = await makePage({ path: file('grey.tif'), width: 600, height: 800, format: 'tiff', dpi: 400, colour: 'grey' });
  t.like(await validatePage(grey, PROFILE), { format: 'tiff', channels: 1, colourSpace: 'b-w', bitDepth: 8, dpi: 400 });

  const png = await makePage({ path: file('real-png.png'), width: 300, height: 400, format: 'png', dpi: 300 });
  await copyFile(png, file('looks-like.jpg'));
  t.like(await validatePage(file('looks-like.jpg'), PROFILE), { format: 'png', mimeType: 'image/png', extension: 'png' });
});

// --- refused formats ---------------------------------------------------------------------------

test('a JPEG 2000 file is refused with the message to export TIFF or PNG from the scanner software', async (t) => {
  await writeFile(file('scan.jp2'), Buffer.concat([jp2Bytes(), Buffer.alloc(500, 7)]));
  const error = await t.throwsAsync(validatePage(file('scan.jp2'), PROFILE), { instanceOf: InvalidInputError });
  t.is(reasonOf(error), 'unsupported-format');
  t.is(error?.details.format, 'jp2');
  t.regex(error?.message ?? '', /JPEG 2000/);
  t.regex(error?.message ?? '', /scanner software/);
  t.regex(error?.message ?? '', /TIFF/);
  t.regex(error?.message ?? '', /PNG/);
});

test('PDF, GIF, random bytes and an empty file are refused as unsupported formats', async (t) => {
  const gif = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#123456' } }).gif().toBuffer();
  const files: [string, Uint8Array, string, RegExp][] = [
    ['doc.pdf', Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n'), 'pdf', /PDF document/],
    ['anim.gif', gif, 'gif', /GIF/],
    ['noise.tif', Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24), 'unknown', /not a recognised page image/],
    ['empty.png', new Uint8Array(), 'empty', /empty/],
  ];
  for (const [name, content, format, message] of files) {
    await writeFile(file(name), content);
    const error = await t.throwsAsync(validatePage(file(name), PROFILE), { instanceOf: InvalidInputError }, name);
    t.is(reasonOf(error), 'unsupported-format', name);
    t.is(error?.details.format, format, name);
    t.regex(error?.message ?? '', message, name);
  }
});

// --- damaged files -----------------------------------------------------------------------------

// libvips keeps one error buffer per process: the decoder's text can be lost ("Unknown error")
// while other images decode at the same time. The refusal never is; the tests that check the
// text run serially.

test.serial('JPEG, PNG and TIFF files cut in half are refused as corrupt, naming what the decoder saw', async (t) => {
  const jpeg = await makePage({ path: file('whole.jpg'), width: 1200, height: 1700, format: 'jpeg', dpi: 300 });
  const png = await makePage({ path: file('whole.png'), width: 1200, height: 1700, format: 'png', dpi: 300 });
  const lzwTiff = await makePage({ path: file('whole-libvips.tif'), width: 1200, height: 1700, format: 'tiff', dpi: 300 });
  const stripTiff = file('whole-directory-first.tif');
  await writeRawTiff(stripTiff, {
    width: 1200,
    height: 1700,
    channels: 3,
    fillRow: (row, y) => row.forEach((_, i) => (row[i] = (i + y) & 0xff)),
    resolution: { numerator: 300, denominator: 1, unit: 2 },
  });
  const cases: [string, RegExp, RegExp][] = [
    [jpeg, /premature end of JPEG image/, /JPEG file's image data are incomplete or damaged/],
    [png, /libpng read error/, /PNG file's image data are incomplete or damaged/],
    [stripTiff, /Read error at scanline \d+/, /TIFF file's image data are incomplete or damaged/],
    // libvips writes the directory after the pixels: cut in half, the header cannot be read.
    [lzwTiff, /unsupported image format/, /TIFF file's header or image directory cannot be read/],
  ];
  for (const [whole, decoder, message] of cases) {
    t.is((await validatePage(whole, PROFILE)).width, 1200, `${whole} is valid before it is cut`);
    const cut = `${whole}.cut${path.extname(whole)}`;
    await truncateCopy(whole, cut, 0.5);
    const error = await t.throwsAsync(validatePage(cut, PROFILE), { instanceOf: InvalidInputError }, cut);
    t.is(reasonOf(error), 'corrupt', cut);
    t.regex(String(error?.details.decoder), decoder, cut);
    t.regex(error?.message ?? '', message, cut);
    t.regex(error?.message ?? '', /upload it again/, cut);
  }
});

test.serial('a real two-page TIFF cut in half is refused as corrupt, not taken for a one-page file', async (t) => {
  const cut = file('vietsample-cut.tif');
  await truncateCopy(VIETSAMPLE, cut, 0.5);
  const error = await t.throwsAsync(validatePage(cut, PROFILE), { instanceOf: InvalidInputError });
  t.is(reasonOf(error), 'corrupt');
  t.regex(String(error?.details.decoder), /directory/i);
});

test.serial('a TIFF that decodes with libtiff warnings is accepted with a decoderWarning', async (t) => {
  const page = file('unsorted-tags.tif');
  await writeRawTiff(page, {
    width: 64,
    height: 64,
    channels: 1,
    fillRow: (row, y) => row.fill(y * 4),
    resolution: { numerator: 300, denominator: 1, unit: 2 },
    unsortedExtraTags: [{ tag: 274, value: 1 }], // Orientation after PlanarConfiguration
  });
  const result = await validatePage(page, PROFILE);
  t.deepEqual(warningCodes(result), ['decoderWarning']);
  t.regex(result.warnings[0]?.message ?? '', /not sorted/);
});

// --- pixel limit -------------------------------------------------------------------------------

test.serial('a decompression bomb (PNG claiming 100000 × 100000) is refused from its header, without allocating', async (t) => {
  await writeFile(file('bomb.png'), pngBomb(100_000, 100_000));
  const rss = sampleRss(10);
  const error = await t.throwsAsync(validatePage(file('bomb.png'), PROFILE), { instanceOf: InvalidInputError });
  const { growth } = rss.stop();
  t.log(`RSS growth while refusing the bomb: ${megabytes(growth)}`);
  t.true(growth < 100 * 1024 * 1024, `RSS grew by ${megabytes(growth)}`);
  t.is(reasonOf(error), 'too-many-pixels');
  t.like(error?.details, { width: 100_000, height: 100_000, maxPixels: PROFILE.maxPixels });
  t.regex(error?.message ?? '', /100000 × 100000 pixels \(10000 megapixels\)/);
  t.regex(error?.message ?? '', /limit of 50 megapixels/);
});

test('the pixel limit is per page and inclusive', async (t) => {
  const page = await makePage({ path: file('limit.png'), width: 400, height: 300, format: 'png', dpi: 300 });
  t.is((await validatePage(page, { minDpi: 300, maxPixels: 120_000 })).width, 400);
  const error = await t.throwsAsync(validatePage(page, { minDpi: 300, maxPixels: 119_999 }), { instanceOf: InvalidInputError });
  t.is(reasonOf(error), 'too-many-pixels');
});

// --- multi-page TIFF ---------------------------------------------------------------------------

test('the real two-page vietsample.tif: pageCount 2, each page listed and validated as { path, page }', async (t) => {
  const first = await validatePage(VIETSAMPLE, PROFILE);
  t.like(first, { format: 'tiff', page: 0, pageCount: 2, width: 2550, height: 3300, dpi: 300 });
  t.like(first, { channels: 1, colourSpace: 'b-w', bitDepth: 1 });
  t.deepEqual(first.warnings, []);

  t.deepEqual(await listTiffPages(VIETSAMPLE), [
    { page: 0, width: 2550, height: 3300, dpi: 300 },
    { page: 1, width: 2550, height: 3300, dpi: 300 },
  ]);
  t.like(await validatePage({ path: VIETSAMPLE, page: 1 }, PROFILE), { page: 1, pageCount: 2, width: 2550, dpi: 300 });

  const missing = await t.throwsAsync(validatePage({ path: VIETSAMPLE, page: 2 }, PROFILE), { instanceOf: InvalidInputError });
  t.is(reasonOf(missing), 'page-out-of-range');
  t.regex(missing?.message ?? '', /has 2 pages/);
  await t.throwsAsync(validatePage({ path: VIETSAMPLE, page: -1 }, PROFILE), { instanceOf: InvalidInputError });
});

test('listTiffPages refuses a TIFF with more images than one file may hold, naming the count', async (t) => {
  await t.throwsAsync(listTiffPages(VIETSAMPLE, 1), { instanceOf: InvalidInputError, message: /holds 2 images; at most 1 .*split it/ });
  t.is((await listTiffPages(VIETSAMPLE, 2)).length, 2);
});

test('a refused image of a multi-page TIFF is named by its place in the file, with the reason in the details', (t) => {
  const error = t.throws(
    () => assertProcessableStructure({ colourSpace: 'srgb', sampleFormat: 'uchar', channels: 6 }, { path: 'book.tif', page: 1, pageCount: 3 }),
    { instanceOf: InvalidInputError },
  );
  t.regex(error.message, /^Image 2 of the 3 in this TIFF has 6 channels: 3 for RGB colour and 3 extra/);
  t.is(reasonOf(error), 'too-many-channels');
});

test('listTiffPages lists a single-page file as one page', async (t) => {
  const page = await makePage({ path: file('single.jpg'), width: 300, height: 200, format: 'jpeg', dpi: 200 });
  t.deepEqual(await listTiffPages(page), [{ page: 0, width: 300, height: 200, dpi: 200 }]);
});

// --- caller mistakes ---------------------------------------------------------------------------

test('a missing file is NotFoundError; a nonsensical profile is InvalidInputError', async (t) => {
  await t.throwsAsync(validatePage(file('does-not-exist.tif'), PROFILE), { instanceOf: NotFoundError });
  const page = await makePage({ path: file('profile.png'), width: 100, height: 100, format: 'png', dpi: 300 });
  await t.throwsAsync(validatePage(page, { minDpi: 300, maxPixels: 0 }), { instanceOf: InvalidInputError, message: /pixel limit/ });
  await t.throwsAsync(validatePage(page, { minDpi: Number.NaN, maxPixels: 1000 }), {
    instanceOf: InvalidInputError,
    message: /minimum DPI/,
  });
});
