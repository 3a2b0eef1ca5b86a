import path from 'node:path';

import type { OcrEngine } from '../../pipeline/ocr/index.ts';
import type { OcrProfile } from '../../repository/index.ts';
import { KIEU, kieuColumns } from '../../test/pipeline/ocr/test-pages.ts';
import type { EvaluationSuite, SuiteContext } from './evaluation-suite.ts';
import { evaluateOcrDataset, type OcrSample } from './ocr-samples.ts';
import { requireFixture, take } from './suite-helpers.ts';

export interface KieuColumnsSuiteOptions {
  name: string;
  profile: OcrProfile;
  /** The engine that reads the profile, usually shared through `context.engine`. */
  engine(context: SuiteContext): Promise<OcrEngine>;
}

/** The 16 column crops of the 1866 Kiều with their ground truth, each checked to be there. */
async function kieuSamples(): Promise<OcrSample[]> {
  await requireFixture(path.join(KIEU, 'gt.tsv'));
  const samples: OcrSample[] = [];
  for (const column of await kieuColumns()) {
    const image = { path: await requireFixture(column.file) };
    samples.push({ name: path.basename(column.file), load: async () => ({ image, reference: column.text }) });
  }
  return samples;
}

/**
 * A suite reading the Kiều 1866 columns with one profile: CER and share of columns read exactly,
 * whitespace ignored (the script has none), per-column CER in the samples.
 */
export function kieuColumnsSuite(options: KieuColumnsSuiteOptions): EvaluationSuite {
  return {
    name: options.name,
    description: `Truyện Kiều 1866, 16 column crops (../shared/fixtures/hannom/kieu1866), profile ${options.profile}: CER, columns read exactly, per-column CER`,
    async run(context) {
      const samples = take(await kieuSamples(), context.limit);
      const engine = await options.engine(context);
      return [
        await evaluateOcrDataset(engine, {
          suite: options.name,
          profile: options.profile,
          dataset: 'kieu1866 columns',
          samples,
          compare: { whitespace: 'ignore', sequences: 'text' },
        }),
      ];
    },
  };
}
