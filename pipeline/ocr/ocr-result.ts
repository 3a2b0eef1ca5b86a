/** A rectangle in pixels of the image that was recognised (the deskewed page), origin top left. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface OcrWord {
  /** NFC; may hold characters beyond the BMP and Private Use Area code points. */
  text: string;
  box: Box;
  /** 0–100. */
  confidence: number;
  /**
   * Other readings the engine weighed for this word, best first, without `text` itself: what a
   * correction editor offers one key away. Only engines that rank candidates give them (the Nôm
   * recogniser, per character).
   */
  alternatives?: OcrAlternative[];
}

/** A reading an engine considered and did not choose. */
export interface OcrAlternative {
  /** NFC. */
  text: string;
  /** 0–100, on the same scale as `OcrWord.confidence`. */
  confidence: number;
}

export interface OcrLine {
  text: string;
  box: Box;
  words: OcrWord[];
}

/** What an OCR engine returns for one page image. */
export interface OcrResult {
  /** Plain text, NFC, lines separated by `\n`, paragraphs and blocks by a blank line, in reading order. */
  text: string;
  lines: OcrLine[];
  /** Mean word confidence, 0–100; 0 when nothing was recognised. */
  meanConfidence: number;
  /** hOCR 1.2 document (XHTML) with word boxes (`ocrx_word`, `bbox`, `x_wconf`). */
  hocr: string;
  /** Tesseract language(s) used, e.g. `vie`, `chi_tra_vert`, `vie+chi_tra`. */
  languages: string;
  /** Reading direction of the lines: Quốc ngữ is horizontal; vertical Hán columns read right to left. */
  direction: 'horizontal' | 'vertical-rl';
  /** Size of the recognised image, so boxes can be scaled to other renditions. */
  imageWidth: number;
  imageHeight: number;
}
