/**
 * `npm run build-nom-readings [-- --corpus DIR] [--out FILE]`: builds the Quốc ngữ → Nôm
 * readings table of the OCR correction editor by aligning the Lục Vân Tiên texts of the corpus
 * (`luc-van-tien.nom.txt` with `luc-van-tien.quoc-ngu.txt`, line by line) and writes it to
 * `repository/corrections/data/nom-readings.json`, which is committed. Reports how many lines
 * aligned.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildNomReadings } from '../repository/corrections/build-nom-readings.ts';
import { NOM_READINGS_FILE, serialiseNomReadings } from '../repository/corrections/nom-readings-file.ts';
import { createLogger } from './app/logger.ts';

const DEFAULT_CORPUS = fileURLToPath(new URL('../../shared/fixtures/hannom/corpus/', import.meta.url));
const SOURCES = ['luc-van-tien.nom.txt', 'luc-van-tien.quoc-ngu.txt'] as const;

const logger = createLogger('info', 'build-nom-readings');
const { values } = parseArgs({ options: { corpus: { type: 'string' }, out: { type: 'string' } } });
const corpus = values.corpus ?? DEFAULT_CORPUS;
const out = values.out ?? NOM_READINGS_FILE;
const [nom, quocNgu] = await Promise.all(SOURCES.map((source) => readFile(path.join(corpus, source), 'utf8')));
const built = buildNomReadings(nom as string, quocNgu as string);
await writeFile(out, serialiseNomReadings(built, SOURCES), 'utf8');
logger.info(
  { out, totalLines: built.totalLines, alignedLines: built.alignedLines, entries: built.entries.length },
  `${built.alignedLines} of ${built.totalLines} lines aligned; ${built.entries.length} readings written`,
);
