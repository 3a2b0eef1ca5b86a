import type { Box, StoredOcrPage } from './stored-ocr-page.ts';

/**
 * What saving corrections needs from the pipeline, implemented there (pipeline/corrections)
 * and wired in by the entry point: the repository must not import the pipeline.
 */
export interface CorrectionPipeline {
  /**
   * The page's hOCR for the corrected result, keeping what the previous hOCR said about the
   * engine and resolution (`previous` is undefined when the page had none).
   */
  buildHocr(page: StoredOcrPage, previous: string | undefined): string;
  /**
   * The box (in pixels of an image `ocrWidth × ocrHeight`, the OCR'd image) cut from `image`
   * (the same page at any size) with a small margin, as a greyscale PNG.
   */
  cropCharacter(image: Buffer, box: Box, ocrSize: { width: number; height: number }): Promise<{ png: Buffer; width: number; height: number }>;
  /**
   * Queues the item's packaging again (searchable PDF text layer, manifest). False when a
   * packaging of the item is already waiting: that one will read the corrected page.
   */
  repackage(itemId: string): Promise<boolean>;
}
