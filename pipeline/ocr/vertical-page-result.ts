import { buildHocr } from './build-hocr.ts';
import type { Box, OcrLine, OcrResult, OcrWord } from './ocr-result.ts';

/** Mean confidence of `words`, 0–100; 0 when there are none. */
export function meanWordConfidence(words: readonly OcrWord[]): number {
  return words.length === 0 ? 0 : words.reduce((sum, word) => sum + word.confidence, 0) / words.length;
}

/** A line read from a crop, with its boxes moved onto the page the crop was cut from at `at`. */
export function moveLine(line: OcrLine, at: { x: number; y: number }): OcrLine {
  const moved = (box: Box): Box => ({ ...box, x: box.x + at.x, y: box.y + at.y });
  return { ...line, box: moved(line.box), words: line.words.map((word) => ({ ...word, box: moved(word.box) })) };
}

export interface VerticalPage {
  /** The columns read, in reading order, boxes in page pixels. */
  lines: OcrLine[];
  width: number;
  height: number;
  dpi: number;
  languages: string;
  ocrSystem: string;
}

/** The `OcrResult` of a page read column by column: a line per column, a block per line in hOCR. */
export function verticalPageResult(page: VerticalPage): OcrResult {
  const { lines } = page;
  return {
    text: lines.map((line) => line.text).join('\n').normalize('NFC'),
    lines,
    meanConfidence: meanWordConfidence(lines.flatMap((line) => line.words)),
    hocr: buildHocr({
      blocks: lines.map((line) => ({ box: line.box, paragraphs: [{ box: line.box, lines: [line] }] })),
      width: page.width,
      height: page.height,
      dpi: page.dpi,
      languages: page.languages,
      direction: 'vertical-rl',
      ocrSystem: page.ocrSystem,
    }),
    languages: page.languages,
    direction: 'vertical-rl',
    imageWidth: page.width,
    imageHeight: page.height,
  };
}
