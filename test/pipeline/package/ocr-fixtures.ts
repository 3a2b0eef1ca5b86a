import type { OcrLine, OcrResult } from '../../../pipeline/ocr/ocr-result.ts';

/** [text, x, y, width, height] in OCR pixels. */
export type WordSpec = [string, number, number, number, number];

/** A line whose box encloses its words and whose text joins them with `separator`. */
export function line(words: WordSpec[], separator = ' '): OcrLine {
  const left = Math.min(...words.map((word) => word[1]));
  const top = Math.min(...words.map((word) => word[2]));
  const right = Math.max(...words.map((word) => word[1] + word[3]));
  const bottom = Math.max(...words.map((word) => word[2] + word[4]));
  return {
    text: words.map((word) => word[0]).join(separator),
    box: { x: left, y: top, width: right - left, height: bottom - top },
    words: words.map(([text, x, y, width, height]) => ({ text, box: { x, y, width, height }, confidence: 91 })),
  };
}

export function ocrResult(
  lines: OcrLine[],
  options: { direction?: OcrResult['direction']; imageWidth: number; imageHeight: number; languages?: string },
): OcrResult {
  return {
    text: lines.map((entry) => entry.text).join('\n'),
    lines,
    meanConfidence: 91,
    hocr: '',
    languages: options.languages ?? 'vie',
    direction: options.direction ?? 'horizontal',
    imageWidth: options.imageWidth,
    imageHeight: options.imageHeight,
  };
}

/** Quốc ngữ with full diacritics, Nôm beyond the BMP and a Private Use Area character. */
export const HORIZONTAL_LINES = [
  'Thư viện tỉnh Đắk Nông',
  'địa chí Quốc ngữ',
  'chữ 𡨸 𤾓 \u{F047C}',
] as const;

/**
 * Page 1's OCR was run on an image twice the JPEG's size (2400 × 3200 for a 1200 × 1600
 * JPEG), so the builder has to scale the boxes.
 */
export function horizontalOcr(): OcrResult {
  const lines = HORIZONTAL_LINES.map((text, index) => {
    let x = 200;
    const y = 300 + index * 200;
    const words: WordSpec[] = text.split(' ').map((word) => {
      const width = [...word].length * 45;
      const spec: WordSpec = [word, x, y, width, 80];
      x += width + 40;
      return spec;
    });
    return line(words);
  });
  return ocrResult(lines, { imageWidth: 2400, imageHeight: 3200 });
}

/** Right column first (vertical-rl reading order): 天地玄黃, then 宇宙𡨸. */
export const VERTICAL_COLUMNS = ['天地玄黃', '宇宙𡨸'] as const;

export function verticalOcr(): OcrResult {
  return ocrResult(
    [
      line(
        [
          ['天地', 800, 100, 100, 200],
          ['玄黃', 800, 310, 100, 200],
        ],
        '',
      ),
      line([['宇宙𡨸', 600, 100, 100, 300]], ''),
    ],
    { direction: 'vertical-rl', imageWidth: 1000, imageHeight: 1400, languages: 'chi_tra_vert' },
  );
}
