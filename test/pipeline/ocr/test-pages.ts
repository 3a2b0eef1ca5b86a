import { readFile } from 'node:fs/promises';
import path from 'node:path';

import sharp, { type OverlayOptions } from 'sharp';

import type { Box } from '../../../pipeline/ocr/ocr-result.ts';

export const FIXTURES = path.resolve(import.meta.dirname, '../../../../shared/fixtures');
export const KIEU = path.join(FIXTURES, 'hannom/kieu1866');

/** Lines of Quốc ngữ with every kind of mark, drawn on the generated page. */
export const VIETNAMESE_LINES = [
  'Thư viện tỉnh lưu giữ nhiều tài liệu địa chí quý hiếm.',
  'Đắk Nông có những cuốn sách cũ được số hoá cẩn thận.',
  'Người đọc tìm kiếm văn bản không cần gõ dấu tiếng Việt.',
  'Ảnh quét ở độ phân giải ba trăm điểm mỗi inch.',
];

export interface GeneratedPage {
  png: Buffer;
  width: number;
  height: number;
  text: string;
  /** Left edge and baseline of the first word of the second line (`Đắk`). */
  marker: { word: string; left: number; baseline: number; fontSize: number };
}

/**
 * A page of Vietnamese set in DejaVu Serif at 12 pt for 300 dpi (50 px), black on white,
 * rendered by sharp (librsvg) from SVG. The SVG paints its own white background, so the
 * white-on-black alpha mask of sharp's `text` input (design §8) does not arise.
 */
export async function generateVietnamesePage(): Promise<GeneratedPage> {
  const fontSize = 50;
  const left = 120;
  const firstBaseline = 180;
  const lineHeight = 90;
  const width = 1800;
  const height = firstBaseline + lineHeight * VIETNAMESE_LINES.length + 60;
  const texts = VIETNAMESE_LINES.map(
    (line, index) => `<text x="${left}" y="${firstBaseline + index * lineHeight}">${line}</text>`,
  ).join('\n');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<rect width="100%" height="100%" fill="#ffffff"/>
<g font-family="DejaVu Serif" font-size="${fontSize}" fill="#000000">
${texts}
</g>
</svg>`;
  const png = await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).greyscale().png().toBuffer();
  return {
    png,
    width,
    height,
    text: VIETNAMESE_LINES.join('\n'),
    marker: { word: 'Đắk', left, baseline: firstBaseline + lineHeight, fontSize },
  };
}

export interface KieuColumn {
  file: string;
  text: string;
}

/** The Kiều 1866 column crops and their ground truth, top to bottom, one column per line. */
export async function kieuColumns(): Promise<KieuColumn[]> {
  const tsv = await readFile(path.join(KIEU, 'gt.tsv'), 'utf8');
  return tsv
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => {
      const [file = '', text = ''] = row.split('\t');
      return { file: path.join(KIEU, file), text };
    });
}

export interface VerticalPage {
  png: Buffer;
  width: number;
  height: number;
  /** Where each column was drawn, in reading order (right to left). */
  columns: Box[];
}

/**
 * A woodblock-like page: the given column crops set right to left at a fixed pitch inside a
 * frame, with a ruling line between columns.
 */
export async function composeVerticalPage(files: readonly string[]): Promise<VerticalPage> {
  const pitch = 44;
  const margin = 60;
  const width = margin * 2 + files.length * pitch;
  const height = 400;
  const columns: Box[] = [];
  const composites: OverlayOptions[] = [];
  let rules = `<rect x="${margin - 10}" y="30" width="${width - 2 * (margin - 10)}" height="${height - 60}" fill="none" stroke="#000" stroke-width="4"/>`;
  for (const [index, file] of files.entries()) {
    const { width: w = 0, height: h = 0 } = await sharp(file).metadata();
    const centre = width - margin - index * pitch - pitch / 2;
    const box = { x: Math.round(centre - w / 2), y: 50, width: w, height: h };
    columns.push(box);
    composites.push({ input: file, left: box.x, top: box.y });
    if (index > 0) {
      rules += `<line x1="${centre + pitch / 2}" y1="30" x2="${centre + pitch / 2}" y2="${height - 30}" stroke="#000" stroke-width="2"/>`;
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${rules}</svg>`;
  const png = await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite([{ input: Buffer.from(svg), left: 0, top: 0 }, ...composites])
    .png()
    .toBuffer();
  return { png, width, height, columns };
}

/**
 * A light well-formedness check of XML: every tag closes in order. Enough to catch broken
 * escaping or nesting in generated hOCR without an XML parser dependency.
 */
export function checkXmlNesting(xml: string): string | undefined {
  const stack: string[] = [];
  for (const match of xml.matchAll(/<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/gu)) {
    const [, closing, name = '', selfClosing] = match;
    if (selfClosing === '/') continue;
    if (closing === '/') {
      const open = stack.pop();
      if (open !== name) return `</${name}> closes <${open ?? 'nothing'}>`;
    } else {
      stack.push(name);
    }
  }
  if (/&(?!#\d+;|#x[0-9a-f]+;|amp;|lt;|gt;|quot;|apos;)/iu.test(xml)) return 'unescaped &';
  return stack.length === 0 ? undefined : `<${stack.join('>, <')}> never closed`;
}
