import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import test from 'ava';
import fontkit from '@pdf-lib/fontkit';
import { PDFArray, PDFBool, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString } from 'pdf-lib';
import sharp from 'sharp';

import { buildSearchablePdf, type SearchablePdfPage } from '../../../pipeline/package/index.ts';
import { buildGlyphlessFont } from '../../../pipeline/package/glyphless-font.ts';
import { buildToUnicodeCmap } from '../../../pipeline/package/to-unicode-cmap.ts';
import { InvalidInputError, NotFoundError } from '../../../storage/errors.ts';
import { HORIZONTAL_LINES, VERTICAL_COLUMNS, horizontalOcr, line, ocrResult, verticalOcr } from './ocr-fixtures.ts';

const run = promisify(execFile);

const TITLE = 'Địa chí tỉnh Đắk Nông — 𡨸 Nôm';
const METADATA = {
  title: TITLE,
  author: 'Thư viện tỉnh Đắk Nông',
  subject: 'Tài liệu địa chí',
  keywords: ['địa chí', 'Quốc ngữ', 'Hán Nôm'],
  language: 'vi',
  creator: 'thu-vien-so 0.1.0',
};

/** Every word the text layer must give back, exactly. */
const WORDS = [...HORIZONTAL_LINES.flatMap((text) => text.split(' ')), ...VERTICAL_COLUMNS];

interface Fixture {
  dir: string;
  jpegs: Buffer[];
  pages: SearchablePdfPage[];
  pdfPath: string;
  pdf: Uint8Array;
}

let fixturePromise: Promise<Fixture> | undefined;

/** Builds the 3-page PDF once: horizontal Quốc ngữ page, vertical Hán page, image-only page. */
function fixture(): Promise<Fixture> {
  fixturePromise ??= (async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'searchable-pdf-'));
    const jpegs = await Promise.all([
      sharp({ create: { width: 1200, height: 1600, channels: 3, background: '#f3ecd9' } }).jpeg({ quality: 85 }).toBuffer(),
      // A greyscale (one-component) JPEG, as scans of text often are.
      sharp({ create: { width: 1000, height: 1400, channels: 3, background: '#dddddd' } }).toColourspace('b-w').jpeg().toBuffer(),
      sharp({ create: { width: 800, height: 1000, channels: 3, background: '#ffffff' } }).jpeg().toBuffer(),
    ]);
    const paths = jpegs.map((_, index) => path.join(dir, `page-${index + 1}.jpg`));
    await Promise.all(jpegs.map((jpeg, index) => writeFile(paths[index] as string, jpeg)));
    const pages: SearchablePdfPage[] = [
      { jpegPath: paths[0] as string, widthPx: 1200, heightPx: 1600, dpi: 150, ocr: horizontalOcr() },
      { jpegPath: paths[1] as string, widthPx: 1000, heightPx: 1400, dpi: null, ocr: verticalOcr() },
      { jpegPath: paths[2] as string, widthPx: 800, heightPx: 1000, dpi: 200 },
    ];
    const pdfPath = path.join(dir, 'document.pdf');
    await buildSearchablePdf(pages, METADATA, pdfPath);
    return { dir, jpegs, pages, pdfPath, pdf: new Uint8Array(await readFile(pdfPath)) };
  })();
  return fixturePromise;
}

test.after.always(async () => {
  if (fixturePromise) await rm((await fixturePromise).dir, { recursive: true, force: true });
});

function codePoints(text: string): number[] {
  return [...text].map((char) => char.codePointAt(0) as number);
}

/** Whether `needle`'s code points occur, in order and contiguously, in `haystack`'s. */
function containsCodePoints(haystack: string, needle: string): boolean {
  const hay = codePoints(haystack);
  const want = codePoints(needle);
  return hay.some((_, start) => want.every((codePoint, offset) => hay[start + offset] === codePoint));
}

async function pdftotext(pdfPath: string, page?: number): Promise<string> {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', ...range, pdfPath, '-']);
  return stdout.normalize('NFC');
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((entry) => entry.replace(/\f/g, '').trim())
    .filter((entry) => entry !== '');
}

/** pdf.js text per page, items joined and broken at `hasEOL`. */
async function pdfjsPages(pdf: Uint8Array): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await pdfjs.getDocument({ data: pdf.slice(), useSystemFonts: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number += 1) {
    const content = await (await document.getPage(number)).getTextContent();
    let text = '';
    for (const item of content.items) {
      if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '');
    }
    pages.push(text.normalize('NFC'));
  }
  await document.destroy();
  return pages;
}

test('pdftotext extracts every word exactly, non-BMP Nôm and PUA included', async (t) => {
  const { pdfPath } = await fixture();
  const text = await pdftotext(pdfPath);
  for (const word of WORDS) {
    t.true(containsCodePoints(text, word), `pdftotext lost "${word}" (${codePoints(word).map((c) => c.toString(16)).join(' ')}) in:\n${text}`);
  }
  t.true(codePoints(text).includes(0x21a38), '𡨸 U+21A38');
  t.true(codePoints(text).includes(0x24f93), '𤾓 U+24F93');
  t.true(codePoints(text).includes(0xf047c), 'PUA U+F047C');
  t.false(text.includes('\uFFFD'));
});

test('pdftotext keeps reading order: lines left to right, vertical columns right to left', async (t) => {
  const { pdfPath } = await fixture();
  t.deepEqual(lines(await pdftotext(pdfPath, 1)), [...HORIZONTAL_LINES]);
  t.deepEqual(lines(await pdftotext(pdfPath, 2)), [...VERTICAL_COLUMNS]);
});

test('pdf.js extracts the same words, in the same order', async (t) => {
  const { pdf } = await fixture();
  const [first, second, third] = await pdfjsPages(pdf);
  for (const word of WORDS) {
    t.true(containsCodePoints(`${first}\n${second}`, word), `pdf.js lost "${word}"`);
  }
  t.deepEqual(lines(first ?? ''), [...HORIZONTAL_LINES]);
  t.deepEqual(lines(second ?? ''), [...VERTICAL_COLUMNS]);
  t.is(third, '');
});

test('page sizes are px × 72 / dpi points (300 dpi when unknown)', async (t) => {
  const { pdf } = await fixture();
  const document = await PDFDocument.load(pdf);
  t.deepEqual(
    document.getPages().map((page) => page.getSize()),
    [
      { width: (1200 * 72) / 150, height: (1600 * 72) / 150 },
      { width: (1000 * 72) / 300, height: (1400 * 72) / 300 },
      { width: (800 * 72) / 200, height: (1000 * 72) / 200 },
    ],
  );
});

test('document metadata reads back: title with diacritics, language vi, DisplayDocTitle', async (t) => {
  const { pdf, pdfPath } = await fixture();
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  t.is(document.getTitle(), TITLE);
  t.is(document.getAuthor(), METADATA.author);
  t.is(document.getSubject(), METADATA.subject);
  t.is(document.getKeywords(), 'địa chí; Quốc ngữ; Hán Nôm');
  t.is(document.getCreator(), METADATA.creator);
  t.true(document.getProducer()?.startsWith('thu-vien-so'));
  const lang = document.catalog.lookup(PDFName.of('Lang'));
  t.true(lang instanceof PDFString);
  t.is((lang as PDFString).decodeText(), 'vi');
  const preferences = document.catalog.lookup(PDFName.of('ViewerPreferences'), PDFDict);
  t.is(preferences.lookup(PDFName.of('DisplayDocTitle')), PDFBool.True);

  const { stdout } = await run('pdfinfo', ['-enc', 'UTF-8', pdfPath]);
  t.regex(stdout, new RegExp(`^Title:\\s+${TITLE}$`, 'mu'));
  t.regex(stdout, /^Pages:\s+3$/mu);
});

test('each page image is the input JPEG, byte for byte (DCTDecode, not re-encoded)', async (t) => {
  const { pdf, jpegs } = await fixture();
  const document = await PDFDocument.load(pdf);
  for (const [index, page] of document.getPages().entries()) {
    const xObjects = page.node.Resources()?.lookup(PDFName.of('XObject'), PDFDict);
    const images = xObjects?.values().map((value) => document.context.lookup(value)) ?? [];
    t.is(images.length, 1);
    const image = images[0] as PDFRawStream;
    t.true(image instanceof PDFRawStream);
    t.is(image.dict.lookup(PDFName.of('Filter')), PDFName.of('DCTDecode'));
    t.true(Buffer.from(image.contents).equals(jpegs[index] as Buffer), `page ${index + 1} image differs`);
  }
  const secondImage = document.getPages()[1]?.node.Resources()?.lookup(PDFName.of('XObject'), PDFDict).values()[0];
  t.is(
    (document.context.lookup(secondImage) as PDFRawStream).dict.lookup(PDFName.of('ColorSpace')),
    PDFName.of('DeviceGray'),
  );
});

test('a page without OCR is image-only: no font, no text', async (t) => {
  const { pdf, pdfPath } = await fixture();
  const document = await PDFDocument.load(pdf);
  const third = document.getPages()[2];
  t.is(third?.node.Resources()?.lookup(PDFName.of('Font')), undefined);
  t.is(lines(await pdftotext(pdfPath, 3)).length, 0);
});

test('the text layer uses one Type0 font: glyphless CIDFontType2, Identity-H, ToUnicode', async (t) => {
  const { pdf } = await fixture();
  const document = await PDFDocument.load(pdf);
  const fonts = document.getPages()[0]?.node.Resources()?.lookup(PDFName.of('Font'), PDFDict);
  const type0 = fonts?.lookup(PDFName.of('F0'), PDFDict);
  t.is(type0?.lookup(PDFName.of('Subtype')), PDFName.of('Type0'));
  t.is(type0?.lookup(PDFName.of('Encoding')), PDFName.of('Identity-H'));
  t.true(type0?.lookup(PDFName.of('ToUnicode')) instanceof PDFRawStream);
  const descendant = document.context.lookup(
    type0?.lookup(PDFName.of('DescendantFonts'), PDFArray).get(0),
    PDFDict,
  );
  t.is(descendant.lookup(PDFName.of('Subtype')), PDFName.of('CIDFontType2'));
  const secondFonts = document.getPages()[1]?.node.Resources()?.lookup(PDFName.of('Font'), PDFDict);
  t.is(secondFonts?.get(PDFName.of('F0'))?.toString(), fonts?.get(PDFName.of('F0'))?.toString(), 'one font shared by all pages');
});

test('the same input gives the same bytes, and failures leave no file behind', async (t) => {
  const { dir, pages, pdf } = await fixture();
  const again = path.join(dir, 'again.pdf');
  const result = await buildSearchablePdf(pages, METADATA, again);
  t.is(result.sha256, createHash('sha256').update(pdf).digest('hex'));
  t.is(result.byteLength, pdf.length);
  t.is(result.pageCount, 3);
  t.is(result.textPageCount, 2);

  const missing = path.join(dir, 'missing.pdf');
  await t.throwsAsync(
    buildSearchablePdf([...pages, { jpegPath: path.join(dir, 'nope.jpg'), widthPx: 10, heightPx: 10 }], METADATA, missing),
    { instanceOf: NotFoundError },
  );
  await t.throwsAsync(
    buildSearchablePdf([{ ...(pages[0] as SearchablePdfPage), widthPx: 1201 }], METADATA, missing),
    { instanceOf: InvalidInputError, message: /1200×1600/ },
  );
  const leftovers = (await readdir(dir)).filter((name) => name.includes('missing'));
  t.deepEqual(leftovers, []);
});

test('spaces between words follow the OCR line text: none between Hán characters', async (t) => {
  const { dir, pages } = await fixture();
  const ocr = ocrResult(
    [
      // Horizontal Hán: Tesseract's line text has no spaces between characters.
      line(
        [
          ['天地', 100, 100, 200, 100],
          ['玄黃', 320, 100, 200, 100],
        ],
        '',
      ),
      // Quốc ngữ: spaces.
      line([
        ['Hà', 100, 300, 150, 80],
        ['Nội', 280, 300, 180, 80],
      ]),
    ],
    { imageWidth: 1200, imageHeight: 1600, languages: 'vie+chi_tra' },
  );
  const output = path.join(dir, 'han.pdf');
  await buildSearchablePdf([{ ...(pages[0] as SearchablePdfPage), ocr }], { title: 'Hán', creator: 'test' }, output);
  t.deepEqual(lines(await pdftotext(output)), ['天地玄黃', 'Hà Nội']);
  t.deepEqual(lines((await pdfjsPages(new Uint8Array(await readFile(output))))[0] ?? ''), ['天地玄黃', 'Hà Nội']);
});

test('ToUnicode CMap maps CIDs to UTF-16BE, surrogate pairs beyond the BMP', (t) => {
  const cmap = buildToUnicodeCmap([0x54, 0x1ec7, 0x21a38, 0xf047c]);
  t.regex(cmap, /^4 beginbfchar$/m);
  t.regex(cmap, /^<0001> <0054>$/m);
  t.regex(cmap, /^<0002> <1EC7>$/m);
  t.regex(cmap, /^<0003> <D846DE38>$/m);
  t.regex(cmap, /^<0004> <DB81DC7C>$/m);
  const many = buildToUnicodeCmap(Array.from({ length: 250 }, (_, index) => 0x4e00 + index));
  t.deepEqual(many.match(/\d+ beginbfchar/g), ['100 beginbfchar', '100 beginbfchar', '50 beginbfchar']);
});

test('the glyphless font is a valid TrueType program with fixed 500-unit advances', (t) => {
  const bytes = buildGlyphlessFont();
  t.true(bytes.length < 1024, `font is ${bytes.length} bytes`);
  const font = fontkit.create(Buffer.from(bytes)) as unknown as {
    numGlyphs: number;
    unitsPerEm: number;
    postscriptName: string;
    getGlyph(id: number): { advanceWidth: number };
  };
  t.is(font.numGlyphs, 2);
  t.is(font.unitsPerEm, 1000);
  t.is(font.postscriptName, 'GlyphLessFont');
  t.is(font.getGlyph(1).advanceWidth, 500);
  // The whole-font checksum must come out at the magic 0xB1B0AFBA once head is adjusted.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let sum = 0;
  for (let offset = 0; offset < bytes.length; offset += 4) sum = (sum + view.getUint32(offset)) >>> 0;
  t.is(sum, 0xb1b0afba);
});
