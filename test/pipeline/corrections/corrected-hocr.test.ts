import test from 'ava';
import { correctedHocr } from '../../../pipeline/corrections/corrected-hocr.ts';

const box = (x: number, y: number) => ({ x, y, width: 10, height: 10 });
const page = {
  text: 'Thư viện\nĐắk Nông\n\n𡨸',
  lines: [
    { text: 'Thư viện', box: box(0, 0), words: [{ text: 'Thư', box: box(0, 0), confidence: 90 }, { text: 'viện', box: box(20, 0), confidence: 80 }] },
    { text: 'Đắk Nông', box: box(0, 20), words: [{ text: 'Đắk', box: box(0, 20), confidence: 90 }, { text: 'Nông', box: box(20, 20), confidence: 80 }] },
    { text: '𡨸', box: box(0, 60), words: [{ text: '𡨸', box: box(0, 60), confidence: 100 }] },
  ],
  meanConfidence: 88,
  languages: 'vie',
  direction: 'horizontal' as const,
  imageWidth: 200,
  imageHeight: 100,
};

test('paragraphs become blocks again; resolution and engine come from the previous hOCR', (t) => {
  const hocr = correctedHocr(page, '<meta name="ocr-system" content="tesseract.js 7 (Tesseract &#38; co)"/><div title="bbox 0 0 200 100; scan_res 150 150">');
  t.is((hocr.match(/class="ocr_carea"/g) ?? []).length, 2);
  t.is((hocr.match(/class="ocr_line"/g) ?? []).length, 3);
  t.regex(hocr, /scan_res 150 150/);
  t.regex(hocr, /content="tesseract.js 7 \(Tesseract &#38; co\), corrected by hand"/);
  t.true(hocr.includes('>𡨸</span>'));
  const fresh = correctedHocr({ ...page, text: 'unrelated' }, undefined);
  t.is((fresh.match(/class="ocr_carea"/g) ?? []).length, 1, 'a text that does not match the lines gives one block');
  t.regex(fresh, /scan_res 300 300/);
});
