import { foldVietnamese } from '../text/fold-vietnamese.ts';

/** One Quốc ngữ reading of one character, as often as the aligned texts show it. */
export interface ReadingEntry {
  /** The reading folded (no marks, lower case, đ → d): what a lookup matches. */
  key: string;
  /** The reading as written, lower case, NFC. */
  reading: string;
  /** The character (NFC; may be beyond the BMP or in the Private Use Area). */
  character: string;
  count: number;
}

export interface BuiltReadings {
  entries: ReadingEntry[];
  totalLines: number;
  /** Lines whose syllable count equals their character count: only these were used. */
  alignedLines: number;
}

/** The lookup key of a reading: `Của`, `cua`, `CỦA` → `cua`. */
export const readingKey = (reading: string) => foldVietnamese(reading.trim());

/** The syllables of a Quốc ngữ line, lower case, NFC: letters only, punctuation dropped. */
export function quocNguSyllables(line: string): string[] {
  return line
    .normalize('NFC')
    .split(/[^\p{L}\p{M}]+/u)
    .filter((syllable) => syllable !== '')
    .map((syllable) => syllable.toLocaleLowerCase('vi'));
}

/** The characters of a Nôm line, by code point (so astral and Private Use Area characters count once); punctuation and spaces dropped. */
export function nomCharacters(line: string): string[] {
  return [...line.normalize('NFC')].filter((character) => /[\p{L}\p{Co}]/u.test(character));
}

/**
 * Aligns a Nôm text with its Quốc ngữ transcription line by line and counts each
 * (reading, character) pair. A line pair is used only when its syllables and characters are
 * as many: otherwise a missing or extra character would shift every reading after it.
 * Entries come sorted by key, reading, count (most first), character.
 */
export function buildNomReadings(nomText: string, quocNguText: string): BuiltReadings {
  const nomLines = nomText.split(/\r?\n/);
  const quocNguLines = quocNguText.split(/\r?\n/);
  const counts = new Map<string, ReadingEntry>();
  let totalLines = 0;
  let alignedLines = 0;
  for (let index = 0; index < Math.max(nomLines.length, quocNguLines.length); index += 1) {
    const characters = nomCharacters(nomLines[index] ?? '');
    const syllables = quocNguSyllables(quocNguLines[index] ?? '');
    if (characters.length === 0 && syllables.length === 0) continue;
    totalLines += 1;
    if (characters.length !== syllables.length) continue;
    alignedLines += 1;
    characters.forEach((character, position) => {
      const reading = syllables[position] as string;
      const id = `${reading}\u0000${character}`;
      const entry = counts.get(id) ?? { key: readingKey(reading), reading, character, count: 0 };
      entry.count += 1;
      counts.set(id, entry);
    });
  }
  return { entries: [...counts.values()].sort(compareEntries), totalLines, alignedLines };
}

export function compareEntries(a: ReadingEntry, b: ReadingEntry): number {
  return compareText(a.key, b.key) || compareText(a.reading, b.reading) || b.count - a.count || compareText(a.character, b.character);
}

/** By code point, so the order does not depend on the locale of the machine that sorted. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
