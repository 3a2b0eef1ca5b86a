import {
  PDFHexString,
  PDFNumber,
  TextRenderingMode,
  beginText,
  endText,
  setCharacterSqueeze,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
  type PDFOperator,
} from 'pdf-lib';
import type { Box, OcrLine, OcrResult, OcrWord } from '../ocr/ocr-result.ts';
import { InvalidInputError } from '../../storage/index.ts';
import { cidsToHex, type CidMap } from './cid-map.ts';
import { GLYPHLESS_ADVANCE, GLYPHLESS_DESCENT, GLYPHLESS_UNITS_PER_EM } from './glyphless-font.ts';

/** Where the OCR image lands on the PDF page. */
export interface TextLayerGeometry {
  /** Page height in points (PDF y grows upwards, OCR y downwards). */
  pageHeight: number;
  /** Points per OCR pixel, horizontally and vertically. */
  scaleX: number;
  scaleY: number;
}

/** One run of text to show: a word (plus the separator that follows it, if any). */
interface Run {
  text: string;
  /** Start of the run along the writing direction, points (x for horizontal, top y for vertical). */
  start: number;
  /** Length the run must span along the writing direction, points. */
  extent: number;
}

const ADVANCE_EM = GLYPHLESS_ADVANCE / GLYPHLESS_UNITS_PER_EM;
const DESCENT_EM = -GLYPHLESS_DESCENT / GLYPHLESS_UNITS_PER_EM;
const HAS_WHITESPACE = /\s/u;

/** Three decimals are plenty for points (1/72 000 inch) and keep the stream small. */
function round(value: number): number {
  const rounded = Math.round(value * 1000) / 1000;
  return Object.is(rounded, -0) ? 0 : rounded;
}

function num(value: number): PDFNumber {
  return PDFNumber.of(round(value));
}

function checkBox(box: Box, what: string): boolean {
  const values = [box.x, box.y, box.width, box.height];
  if (!values.every(Number.isFinite)) {
    throw new InvalidInputError(`The OCR result has a ${what} box with a non-numeric coordinate; re-run OCR on this page.`);
  }
  return box.width > 0 && box.height > 0;
}

/**
 * NFC, no control characters, no lone surrogates (they have no Unicode mapping): what can
 * be put in a ToUnicode CMap.
 */
function cleanText(text: string): string {
  let clean = '';
  for (const char of text.normalize('NFC')) {
    const codePoint = char.codePointAt(0) as number;
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) clean += '\uFFFD';
    else if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) clean += ' ';
    else clean += char;
  }
  return clean.trim();
}

/**
 * For each gap between two consecutive words, whether the engine's own line text puts
 * whitespace there. Tesseract separates Quốc ngữ syllables with spaces but not Hán
 * characters, and the PDF text should copy out the way the OCR text reads. Where a word
 * cannot be found in the line text, `fallback` decides.
 */
function separators(line: OcrLine, words: string[], fallback: boolean): boolean[] {
  const lineText = line.text.normalize('NFC');
  const result: boolean[] = [];
  let cursor = 0;
  let previousEnd = -1;
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] as string;
    const found = lineText.indexOf(word, cursor);
    if (index > 0) {
      result.push(found >= 0 && previousEnd >= 0 ? HAS_WHITESPACE.test(lineText.slice(previousEnd, found)) : fallback);
    }
    if (found >= 0) {
      cursor = found + word.length;
      previousEnd = cursor;
    } else {
      previousEnd = -1;
    }
  }
  return result;
}

function wordsOf(line: OcrLine): OcrWord[] {
  if (line.words.length > 0) return line.words;
  // An engine that gave a line without word boxes: spread its text over the line box.
  return line.text.trim() === '' ? [] : [{ text: line.text, box: line.box, confidence: 0 }];
}

/**
 * Runs for one line: every word starts at its box and stretches up to where the next word
 * starts (so extractors see no gap inside what the engine called one line), followed by a
 * space where the line text has one.
 */
function runsOf(line: OcrLine, vertical: boolean, geometry: TextLayerGeometry): Run[] {
  const words = wordsOf(line)
    .filter((word) => checkBox(word.box, 'word'))
    .map((word) => ({ box: word.box, text: cleanText(word.text) }))
    .filter((word) => word.text !== '');
  const spaces = separators(
    line,
    words.map((word) => word.text),
    !vertical,
  );
  return words.map((word, index) => {
    const next = words[index + 1];
    const box = word.box;
    if (vertical) {
      const top = box.y;
      let bottom = box.y + box.height;
      if (next && next.box.y > bottom) bottom = next.box.y;
      return {
        text: spaces[index] ? `${word.text} ` : word.text,
        start: geometry.pageHeight - top * geometry.scaleY,
        extent: (bottom - top) * geometry.scaleY,
      };
    }
    const left = box.x;
    let right = box.x + box.width;
    if (next && next.box.x > right) right = next.box.x;
    return {
      text: spaces[index] ? `${word.text} ` : word.text,
      start: left * geometry.scaleX,
      extent: (right - left) * geometry.scaleX,
    };
  });
}

/**
 * The content-stream operators of an invisible (text render mode 3) text layer for one page.
 *
 * Horizontal lines: one text run per word, font size = line box height, baseline on the
 * line (so every word of a line shares one baseline and extractors keep the line together),
 * horizontally scaled with `Tz` to the word's width.
 *
 * Vertical lines (`vertical-rl`, Hán/Nôm columns): each column is written as a line of text
 * rotated a quarter turn clockwise (text matrix `[0 −1 1 0 x y]`), running down the column,
 * font size = column width, scaled with `Tz` to each word's height. Extractors treat a
 * rotated line as one line and order rotated lines as a page turned on its side reads,
 * i.e. columns right to left: the reading order of vertical-rl. Placing each character as
 * its own upright run would instead make every character its own horizontal "line", read
 * across columns row by row. (Tesseract's own PDF renderer uses the same rotated baseline
 * for top-to-bottom text.)
 *
 * Operators are emitted in the OCR result's reading order, which is the order pdf.js and
 * Acrobat's text extraction follow.
 *
 * @see https://opensource.adobe.com/dc-acrobat-sdk-docs/pdfstandards/PDF32000_2008.pdf §9.3 (Tz, Tr), §9.4.2 (Tm)
 */
export function buildTextLayer(
  ocr: OcrResult,
  geometry: TextLayerGeometry,
  cidMap: CidMap,
  fontName: string,
): PDFOperator[] {
  const vertical = ocr.direction === 'vertical-rl';
  const operators: PDFOperator[] = [];
  for (const line of ocr.lines) {
    if (!checkBox(line.box, 'line')) continue;
    const runs = runsOf(line, vertical, geometry);
    if (runs.length === 0) continue;

    const fontSize = vertical ? line.box.width * geometry.scaleX : line.box.height * geometry.scaleY;
    const descent = fontSize * DESCENT_EM;
    if (operators.length === 0) {
      operators.push(beginText(), setTextRenderingMode(TextRenderingMode.Invisible));
    }
    operators.push(setFontAndSize(fontName, num(fontSize)));

    for (const run of runs) {
      const cids = cidMap.cidsFor(run.text);
      const natural = cids.length * ADVANCE_EM * fontSize;
      operators.push(setCharacterSqueeze(num(run.extent > 0 ? (100 * run.extent) / natural : 100)));
      if (vertical) {
        // Baseline near the column's left edge, glyph tops towards its right edge.
        const baselineX = line.box.x * geometry.scaleX + descent;
        operators.push(setTextMatrix(0, -1, 1, 0, num(baselineX), num(run.start)));
      } else {
        const bottom = geometry.pageHeight - (line.box.y + line.box.height) * geometry.scaleY;
        operators.push(setTextMatrix(1, 0, 0, 1, num(run.start), num(bottom + descent)));
      }
      operators.push(showText(PDFHexString.of(cidsToHex(cids))));
    }
  }
  if (operators.length > 0) operators.push(endText());
  return operators;
}
