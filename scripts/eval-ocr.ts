/**
 * OCR evaluation harness: `npm run eval-ocr [-- options]`.
 *
 *   --suite NAME   run only this suite (repeatable); `--list` shows them
 *   --limit N      at most N samples per dataset (a quick look; never for the README)
 *   --json FILE    also write the rows, with every sample, as JSON
 *   --details      also print every sample (per-column CER, per-image skew error)
 *   --readme       rewrite the block between the eval-ocr markers of README.md with the table,
 *                  the date and the commit (a full run only)
 *
 * Prints a table of suite, profile, dataset, n, CER, sequence accuracy, deskew error and time.
 * Times are reported, never judged; the exit code is non-zero only on an error (a missing
 * fixture, an unknown suite, an engine that fails).
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';

import { InvalidInputError } from '../storage/index.ts';
import type { EvaluationRow } from './eval-ocr/evaluation-suite.ts';
import { formatMarkdownTable, formatSamples, formatTextTable } from './eval-ocr/format-table.ts';
import { replaceReadmeBlock } from './eval-ocr/readme-block.ts';
import { runSuites, selectSuites } from './eval-ocr/run-suites.ts';
import { SUITES } from './eval-ocr/suites.ts';

const README = path.resolve(import.meta.dirname, '../README.md');

interface Options {
  suites: string[];
  limit: number | undefined;
  json: string | undefined;
  details: boolean;
  readme: boolean;
  list: boolean;
}

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      suite: { type: 'string', multiple: true, default: [] },
      limit: { type: 'string' },
      json: { type: 'string' },
      details: { type: 'boolean', default: false },
      readme: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
    },
  });
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    throw new InvalidInputError(`--limit takes a positive whole number, got "${values.limit}".`);
  }
  if (values.readme && (values.suite.length > 0 || limit !== undefined)) {
    throw new InvalidInputError('--readme records a full run: leave out --suite and --limit.');
  }
  return { suites: values.suite, limit, json: values.json, details: values.details, readme: values.readme, list: values.list };
}

/** The commit measured, marked when the working tree differs from it. */
async function describeCommit(): Promise<string> {
  const git = promisify(execFile);
  const cwd = path.dirname(README);
  const { stdout: commit } = await git('git', ['rev-parse', '--short', 'HEAD'], { cwd });
  const { stdout: status } = await git('git', ['status', '--porcelain', '--untracked-files=no'], { cwd });
  return `${commit.trim()}${status.trim() === '' ? '' : ' with uncommitted changes'}`;
}

async function writeReadme(rows: readonly EvaluationRow[]): Promise<void> {
  const date = new Date().toISOString().slice(0, 10);
  const block = `Latest run: ${date}, commit ${await describeCommit()} (\`npm run eval-ocr -- --readme\`).\n\n${formatMarkdownTable(rows)}`;
  await writeFile(README, replaceReadmeBlock(await readFile(README, 'utf8'), block));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.list) {
    process.stdout.write(SUITES.map((suite) => `${suite.name}: ${suite.description}`).join('\n') + '\n');
    return;
  }
  const rows = await runSuites(selectSuites(SUITES, options.suites), { limit: options.limit });
  process.stdout.write(`${formatTextTable(rows)}\n`);
  if (options.details) process.stdout.write(`\n${formatSamples(rows)}\n`);
  if (options.json !== undefined) await writeFile(options.json, `${JSON.stringify(rows, null, 2)}\n`);
  if (options.readme) await writeReadme(rows);
}

try {
  await main();
} catch (error) {
  process.stderr.write(`eval-ocr: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
