import type { Box } from './ocr-result.ts';
import type { OcrBlock } from './ocr-layout.ts';

export interface HocrPage {
  blocks: readonly OcrBlock[];
  width: number;
  height: number;
  dpi: number;
  /** Tesseract language codes, e.g. `vie+chi_tra`. */
  languages: string;
  direction: 'horizontal' | 'vertical-rl';
  /** Written to the `ocr-system` meta element, e.g. `tesseract.js 7 (Tesseract 5.5.0)`. */
  ocrSystem: string;
}

/**
 * Writes a page as an hOCR 1.2 document (XHTML): `ocr_page` › `ocr_carea` › `ocr_par` ›
 * `ocr_line` › `ocrx_word`, with `bbox` in source pixels and `x_wconf` per word
 * (https://kba.github.io/hocr-spec/1.2/). Built from the parsed result rather than taken from
 * Tesseract, so its boxes and NFC text agree with `OcrResult` even when the engine turned or
 * padded the image. Vertical lines carry `textangle 90`, as Tesseract writes them.
 */
export function buildHocr(page: HocrPage): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
    '<html xmlns="http://www.w3.org/1999/xhtml">',
    '<head>',
    '<title></title>',
    '<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>',
    `<meta name="ocr-system" content="${escapeXml(page.ocrSystem)}"/>`,
    '<meta name="ocr-capabilities" content="ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf ocrp_lang"/>',
    '</head>',
    '<body>',
    `<div class="ocr_page" id="page_1" title="bbox 0 0 ${page.width} ${page.height}; ppageno 0; scan_res ${page.dpi} ${page.dpi}">`,
  ];
  const lang = escapeXml(page.languages);
  const lineAngle = page.direction === 'vertical-rl' ? '; textangle 90' : '';
  let blockId = 0;
  let parId = 0;
  let lineId = 0;
  let wordId = 0;
  for (const block of page.blocks) {
    blockId += 1;
    out.push(`<div class="ocr_carea" id="block_1_${blockId}" title="${bbox(block.box)}">`);
    for (const paragraph of block.paragraphs) {
      parId += 1;
      out.push(`<p class="ocr_par" id="par_1_${parId}" lang="${lang}" title="${bbox(paragraph.box)}">`);
      for (const line of paragraph.lines) {
        lineId += 1;
        out.push(`<span class="ocr_line" id="line_1_${lineId}" title="${bbox(line.box)}${lineAngle}">`);
        for (const word of line.words) {
          wordId += 1;
          out.push(
            `<span class="ocrx_word" id="word_1_${wordId}" title="${bbox(word.box)}; x_wconf ${Math.round(word.confidence)}">${escapeXml(word.text)}</span>`,
          );
        }
        out.push('</span>');
      }
      out.push('</p>');
    }
    out.push('</div>');
  }
  out.push('</div>', '</body>', '</html>', '');
  return out.join('\n');
}

function bbox(box: Box): string {
  return `bbox ${box.x} ${box.y} ${box.x + box.width} ${box.y + box.height}`;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/gu, (c) => `&#${c.charCodeAt(0)};`);
}
