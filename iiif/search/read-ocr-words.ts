import { z } from 'zod';
import { derivativeKey, isAppError, readJsonObject, UpstreamError, type ObjectStore } from '../../storage/index.ts';

const box = z.object({ x: z.number().finite(), y: z.number().finite(), width: z.number().finite().min(0), height: z.number().finite().min(0) });
/** The parts of `pipeline/ocr/ocr-result.ts` `OcrResult` that search reads (hOCR is not stored in ocr.json). */
const ocrJson = z.object({
  lines: z.array(z.object({ words: z.array(z.object({ text: z.string(), box })) })),
  imageWidth: z.int().positive(),
  imageHeight: z.int().positive(),
});

/** One recognised word of a page, in reading order, with its line. */
export interface OcrWordOnPage {
  text: string;
  /** Box in pixels of the OCR'd image (`imageWidth × imageHeight`). */
  box: { x: number; y: number; width: number; height: number };
  line: number;
}

export interface OcrPageWords {
  words: OcrWordOnPage[];
  imageWidth: number;
  imageHeight: number;
}

/**
 * The words of a page's stored OCR result (`derivatives/{itemId}/{pageId}/ocr.json`), in
 * reading order; `undefined` when the page has none (not OCR'd yet). A stored object that is
 * not an OCR result is an `UpstreamError` naming it.
 */
export async function readOcrWords(store: ObjectStore, itemId: string, pageId: string): Promise<OcrPageWords | undefined> {
  const key = derivativeKey(itemId, pageId, 'ocr.json');
  let json: unknown;
  try {
    json = await readJsonObject(store, key);
  } catch (error) {
    if (isAppError(error) && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
  const parsed = ocrJson.safeParse(json);
  if (!parsed.success) {
    throw new UpstreamError(`The stored OCR result ${key} is malformed (${parsed.error.issues[0]?.message ?? 'unknown'}); re-run OCR for the page.`);
  }
  const words: OcrWordOnPage[] = [];
  parsed.data.lines.forEach((line, index) => {
    for (const word of line.words) words.push({ text: word.text, box: word.box, line: index });
  });
  return { words, imageWidth: parsed.data.imageWidth, imageHeight: parsed.data.imageHeight };
}
