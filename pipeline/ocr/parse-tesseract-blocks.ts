import type Tesseract from 'tesseract.js';

import { toSourceBox, type ImageTransform } from './image-transform.ts';
import type { OcrBlock, OcrParagraph } from './ocr-layout.ts';
import type { Box, OcrLine, OcrWord } from './ocr-result.ts';

export interface ParseOptions {
  /** Replace the Icelandic eth (`Ð`, `ð`) that Tesseract's Vietnamese model sometimes reads for `Đ`, `đ`. */
  vietnamese: boolean;
}

/**
 * Turns tesseract.js's block tree (`recognize(…, { blocks: true })`) into blocks, paragraphs,
 * lines and words with NFC text and boxes in source pixels. Empty words, lines, paragraphs and
 * blocks are dropped. Only horizontal pages come here: vertical pages are read column by column
 * (layout/), each column a single line.
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
  return result;
}

/** Plain text of a page: lines separated by `\n`, paragraphs and blocks by a blank line. */
export function plainText(blocks: readonly OcrBlock[]): string {
  return blocks
    .map((block) => block.paragraphs.map((paragraph) => paragraph.lines.map((line) => line.text).join('\n')).join('\n\n'))
    .join('\n\n');
}

/** NFC, whitespace runs as one space, trimmed; for Vietnamese, eth repaired to Đ. */
export function cleanText(text: string | null | undefined, vietnamese: boolean): string {
  const nfc = (text ?? '').normalize('NFC').replace(/\s+/gu, ' ').trim();
  return vietnamese ? nfc.replace(/Ð/gu, 'Đ').replace(/ð/gu, 'đ') : nfc;
}

/** A confidence within 0–100 (0 when Tesseract gives none). */
export function clampConfidence(confidence: number): number {
  return Number.isFinite(confidence) ? Math.min(Math.max(confidence, 0), 100) : 0;
}
