import type { OcrEngine, OcrImage } from '../../pipeline/ocr/index.ts';
import { compareText, summariseComparisons, type CompareTextOptions } from '../../pipeline/ocr/evaluation/index.ts';
import type { OcrProfile } from '../../repository/index.ts';
import type { EvaluationRow, OcrSampleResult } from './evaluation-suite.ts';
import { timed } from './suite-helpers.ts';

/** An image with the text it holds. */
export interface OcrSample {
  name: string;
  /** Reads or generates the image and its reference text (one at a time, inside the timing). */
  load(): Promise<{ image: OcrImage; reference: string }>;
}

export interface OcrDataset {
  suite: string;
  profile: OcrProfile;
  dataset: string;
  samples: readonly OcrSample[];
  compare: CompareTextOptions;
}

/** Reads every sample with `engine`, one at a time, and compares what it read with the reference. */
export async function evaluateOcrDataset(engine: OcrEngine, dataset: OcrDataset): Promise<EvaluationRow> {
  const { value: samples, seconds } = await timed(async () => {
    const results: OcrSampleResult[] = [];
    for (const sample of dataset.samples) {
      const { image, reference } = await sample.load();
      const { text } = await engine.recognize(image, dataset.profile);
      results.push({ name: sample.name, text, ...compareText(reference, text, dataset.compare) });
    }
    return results;
  });
  return {
    kind: 'ocr',
    suite: dataset.suite,
    profile: dataset.profile,
    dataset: dataset.dataset,
    n: samples.length,
    seconds,
    summary: summariseComparisons(samples),
    samples,
  };
}
