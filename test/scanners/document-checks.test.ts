import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import test from 'ava';
import sharp, { type Sharp } from 'sharp';

import { checkDocument, MAX_LISTED_MISSING, NEAR_DUPLICATE_DIFFERENCE, type DocumentProblem } from '../../scanners/checks/check-document.ts';
import type { PageProblem } from '../../scanners/checks/check-page.ts';
import { describeDocumentProblem, describePageProblem, rejectionReport } from '../../scanners/checks/describe-problem.ts';
import { inspectPage, SIGNATURE_SIZE, type PageInspection } from '../../scanners/checks/inspect-page.ts';
import { loadStationProfile } from '../../scanners/profiles/station-profile.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures');
const fixture = (...parts: string[]) => path.join(FIXTURES, ...parts);

let dir = '';
test.before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'station-document-checks-'));
});
test.after.always(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

async function inspect(name: string, image: Sharp): Promise<PageInspection> {
  await image.toFile(path.join(dir, name));
  return inspectPage(path.join(dir, name));
}

/** An inspection without a file, for the checks that look at names and hashes only. */
function fakePage(name: string, extra: Partial<PageInspection> = {}): PageInspection {
  return { file: `/hot/doc/${name}`, name, size: 1000, sha256: createHash('sha256').update(name).digest('hex'), ...extra };
}

/** 1 − the correlation of two pages' signatures, as check-document measures it, for the logs. */
function difference(a: PageInspection, b: PageInspection): number {
  const x = Array.from(a.signature!);
  const y = Array.from(b.signature!);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const [mx, my] = [mean(x), mean(y)];
  const covariance = mean(x.map((value, index) => (value - mx) * (y[index]! - my)));
  const spread = Math.sqrt(mean(x.map((value) => (value - mx) ** 2)) * mean(y.map((value) => (value - my) ** 2)));
  return 1 - covariance / spread;
}

const codes = (problems: DocumentProblem[]) => problems.map((problem) => problem.code);

/** The duplicate findings only (the fixture file names carry numbers that mean nothing here). */
const similar = (problems: DocumentProblem[]) => problems.filter((problem) => problem.code === 'duplicate' || problem.code === 'near-duplicate');

// --- duplicates -------------------------------------------------------------------------------

test('no-pages: an empty document', (t) => {
  t.deepEqual(checkDocument([]), [{ code: 'no-pages' }]);
});

test('duplicate: the same file under two names is a duplicate, not also a near-duplicate', async (t) => {
  const first = path.join(dir, '0001.tif');
  await sharp(fixture('vietnamese', 'vietsample.tif')).resize(1275).toColourspace('b-w').tiff().withDensity(300).toFile(first);
  await copyFile(first, path.join(dir, '0002.tif'));
  const pages = [await inspectPage(first), await inspectPage(path.join(dir, '0002.tif'))];
  t.deepEqual(checkDocument(pages), [{ code: 'duplicate', files: ['0001.tif', '0002.tif'] }]);
});

test('near-duplicate: the same real page rescanned (JPEG, ±5 % brightness, shifted, cropped) is found', async (t) => {
  const sources = { vietsample: sharp(fixture('vietnamese', 'vietsample.tif')), 'deskew-1': sharp(fixture('deskew', 'deskew-1.png')) };
  for (const [name, source] of Object.entries(sources)) {
    // A greyscale scan: paper at 234, ink at 25 (the fixtures are bilevel, where brightening changes nothing).
    const { data, info } = await source.toColourspace('b-w').linear(0.82, 25).raw().toBuffer({ resolveWithObject: true });
    const page = () => sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).toColourspace('b-w');
    const original = await inspect(`${name}-original.png`, page().png());
    const rescans = {
      'JPEG at quality 60': page().jpeg({ quality: 60 }),
      '5 % brighter': page().linear(1.05, 0).png(),
      '5 % darker': page().linear(0.95, 0).png(),
      'shifted by 3 px and 2 px': page()
        .extend({ left: 3, top: 2, extendWith: 'copy' })
        .extract({ left: 0, top: 0, width: info.width, height: info.height })
        .png(),
      'cropped 2 % tighter': page()
        .extract({ left: Math.round(info.width * 0.01), top: Math.round(info.height * 0.01), width: Math.round(info.width * 0.98), height: Math.round(info.height * 0.98) })
        .png(),
    };
    for (const [change, image] of Object.entries(rescans)) {
      const rescan = await inspect(`${name}-${change}.${change.startsWith('JPEG') ? 'jpg' : 'png'}`, image);
      t.log(`${name}, ${change}: difference ${difference(original, rescan).toFixed(3)}`);
      const problems = similar(checkDocument([original, rescan]));
      t.is(problems.length, 1, `${name}, ${change}`);
      t.like(problems[0], { code: 'near-duplicate', files: [original.name, rescan.name] });
      const found = problems[0] as DocumentProblem & { code: 'near-duplicate' };
      t.true(found.difference < NEAR_DUPLICATE_DIFFERENCE / 2, `${name}, ${change}: well inside the threshold`);
    }
  }
});

test('near-duplicate: different real pages of the same books are not near-duplicates', async (t) => {
  const sources: [string, string, number][] = [
    ['vietsample-1', fixture('vietnamese', 'vietsample.tif'), 0],
    ['vietsample-2', fixture('vietnamese', 'vietsample.tif'), 1],
    ['vietsample1-1', fixture('vietnamese', 'vietsample1.tif'), 0],
    ['vietsample1-2', fixture('vietnamese', 'vietsample1.tif'), 1],
    ['vietsample2-1', fixture('vietnamese', 'vietsample2.tif'), 0],
    ...[1, 2, 3, 4, 5, 6, 8].map((n): [string, string, number] => [`deskew-${n}`, fixture('deskew', `deskew-${n}.png`), 0]),
  ];
  const pages: PageInspection[] = [];
  for (const [name, source, page] of sources) pages.push(await inspect(`${name}.png`, sharp(source, { page }).png()));
  let closest = { pair: '', difference: Infinity };
  for (const [i, a] of pages.entries()) {
    for (const b of pages.slice(i + 1)) {
      if (difference(a, b) < closest.difference) closest = { pair: `${a.name} ~ ${b.name}`, difference: difference(a, b) };
    }
  }
  t.log(`closest different pages: ${closest.pair}, difference ${closest.difference.toFixed(3)}`);
  t.true(closest.difference > NEAR_DUPLICATE_DIFFERENCE * 1.5, 'well outside the threshold');
  t.deepEqual(similar(checkDocument(pages)), []);
});

test('near-duplicate: blank and unreadable pages are not compared', (t) => {
  const signature = new Uint8Array(SIGNATURE_SIZE ** 2).fill(128);
  const pages = [
    fakePage('0001.tif', { signature, blank: true }),
    fakePage('0002.tif', { signature: signature.slice(), blank: true }),
    fakePage('0003.tif', { unreadable: 'not an image' }),
    fakePage('0004.tif', { unreadable: 'not an image' }),
  ];
  t.deepEqual(checkDocument(pages), []);
});

// --- numbering --------------------------------------------------------------------------------

test('numbering: the last run of digits numbers a page; gaps are listed', (t) => {
  const pages = ['scan_0001_a.tif', 'scan_0002_a.tif', 'scan_0005_a.tif', 'scan_0009_b.tif'].map((name) => fakePage(name));
  t.deepEqual(checkDocument(pages), [{ code: 'numbering-gap', missing: [3, 4, 6, 7, 8], missingCount: 5 }]);
});

test('numbering: counting starts at 1, or at 0 when a page is numbered 0', (t) => {
  t.deepEqual(checkDocument(['0003.tif', '0004.tif'].map((name) => fakePage(name))), [{ code: 'numbering-gap', missing: [1, 2], missingCount: 2 }]);
  t.deepEqual(checkDocument(['0000.tif', '0001.tif', '0002.tif'].map((name) => fakePage(name))), []);
  t.deepEqual(checkDocument(['0000.tif', '0002.tif'].map((name) => fakePage(name))), [{ code: 'numbering-gap', missing: [1], missingCount: 1 }]);
});

test('numbering: a long gap lists the first 50 missing numbers and counts them all; a huge number costs nothing', (t) => {
  const problems = checkDocument(['1.tif', '200.tif'].map((name) => fakePage(name)));
  t.is(problems.length, 1);
  const gap = problems[0] as DocumentProblem & { code: 'numbering-gap' };
  t.is(gap.missing.length, MAX_LISTED_MISSING);
  t.deepEqual(gap.missing.slice(0, 3), [2, 3, 4]);
  t.is(gap.missingCount, 198);
  const started = Date.now();
  const dated = checkDocument(['IMG_20260115093000.tif'].map((name) => fakePage(name)))[0] as DocumentProblem & { code: 'numbering-gap' };
  t.is(dated.missing.length, MAX_LISTED_MISSING);
  t.true(Date.now() - started < 1000);
});

test('numbering: repeats are reported; a page without a number turns the gap check off but not the repeat check', (t) => {
  t.deepEqual(checkDocument(['0001.tif', '1.tif', '0002.tif'].map((name) => fakePage(name))), [
    { code: 'numbering-repeat', number: 1, files: ['0001.tif', '1.tif'] },
  ]);
  t.deepEqual(checkDocument(['bia.tif', '0001.tif', '0007.tif', '7.jpg'].map((name) => fakePage(name))), [
    { code: 'numbering-repeat', number: 7, files: ['0007.tif', '7.jpg'] },
  ]);
  t.deepEqual(checkDocument(['bia.tif', 'bia-sau.tif'].map((name) => fakePage(name))), []);
});

test('checkDocument reports duplicates, near-duplicates and numbering together, in that order', (t) => {
  const signature = Uint8Array.from({ length: SIGNATURE_SIZE ** 2 }, (_, index) => (index * 37) % 256);
  const shared = fakePage('0001.tif').sha256;
  const pages = [
    fakePage('0001.tif', { signature }),
    fakePage('0002.tif', { sha256: shared, signature }),
    fakePage('0003.tif', { signature: signature.map((value) => Math.min(255, value + 2)) }),
    fakePage('0005.tif'),
  ];
  t.deepEqual(codes(checkDocument(pages)), ['duplicate', 'near-duplicate', 'near-duplicate', 'numbering-gap']);
});

// --- operator messages --------------------------------------------------------------------------

test('describeDocumentProblem says in Vietnamese what is wrong and what to do, with quoted file names', (t) => {
  const cases: [DocumentProblem, RegExp][] = [
    [{ code: 'no-pages' }, /không có tệp ảnh trang nào/],
    [{ code: 'duplicate', files: ['0001.tif', '0002.tif'] }, /“0001\.tif” và “0002\.tif” giống hệt nhau.*Xóa trang trùng/],
    [{ code: 'near-duplicate', files: ['0001.tif', '0002.tif'], difference: 0.125 }, /gần như giống nhau.*0,125.*xóa trang trùng/],
    [{ code: 'numbering-gap', missing: [3, 5, 6, 7, 9], missingCount: 5 }, /đứt quãng, thiếu số 3, 5–7, 9\. Quét bổ sung/],
    [{ code: 'numbering-gap', missing: [2, 3], missingCount: 1998 }, /2–3 và 1\.996 số khác \(thiếu tất cả 1\.998 số\)/],
    [{ code: 'numbering-repeat', number: 1, files: ['0001.tif', '1.tif'] }, /Số trang 1 được dùng cho nhiều tệp: “0001\.tif” và “1\.tif”.*đổi tên/],
  ];
  for (const [problem, expected] of cases) {
    const message = describeDocumentProblem(problem);
    t.regex(message, expected, problem.code);
    t.is(message, message.normalize('NFC'));
  }
});

test('rejectionReport: title, Vietnamese date and time, profile, every page problem, document problems, what to do, nothing deleted', async (t) => {
  const profile = await loadStationProfile('rare');
  const pages: { name: string; problems: PageProblem[] }[] = [
    { name: '0001.tif', problems: [] },
    { name: '0002.tif', problems: [{ code: 'dpi-low', dpi: 300, min: 400 }, { code: 'colour-mode', found: 'greyscale', expected: 'colour' }] },
    { name: '0003.png', problems: [{ code: 'format', format: 'png', accepted: ['tiff'] }] },
  ];
  const document: DocumentProblem[] = [{ code: 'numbering-gap', missing: [4], missingCount: 1 }];
  const report = rejectionReport({ folder: 'Truyện Kiều 1866'.normalize('NFD'), profile, pages, document, at: new Date('2026-11-21T15:04:05Z') });
  t.is(report, report.normalize('NFC'));
  t.true(report.endsWith('\n'));
  t.regex(report.split('\n')[0]!, /^Tài liệu “Truyện Kiều 1866” bị trả lại/);
  t.regex(report, /Thứ Bảy, 21\/11\/2026 lúc 22:04:05/, 'the time is Vietnam time (UTC+7)');
  t.regex(report, /Hồ sơ quét: rare/);
  t.regex(report, /tối thiểu 400 dpi/);
  t.regex(report, /2 trên 3 trang có lỗi/);
  t.false(report.includes('“0001.tif”'), 'good pages are not listed');
  for (const page of pages) for (const problem of page.problems) t.true(report.includes(describePageProblem(problem)), `${page.name}: ${problem.code}`);
  t.true(report.includes(describeDocumentProblem(document[0]!)));
  t.regex(report, /Chuyển cả thư mục này trở lại thư mục quét/);
  t.regex(report, /Không tệp nào bị xóa/);
});
