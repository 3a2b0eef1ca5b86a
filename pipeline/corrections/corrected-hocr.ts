import { buildHocr } from '../ocr/build-hocr.ts';
import type { OcrBlock } from '../ocr/ocr-layout.ts';
import type { Box, OcrLine, OcrResult } from '../ocr/ocr-result.ts';

const DPI_FALLBACK = 300;

/**
 * The hOCR of a corrected OCR result. `ocr.json` keeps no blocks, so each paragraph of the page
 * text (lines between blank lines) becomes a block again; the resolution and engine come from
 * the previous hOCR, marked as corrected by hand.
 */
export function correctedHocr(page: Omit<OcrResult, 'hocr'>, previous: string | undefined): string {
  const dpi = Number(/scan_res (\d+)/.exec(previous ?? '')?.[1] ?? DPI_FALLBACK);
  const engine = /<meta name="ocr-system" content="([^"]*)"/.exec(previous ?? '')?.[1];
  return buildHocr({
    blocks: blocksOf(page),
    width: page.imageWidth,
    height: page.imageHeight,
    dpi,
    languages: page.languages,
    direction: page.direction,
    ocrSystem: `${engine === undefined ? 'unknown engine' : unescapeXml(engine)}, corrected by hand`,
  });
}

function blocksOf(page: Omit<OcrResult, 'hocr'>): OcrBlock[] {
  const sizes = page.text
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.split('\n').filter((line) => line.trim() !== '').length)
    .filter((size) => size > 0);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const groups: OcrLine[][] = [];
  if (total !== page.lines.length) groups.push(page.lines);
  else {
    let start = 0;
    for (const size of sizes) {
      groups.push(page.lines.slice(start, start + size));
      start += size;
    }
  }
  return groups
    .filter((lines) => lines.length > 0)
    .map((lines) => {
      const box = union(lines.map((line) => line.box));
      return { box, paragraphs: [{ box, lines }] };
    });
}

function union(boxes: readonly Box[]): Box {
  const x = Math.min(...boxes.map((box) => box.x));
  const y = Math.min(...boxes.map((box) => box.y));
  const right = Math.max(...boxes.map((box) => box.x + box.width));
  const bottom = Math.max(...boxes.map((box) => box.y + box.height));
  return { x, y, width: right - x, height: bottom - y };
}

function unescapeXml(text: string): string {
  return text.replace(/&#(\d+);/g, (_match, code: string) => String.fromCodePoint(Number(code)));
}
