import { z } from 'zod';
import { UpstreamError } from '../../storage/index.ts';

const box = z.object({ x: z.number().finite(), y: z.number().finite(), width: z.number().finite().min(0), height: z.number().finite().min(0) });
const alternative = z.looseObject({ text: z.string(), confidence: z.number().finite() });
const word = z.looseObject({ text: z.string(), box, confidence: z.number().finite(), alternatives: z.array(alternative).optional() });
const line = z.looseObject({ text: z.string(), box, words: z.array(word) });

/**
 * A page's stored OCR result (`ocr.json`: the pipeline's `OcrResult` without its hOCR). Parsed
 * loosely: fields this editor does not know are kept as they are when the page is rewritten.
 */
export const storedOcrPageSchema = z.looseObject({
  text: z.string(),
  lines: z.array(line),
  meanConfidence: z.number().finite(),
  languages: z.string(),
  direction: z.enum(['horizontal', 'vertical-rl']),
  imageWidth: z.int().positive(),
  imageHeight: z.int().positive(),
});

export type StoredOcrPage = z.infer<typeof storedOcrPageSchema>;
export type StoredOcrLine = StoredOcrPage['lines'][number];
export type StoredOcrWord = StoredOcrLine['words'][number];
export type Box = z.infer<typeof box>;

/** Parses the bytes of `ocr.json`; anything else is an `UpstreamError` naming the object and what to do. */
export function parseStoredOcrPage(bytes: Buffer, key: string): StoredOcrPage {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new UpstreamError(`The stored OCR result ${key} is not valid JSON; re-run OCR for the page.`, { cause: error });
  }
  const parsed = storedOcrPageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UpstreamError(`The stored OCR result ${key} is malformed (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'unknown'}); re-run OCR for the page.`);
  }
  return parsed.data;
}
