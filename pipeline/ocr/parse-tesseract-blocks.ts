import type Tesseract from 'tesseract.js';

import { toSourceBox, type ImageTransform } from './image-transform.ts';
import type { OcrBlock, OcrParagraph } from './ocr-layout.ts';
import type { Box, OcrLine, OcrWord } from './ocr-result.ts';

export interface ParseOptions {
  direction: 'horizontal' | 'vertical-rl';
  /** Replace the Icelandic eth (`Ð`, `ð`) that Tesseract's Vietnamese model sometimes reads for `Đ`, `đ`. */
  vietnamese: boolean;
}

/**
 * Turns tesseract.js's block tree (`recognize(…, { blocks: true })`) into blocks, paragraphs,
 * lines and words with NFC text and boxes in source pixels. Empty words, lines, paragraphs and
 * blocks are dropped. Vertical text has its paragraphs and lines ordered right to left.
 */
export function parseTesseractBlocks(
  blocks: readonly Tesseract.Block[] | null,
  transform: ImageTransform,
  options: ParseOptions,
): OcrBlock[] {
  const box = (bbox: Tesseract.Bbox): Box => toSourceBox(bbox, transform);
  const result: OcrBlock[] = [];
  for (const block of blocks ?? []) {
    const paragraphs: OcrParagraph[] = [];
    for (const paragraph of block.paragraphs ?? []) {
      const lines: OcrLine[] = [];
      for (const line of paragraph.lines ?? []) {
        const words: OcrWord[] = [];
        for (const word of line.words ?? []) {
          const text = cleanText(word.text, options.vietnamese);
          if (text === '') continue;
          words.push({ text, box: box(word.bbox), confidence: clampConfidence(word.confidence) });
        }
        const text = cleanText(line.text, options.vietnamese);
        if (words.length === 0 || text === '') continue;
        lines.push({ text, box: box(line.bbox), words });
      }
      if (lines.length > 0) paragraphs.push({ box: box(paragraph.bbox), lines });
    }
    if (paragraphs.length > 0) result.push({ box: box(block.bbox), paragraphs });
  }
  if (options.direction === 'vertical-rl') {
    for (const block of result) {
      block.paragraphs.sort(rightToLeft);
      for (const paragraph of block.paragraphs) paragraph.lines.sort(rightToLeft);
    }
  }
  return result;
}

/** Plain text of a page: lines separated by `\n`, paragraphs and blocks by a blank line. */
export function plainText(blocks: readonly OcrBlock[]): string {
  return blocks
    .map((block) => block.paragraphs.map((paragraph) => paragraph.lines.map((line) => line.text).join('\n')).join('\n\n'))
    .join('\n\n');
}

/** Right edge first (columns of vertical text are read right to left), then top first. */
function rightToLeft(a: { box: Box }, b: { box: Box }): number {
  return b.box.x + b.box.width - (a.box.x + a.box.width) || a.box.y - b.box.y;
}

function cleanText(text: string | null | undefined, vietnamese: boolean): string {
  const nfc = (text ?? '').normalize('NFC').replace(/\s+/gu, ' ').trim();
  return vietnamese ? nfc.replace(/Ð/gu, 'Đ').replace(/ð/gu, 'đ') : nfc;
}

function clampConfidence(confidence: number): number {
  return Number.isFinite(confidence) ? Math.min(Math.max(confidence, 0), 100) : 0;
}
