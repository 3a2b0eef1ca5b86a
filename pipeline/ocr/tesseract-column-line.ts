import type Tesseract from 'tesseract.js';

import { toSourceBox, type ImageTransform } from './image-transform.ts';
import type { Box, OcrLine, OcrWord } from './ocr-result.ts';
import { clampConfidence, cleanText, type ParseOptions } from './parse-tesseract-blocks.ts';

/**
 * Turns what Tesseract read of one column (turned and read as a line, PSM 7) into one line of
 * characters: a word per Tesseract symbol, with its box in the column's pixels and its own
 * confidence (the whole word when Tesseract gives no symbols). Hán-Nôm has no spaces, so a
 * character is the unit a reader corrects and a search highlights. The line's text is
 * Tesseract's, its box the union of Tesseract's line boxes; undefined when nothing was read.
 */
export function parseTesseractColumn(
  blocks: readonly Tesseract.Block[] | null,
  transform: ImageTransform,
  options: Pick<ParseOptions, 'vietnamese'>,
): OcrLine | undefined {
  const lines = (blocks ?? []).flatMap((block) => (block.paragraphs ?? []).flatMap((paragraph) => paragraph.lines ?? []));
  const words: OcrWord[] = [];
  const texts: string[] = [];
  const boxes: Box[] = [];
  for (const line of lines) {
    const before = words.length;
    for (const word of line.words ?? []) {
      const symbols = word.symbols?.length ? word.symbols : [word];
      for (const symbol of symbols) {
        const text = cleanText(symbol.text, options.vietnamese);
        if (text !== '') words.push({ text, box: toSourceBox(symbol.bbox, transform), confidence: clampConfidence(symbol.confidence) });
      }
    }
    const text = cleanText(line.text, options.vietnamese);
    if (words.length === before || text === '') {
      words.length = before;
      continue;
    }
    texts.push(text);
    boxes.push(toSourceBox(line.bbox, transform));
  }
  if (words.length === 0) return undefined;
  return { text: texts.join(' '), box: unionBox(boxes), words };
}

/** The smallest box holding all of `boxes` (at least one). */
export function unionBox(boxes: readonly Box[]): Box {
  const x0 = Math.min(...boxes.map((box) => box.x));
  const y0 = Math.min(...boxes.map((box) => box.y));
  const x1 = Math.max(...boxes.map((box) => box.x + box.width));
  const y1 = Math.max(...boxes.map((box) => box.y + box.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
