import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigurationError } from '../../storage/index.ts';
import type { BuiltReadings, ReadingEntry } from './build-nom-readings.ts';

/** The committed readings table (`npm run build-nom-readings` writes it). */
export const NOM_READINGS_FILE = fileURLToPath(new URL('./data/nom-readings.json', import.meta.url));

export const NOM_READINGS_FORMAT = 'thu-vien-so/nom-readings';
export const NOM_READINGS_VERSION = 1;

const fileSchema = z.object({
  format: z.literal(NOM_READINGS_FORMAT),
  version: z.literal(NOM_READINGS_VERSION),
  sources: z.array(z.string()),
  totalLines: z.int(),
  alignedLines: z.int(),
  /** `[key, reading, character, count]`, one per line of the file so that a rebuild diffs well. */
  entries: z.array(z.tuple([z.string(), z.string(), z.string(), z.int().positive()])),
});

/** The file's text: a version header, then one entry per line (sorted as built). */
export function serialiseNomReadings(built: BuiltReadings, sources: readonly string[]): string {
  const header = { format: NOM_READINGS_FORMAT, version: NOM_READINGS_VERSION, sources, totalLines: built.totalLines, alignedLines: built.alignedLines };
  const head = JSON.stringify(header, null, 2).replace(/\n}$/, '');
  const entries = built.entries.map((entry) => `    ${JSON.stringify([entry.key, entry.reading, entry.character, entry.count])}`);
  return `${head},\n  "entries": [\n${entries.join(',\n')}\n  ]\n}\n`;
}

/** Reads a readings file; one that is missing or not of this format is a `ConfigurationError` saying how to make it. */
export async function loadNomReadings(file = NOM_READINGS_FILE): Promise<ReadingEntry[]> {
  let parsed;
  try {
    parsed = fileSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    throw new ConfigurationError(`The Nôm readings table ${file} is missing or not of format ${NOM_READINGS_FORMAT} v${NOM_READINGS_VERSION}: run npm run build-nom-readings`, { cause: error });
  }
  return parsed.entries.map(([key, reading, character, count]) => ({ key, reading, character, count }));
}
