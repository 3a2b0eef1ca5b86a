import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { OcrEngine } from '../../pipeline/ocr/index.ts';
import { InvalidInputError } from '../../storage/index.ts';
import type { EvaluationRow, EvaluationSuite, SuiteContext } from './evaluation-suite.ts';

export interface RunSuitesOptions {
  /** At most this many samples per dataset; undefined = all. */
  limit?: number;
}

/**
 * Runs the suites one after another (the machine's cores are shared) with one context: engines
 * started by one suite serve the next, and all are closed, and the work folder removed, at the end.
 */
export async function runSuites(suites: readonly EvaluationSuite[], options: RunSuitesOptions = {}): Promise<EvaluationRow[]> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'eval-ocr-'));
  const engines = new Map<string, Promise<OcrEngine>>();
  const context: SuiteContext = {
    workDir,
    limit: options.limit,
    engine(key, start) {
      let engine = engines.get(key);
      if (engine === undefined) {
        engine = start();
        engines.set(key, engine);
      }
      return engine;
    },
  };
  try {
    const rows: EvaluationRow[] = [];
    for (const suite of suites) rows.push(...(await suite.run(context)));
    return rows;
  } finally {
    const started = await Promise.allSettled(engines.values());
    await Promise.all(started.map((engine) => (engine.status === 'fulfilled' ? engine.value.close() : undefined)));
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The suites named, in registry order (all when none is named). @throws InvalidInputError for an unknown name. */
export function selectSuites(all: readonly EvaluationSuite[], names: readonly string[]): EvaluationSuite[] {
  if (names.length === 0) return [...all];
  const unknown = names.filter((name) => !all.some((suite) => suite.name === name));
  if (unknown.length > 0) {
    throw new InvalidInputError(`Unknown suite ${unknown.join(', ')}: use one of ${all.map((suite) => suite.name).join(', ')}.`);
  }
  return all.filter((suite) => names.includes(suite.name));
}
