import type { OcrProfile } from '../../repository/index.ts';
import type { OcrResult } from './ocr-result.ts';

/** The page image to read: a file path, or the encoded bytes of an image (TIFF, PNG, JPEG, WebP…). */
export type OcrImage = { path: string } | Buffer;

export interface OcrRecognizeOptions {
  /**
   * Abandons the recognition. A job still waiting for the engine is dropped; a running one is
   * stopped (the engine discards the busy worker). The promise then rejects with
   * `signal.reason` (an `AbortError` `DOMException` unless the caller gave another reason).
   */
  signal?: AbortSignal;
}

/**
 * Optical character recognition of one page image (design §4, OCR stage).
 *
 * Implementations are safe to call concurrently: calls beyond the engine's capacity wait
 * their turn. They never fetch anything over the network.
 */
export interface OcrEngine {
  /**
   * Reads the text of `image` with the models that `profile` names:
   * `vie` Quốc ngữ (horizontal); `han` horizontal Hán; `han-vert` vertical Hán, columns read
   * right to left (a whole page, or a single column crop); `vie+han` mixed.
   *
   * Only the first page of a multi-page file is read. Every text in the result is NFC; word and
   * line boxes are in pixels of `image` as stored (no EXIF rotation applied), whatever the engine
   * did to the image internally.
   *
   * @throws InvalidInputError when the image is missing, unreadable or not an image (retrying cannot help).
   * @throws UpstreamError (`retryable: true`) when the engine itself fails or does not start in time.
   * @throws the signal's reason when `options.signal` aborts.
   */
  recognize(image: OcrImage, profile: OcrProfile, options?: OcrRecognizeOptions): Promise<OcrResult>;

  /**
   * Stops the engine's workers and frees what it holds. Calls still waiting are rejected;
   * calls after `close` reject. Idempotent.
   */
  close(): Promise<void>;
}
