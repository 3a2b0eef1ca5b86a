import { access } from 'node:fs/promises';
import path from 'node:path';

import { TesseractOcrEngine, type OcrEngine } from '../../pipeline/ocr/index.ts';
import { NotFoundError } from '../../storage/index.ts';
import type { SuiteContext } from './evaluation-suite.ts';

/** @throws NotFoundError naming the file, so a run on an incomplete checkout says what is missing. */
export async function requireFixture(file: string): Promise<string> {
  try {
    await access(file);
  } catch (error) {
    throw new NotFoundError(
      `Evaluation fixture ${path.relative(process.cwd(), file)} is missing: the harness reads ../shared/fixtures ` +
        '(see its README) and test/pipeline/ocr/fixtures.',
      { cause: error },
    );
  }
  return file;
}

/** The first `limit` samples, or all of them. */
export function take<T>(samples: readonly T[], limit: number | undefined): T[] {
  return limit === undefined ? [...samples] : samples.slice(0, limit);
}

/** The Tesseract engine shared by the suites: one worker, since the machine's cores are shared. */
export function tesseractEngine(context: SuiteContext): Promise<OcrEngine> {
  return context.engine('tesseract', () => TesseractOcrEngine.create({ poolSize: 1 }));
}

export async function timed<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = performance.now();
  const value = await run();
  return { value, seconds: (performance.now() - start) / 1000 };
}
