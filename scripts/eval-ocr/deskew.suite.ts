import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { summariseAngleErrors } from '../../pipeline/ocr/evaluation/index.ts';
import { estimateSkew } from '../../pipeline/stages/deskew.stage.ts';
import { deskewFixtures, syntheticSkewAngles } from '../../test/pipeline/deskew-helpers/deskew-fixtures.ts';
import { renderTextPage, renderVerticalPage, rotateContent } from '../../test/pipeline/deskew-helpers/text-page.ts';
import type { DeskewSampleResult, EvaluationRow, EvaluationSuite } from './evaluation-suite.ts';
import { requireFixture, take, timed } from './suite-helpers.ts';

interface SkewSample {
  name: string;
  expected: number;
  /** The image file to estimate, written first when generated. */
  file(): Promise<string>;
}

async function evaluateSkew(dataset: string, samples: readonly SkewSample[]): Promise<EvaluationRow> {
  const { value: results, seconds } = await timed(async () => {
    const measured: DeskewSampleResult[] = [];
    for (const sample of samples) {
      const file = await sample.file();
      const { angle } = await estimateSkew({ path: file });
      measured.push({ name: sample.name, expected: sample.expected, estimated: angle, error: Math.abs(angle - sample.expected) });
    }
    return measured;
  });
  return {
    kind: 'deskew',
    suite: 'deskew',
    profile: null,
    dataset,
    n: results.length,
    seconds,
    summary: summariseAngleErrors(results.map(({ expected, estimated }) => ({ expected, estimated }))),
    samples: results,
  };
}

/** Clean pages turned by known angles (the benchmark's 40 for text rows, 10 of them for columns). */
function generated(workDir: string, label: string, angles: readonly number[], render: (seed: number) => Promise<Buffer>): SkewSample[] {
  return angles.map((angle, k) => ({
    name: `${label}-${k + 1} (${angle}°)`,
    expected: angle,
    file: async () => {
      const file = path.join(workDir, `deskew-${label}.png`);
      await writeFile(file, await rotateContent(await render(k + 1), angle));
      return file;
    },
  }));
}

export const deskew: EvaluationSuite = {
  name: 'deskew',
  description:
    'Skew estimate (estimateSkew): the 8 real scans of ../shared/fixtures/deskew against their published angles ' +
    '(±0.5°, sign converted), and generated pages turned by known angles: mean/median/max absolute error in degrees',
  async run(context) {
    const scans: SkewSample[] = [];
    for (const fixture of deskewFixtures()) {
      const file = await requireFixture(fixture.file);
      scans.push({ name: fixture.name, expected: fixture.expected, file: async () => file });
    }
    const angles = syntheticSkewAngles();
    return [
      await evaluateSkew('sbrunner scans', take(scans, context.limit)),
      await evaluateSkew(
        'generated text rows',
        take(generated(context.workDir, 'rows', angles, (seed) => renderTextPage({ seed })), context.limit),
      ),
      await evaluateSkew(
        'generated columns',
        take(generated(context.workDir, 'columns', angles.slice(5, 15), (seed) => renderVerticalPage({ seed })), context.limit),
      ),
    ];
  },
};
