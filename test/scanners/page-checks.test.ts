import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import test from 'ava';
import sharp, { type Sharp } from 'sharp';

import { checkPage, type PageProblem } from '../../scanners/checks/check-page.ts';
import { describePageProblem } from '../../scanners/checks/describe-problem.ts';
import { BLANK_INK_RATIO, inspectPage, SIGNATURE_SIZE } from '../../scanners/checks/inspect-page.ts';
import { loadStationProfile, type StationProfile } from '../../scanners/profiles/station-profile.ts';
import { StationError } from '../../scanners/station-error.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures');
const VIETSAMPLE = path.join(FIXTURES, 'vietnamese', 'vietsample.tif');
const KIEU_COLUMN = path.join(FIXTURES, 'hannom', 'kieu1866', 'line-01.jpg');

/** An A4 sheet at 300 dpi, the size the blank threshold was calibrated on. */
const A4 = { width: 2480, height: 3508 };

let dir = '';
let text: StationProfile;
let rare: StationProfile;

test.before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'station-page-checks-'));
  text = await loadStationProfile('text');
  rare = await loadStationProfile('rare');
});
test.after.always(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

const file = (name: string): string => path.join(dir, name);

/** Page 1 of vietsample.tif (300 dpi, 1-bit) at half size, as a pipeline to finish: 1275 × 1650 px of real Vietnamese text. */
const realPage = (): Sharp => sharp(VIETSAMPLE).resize(1275);

async function write(name: string, image: Sharp): Promise<string> {
  await image.toFile(file(name));
  return file(name);
}

async function problemsOf(path: string, profile: StationProfile): Promise<PageProblem[]> {
  return checkPage(await inspectPage(path), profile);
}

// --- crafted files ----------------------------------------------------------------------------

/**
 * A little-endian, uncompressed, single-strip greyscale TIFF written by hand: sharp always
 * writes 8-bit TIFFs, and some cases need 16 bits or a ResolutionUnit of "none".
 */
function handTiff(options: { grey: GreyPixels; bits: 8 | 16; dpi?: number; unit?: 1 | 2 }): Buffer {
  const { bits } = options;
  const { width, height, pixels } = options.grey;
  const bytesPerSample = bits / 8;
  const entries: [number, number, number][] = [
    [256, 4, width],
    [257, 4, height],
    [258, 3, bits],
    [259, 3, 1],
    [262, 3, 1],
    [273, 4, 0],
    [277, 3, 1],
    [278, 4, height],
    [279, 4, width * height * bytesPerSample],
  ];
  if (options.dpi !== undefined) entries.push([282, 5, 0], [283, 5, 0], [296, 3, options.unit ?? 2]);
  entries.sort((a, b) => a[0] - b[0]);
  const ifdSize = 2 + entries.length * 12 + 4;
  const rationals = 8 + ifdSize;
  const data = rationals + 16;
  const buffer = Buffer.alloc(data + width * height * bytesPerSample);
  buffer.write('II', 0, 'latin1');
  buffer.writeUInt16LE(42, 2);
  buffer.writeUInt32LE(8, 4);
  buffer.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], index) => {
    const at = 10 + index * 12;
    const resolved = tag === 273 ? data : tag === 282 ? rationals : tag === 283 ? rationals + 8 : value;
    buffer.writeUInt16LE(tag, at);
    buffer.writeUInt16LE(type, at + 2);
    buffer.writeUInt32LE(1, at + 4);
    if (type === 3) buffer.writeUInt16LE(resolved, at + 8);
    else buffer.writeUInt32LE(resolved, at + 8);
  });
  for (const offset of [rationals, rationals + 8]) {
    buffer.writeUInt32LE(options.dpi ?? 0, offset);
    buffer.writeUInt32LE(1, offset + 4);
  }
  pixels.forEach((value, index) => {
    if (bits === 16) buffer.writeUInt16LE(value * 257, data + 2 * index);
    else buffer.writeUInt8(value, data + index);
  });
  return buffer;
}

interface GreyPixels {
  width: number;
  height: number;
  pixels: Uint8Array;
}

async function realGreyPixels(): Promise<GreyPixels> {
  const { data, info } = await realPage().toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, pixels: data };
}

/** Drops PNG chunks by type (sharp writes the density twice: pHYs and an eXIf block that it reads back first). */
function withoutPngChunks(png: Buffer, types: string[]): Buffer {
  const parts = [png.subarray(0, 8)];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    if (!types.includes(png.toString('latin1', offset + 4, offset + 8))) parts.push(png.subarray(offset, offset + 12 + length));
    offset += 12 + length;
  }
  return Buffer.concat(parts);
}

// --- generated sheets -------------------------------------------------------------------------

/** Deterministic normal noise (Box–Muller over a small LCG): the same sheets on every run. */
function noiseSource(seed: number): () => number {
  let state = seed;
  const uniform = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state + 1) / 2147483649;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** A greyscale A4 sheet drawn pixel by pixel, as a sharp pipeline (written as 8-bit grey). */
function sheet(pixel: (x: number, y: number) => number): Sharp {
  const { width, height } = A4;
  const pixels = Buffer.alloc(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) pixels[y * width + x] = Math.max(0, Math.min(255, Math.round(pixel(x, y))));
  }
  return sharp(pixels, { raw: { width, height, channels: 1 } }).toColourspace('b-w').withDensity(300);
}

/** Lamp fall-off: 17 % darker in the corners than in the middle. */
function vignette(x: number, y: number): number {
  const dx = (2 * x) / A4.width - 1;
  const dy = (2 * y) / A4.height - 1;
  return 1 - (0.35 * (dx * dx + dy * dy)) / 2;
}

/** A black platen strip along the left edge and the shadow between it and the paper. */
function leftBorder(x: number, paper: number): number {
  if (x < 180) return 15;
  if (x < 300) return Math.min(paper, 60 + ((paper - 60) * (x - 180)) / 120);
  return paper;
}

/** Generated blank sheets by name, each with the file extension it is written as. */
function blankSheets(): [string, Sharp, string][] {
  const noise = noiseSource(7);
  const specks = Array.from({ length: 25 }, (_, index) => ({ x: (index * 977) % A4.width, y: (index * 1531) % A4.height, r: 1 + (index % 3) }));
  return [
    ['paper grey with noise', sheet(() => 232 + 6 * noise()).png(), 'png'],
    ['vignette', sheet((x, y) => 235 * vignette(x, y) + 5 * noise()).png(), 'png'],
    ['black border strip with shadow', sheet((x) => leftBorder(x, 232) + 5 * noise()).png(), 'png'],
    ['closed lid', sheet(() => 215 + 3 * noise()).jpeg({ quality: 80 }), 'jpg'],
    ['open lid (all dark)', sheet(() => 18 + 4 * noise()).jpeg({ quality: 80 }), 'jpg'],
    [
      'vignette, two borders, top strip and dust',
      sheet((x, y) => {
        const paper = Math.min(228 * vignette(x, y), leftBorder(x, 255), leftBorder(A4.width - 1 - x, 255), y < 120 ? 20 : 255);
        const dust = specks.some((speck) => Math.abs(x - speck.x) <= speck.r && Math.abs(y - speck.y) <= speck.r);
        return paper - (dust ? 90 : 0) + 5 * noise();
      }).jpeg({ quality: 85 }),
      'jpg',
    ],
  ];
}

/**
 * A real piece of writing alone on a noisy, vignetted A4 sheet: `box` of `source` (its paper
 * level mapped to the sheet's) scaled by `scale` and placed at `at`.
 */
async function sparseSheet(source: string, box: { left: number; top: number; width: number; height: number }, scale: number, at: { x: number; y: number }): Promise<Sharp> {
  const { data, info } = await sharp(source)
    .extract(box)
    .resize(Math.round(box.width * scale))
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const paperOfSource = [...data].sort((a, b) => a - b)[Math.floor(data.length * 0.9)]!;
  const noise = noiseSource(11);
  return sheet((x, y) => {
    const paper = 230 * vignette(x, y) + 4 * noise();
    const cx = x - at.x;
    const cy = y - at.y;
    if (cx < 0 || cy < 0 || cx >= info.width || cy >= info.height) return paper;
    return Math.min(paper, (data[cy * info.width + cx]! / paperOfSource) * paper);
  });
}

// --- inspection -------------------------------------------------------------------------------

test('inspectPage reports size, a streamed sha256, format, size, resolution and mode of the first page of a multi-page TIFF', async (t) => {
  const copy = file('vietsample.tif');
  await copyFile(VIETSAMPLE, copy);
  const inspection = await inspectPage(path.relative(process.cwd(), copy));
  t.is(inspection.file, copy);
  t.is(inspection.name, 'vietsample.tif');
  const bytes = await readFile(VIETSAMPLE);
  t.is(inspection.size, bytes.length);
  t.is(inspection.sha256, createHash('sha256').update(bytes).digest('hex'));
  t.like(inspection, { format: 'tiff', width: 2550, height: 3300, dpi: 300, colour: 'bilevel', bitsPerSample: 1, blank: false });
  t.is(inspection.unreadable, undefined);
  t.is(inspection.signature?.length, SIGNATURE_SIZE ** 2);
  t.deepEqual(checkPage(inspection, text), [], 'a real 300 dpi bilevel TIFF is a good page for the text profile');
});

test('inspectPage sees the new content of a page replaced under the same name (no stale decode)', async (t) => {
  const target = file('replaced.png');
  await writeFile(target, await realPage().toColourspace('b-w').png().withDensity(300).toBuffer());
  t.false((await inspectPage(target)).blank);
  await writeFile(target, await sheet(() => 235).resize(1275).png().withDensity(300).toBuffer());
  t.true((await inspectPage(target)).blank);
});

test('inspectPage throws a StationError when the file cannot be read at all', async (t) => {
  await t.throwsAsync(inspectPage(file('no-such-page.tif')), { instanceOf: StationError, message: /no-such-page\.tif/ });
});

// --- each check fires on a crafted bad page and stays quiet on a good one ---------------------

test('good pages pass: greyscale 300 dpi TIFF, PNG and JPEG for text; colour 400 dpi TIFF for rare', async (t) => {
  const grey = realPage().toColourspace('b-w').withDensity(300);
  t.deepEqual(await problemsOf(await write('good.tif', grey.clone().tiff()), text), []);
  t.deepEqual(await problemsOf(await write('good.png', grey.clone().png()), text), []);
  t.deepEqual(await problemsOf(await write('good.jpg', grey.clone().jpeg()), text), []);
  const bilevel = await write('good-bilevel.tif', grey.clone().tiff({ bitdepth: 1 }));
  t.like(await inspectPage(bilevel), { colour: 'bilevel', bitsPerSample: 1 });
  t.deepEqual(await problemsOf(bilevel, text), []);
  t.deepEqual(await problemsOf(await write('good-colour.tif', realPage().toColourspace('srgb').tiff().withDensity(400)), rare), []);
});

test('dpi-low: a 200 dpi page for a 300 dpi profile', async (t) => {
  const page = await write('low.tif', realPage().toColourspace('b-w').tiff().withDensity(200));
  t.deepEqual(await problemsOf(page, text), [{ code: 'dpi-low', dpi: 200, min: 300 }]);
});

test('dpi-missing: a JPEG or a TIFF that records no resolution (not libvips’s 72 dpi default)', async (t) => {
  const jpeg = await write('no-dpi.jpg', realPage().toColourspace('b-w').jpeg());
  t.is((await sharp(jpeg).metadata()).density, 72, 'sharp reports its 72 dpi default for this file');
  t.deepEqual(await problemsOf(jpeg, text), [{ code: 'dpi-missing', min: 300 }]);
  const tiff = file('unit-none.tif');
  await writeFile(tiff, handTiff({ grey: await realGreyPixels(), bits: 8, dpi: 300, unit: 1 }));
  t.is((await inspectPage(tiff)).dpi, undefined, 'ResolutionUnit "none" is no resolution');
});

test('a PNG’s resolution comes from its pHYs chunk alone', async (t) => {
  const png = withoutPngChunks(await realPage().toColourspace('b-w').png().withDensity(300).toBuffer(), ['eXIf']);
  await writeFile(file('phys.png'), png);
  t.is((await inspectPage(file('phys.png'))).dpi, 300);
  await writeFile(file('no-phys.png'), withoutPngChunks(png, ['pHYs']));
  t.is((await inspectPage(file('no-phys.png'))).dpi, undefined);
});

test('format: a PNG for the TIFF-only rare profile', async (t) => {
  const page = await write('colour.png', realPage().toColourspace('srgb').png().withDensity(400));
  t.deepEqual(await problemsOf(page, rare), [{ code: 'format', format: 'png', accepted: ['tiff'] }]);
});

test('a JPEG renamed .tif is inspected as format "jpeg"', async (t) => {
  const page = file('renamed.tif');
  await writeFile(page, await realPage().toColourspace('srgb').jpeg().withDensity(400).toBuffer());
  t.is((await inspectPage(page)).format, 'jpeg');
  t.deepEqual(await problemsOf(page, rare), [{ code: 'format', format: 'jpeg', accepted: ['tiff'] }]);
});

test('colour-mode: an RGB page for the greyscale text profile, a grey page for the colour rare profile', async (t) => {
  const rgb = await write('rgb.tif', realPage().toColourspace('srgb').tiff().withDensity(300));
  t.deepEqual(await problemsOf(rgb, text), [{ code: 'colour-mode', found: 'colour', expected: 'greyscale' }]);
  const grey = await write('grey-400.tif', realPage().toColourspace('b-w').tiff().withDensity(400));
  t.deepEqual(await problemsOf(grey, rare), [{ code: 'colour-mode', found: 'greyscale', expected: 'colour' }]);
});

test('bit-depth: 16-bit pages where only 1 and 8 bits are accepted (PNG and TIFF)', async (t) => {
  const png = await write('sixteen.png', realPage().toColourspace('grey16').png().withDensity(300));
  t.deepEqual(await problemsOf(png, text), [{ code: 'bit-depth', found: 16, accepted: [1, 8] }]);
  const tiff = file('sixteen.tif');
  await writeFile(tiff, handTiff({ grey: await realGreyPixels(), bits: 16, dpi: 300 }));
  t.deepEqual(await problemsOf(tiff, text), [{ code: 'bit-depth', found: 16, accepted: [1, 8] }]);
});

test('blank: generated blank sheets (noise, vignette, border strip and shadow, lids, dust) are blank', async (t) => {
  for (const [name, image, extension] of blankSheets()) {
    const page = await write(`${name}.${extension}`, image);
    const inspection = await inspectPage(page);
    t.log(`${name}: inkRatio ${inspection.inkRatio?.toFixed(6)}`);
    t.true(inspection.blank, name);
    t.true(inspection.inkRatio! < BLANK_INK_RATIO, name);
    t.deepEqual(checkPage(inspection, text), [{ code: 'blank' }], name);
  }
});

test('blank does not fire on sparse real pages: one title line of vietsample.tif, one Kiều column, on noisy paper', async (t) => {
  const sparse = {
    'title line': await sparseSheet(VIETSAMPLE, { left: 1112, top: 213, width: 326, height: 63 }, A4.width / 2550, { x: 1000, y: 700 }),
    'Kiều column': await sparseSheet(KIEU_COLUMN, { left: 0, top: 0, width: 28, height: 186 }, 7, { x: 1600, y: 600 }),
  };
  for (const [name, image] of Object.entries(sparse)) {
    const inspection = await inspectPage(await write(`sparse ${name}.png`, image.png()));
    t.log(`${name}: inkRatio ${inspection.inkRatio?.toFixed(6)}`);
    t.false(inspection.blank, name);
    t.true(inspection.inkRatio! > 3 * BLANK_INK_RATIO, `${name} is well clear of the threshold`);
    t.deepEqual(checkPage(inspection, text), [], name);
  }
});

test('unreadable: a truncated TIFF whose header still reads, a text file named .tif, an empty file', async (t) => {
  const bytes = await readFile(VIETSAMPLE);
  const truncated = file('truncated.tif');
  await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
  t.is((await sharp(truncated).metadata()).width, 2550, 'the header is intact: only decoding finds the damage');
  const textFile = file('notes.tif');
  await writeFile(textFile, 'Trang 12 quét lại sau.\n');
  const empty = file('empty.tif');
  await writeFile(empty, '');
  for (const page of [truncated, textFile, empty]) {
    const inspection = await inspectPage(page);
    t.truthy(inspection.unreadable, page);
    t.is(inspection.unreadableReason, 'damaged');
    t.is(inspection.format, undefined, 'no image fields on an unreadable page');
    t.is(inspection.blank, undefined);
    t.deepEqual(checkPage(inspection, text), [{ code: 'unreadable', detail: inspection.unreadable!, reason: 'damaged' }]);
  }
});

test('unreadable: a JPEG 2000 file is recognised as such', async (t) => {
  const jp2 = file('page.jp2');
  const signature = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];
  await writeFile(jp2, Buffer.concat([Buffer.from(signature), Buffer.alloc(64)]));
  const inspection = await inspectPage(jp2);
  t.is(inspection.unreadableReason, 'jpeg-2000');
  t.regex(describePageProblem(checkPage(inspection, rare)[0]!), /JPEG 2000/);
});

// --- operator messages --------------------------------------------------------------------------

test('describePageProblem says in Vietnamese what is wrong and what to do, NFC, numbers in Vietnamese style', (t) => {
  const cases: [PageProblem, RegExp][] = [
    [{ code: 'unreadable', detail: 'VipsJpeg: premature end of JPEG image' }, /Không đọc được tệp.*Quét lại/],
    [{ code: 'format', format: 'png', accepted: ['tiff'] }, /Định dạng PNG không được nhận.*chỉ nhận TIFF.*lưu ở dạng TIFF/],
    [{ code: 'dpi-missing', min: 400 }, /không ghi độ phân giải.*quét lại ở ít nhất 400 dpi/],
    [{ code: 'dpi-low', dpi: 200, min: 400 }, /200 dpi thấp hơn mức tối thiểu 400 dpi\. Quét lại ở 400 dpi\./],
    [{ code: 'dpi-low', dpi: 1200, min: 2400 }, /1\.200 dpi.*2\.400 dpi/],
    [{ code: 'colour-mode', found: 'colour', expected: 'greyscale' }, /ảnh màu.*cần ảnh xám hoặc đen trắng.*chế độ ảnh xám/],
    [{ code: 'colour-mode', found: 'bilevel', expected: 'colour' }, /đen trắng.*cần ảnh màu.*chế độ màu/],
    [{ code: 'bit-depth', found: 16, accepted: [1, 8] }, /16 bit.*1 hoặc 8 bit.*ở 8 bit/],
    [{ code: 'blank' }, /Trang trắng.*quét lại/],
  ];
  for (const [problem, expected] of cases) {
    const message = describePageProblem(problem);
    t.regex(message, expected, problem.code);
    t.is(message, message.normalize('NFC'));
  }
});
