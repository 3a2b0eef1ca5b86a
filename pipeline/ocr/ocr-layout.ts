import type { Box, OcrLine } from './ocr-result.ts';

/** A paragraph of recognised lines, in reading order. */
export interface OcrParagraph {
  box: Box;
  lines: OcrLine[];
}

/** A block (text region) of the page, in reading order: what hOCR calls `ocr_carea`. */
export interface OcrBlock {
  box: Box;
  paragraphs: OcrParagraph[];
}
