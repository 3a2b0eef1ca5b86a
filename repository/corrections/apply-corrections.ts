import { ConflictError, InvalidInputError } from '../../storage/index.ts';
import type { StoredOcrPage, StoredOcrWord } from './stored-ocr-page.ts';

/** One box as the editor saves it: where it is, what it read when the page loaded, what it reads now. */
export interface BoxEdit {
  lineIndex: number;
  wordIndex: number;
  before: string;
  after: string;
  /** The Quốc ngữ reading the operator looked the character up by, when they did. */
  reading?: string;
}

/** Longest text one box may be given, in code points: a word or a character, never a line. */
export const MAX_BOX_TEXT = 64;

const CONFIRMED = 100;

/**
 * The page with the edits applied: each edited word reads `after` with confidence 100 (a person
 * checked it); what the engine had read becomes its first alternative, so the editor still
 * offers it. Line texts and the page text keep their spacing and blank lines; the mean
 * confidence is recomputed. Throws `InvalidInputError` for an edit that names no box or gives
 * text a box cannot hold, and `ConflictError` when a box no longer reads `before`.
 */
export function applyCorrections(page: StoredOcrPage, edits: readonly BoxEdit[]): StoredOcrPage {
  const byBox = new Map<string, BoxEdit>();
  for (const edit of edits) {
    const key = `${edit.lineIndex}:${edit.wordIndex}`;
    if (byBox.has(key)) throw new InvalidInputError(`Box ${boxName(edit)} is edited twice in one save: send it once`);
    byBox.set(key, edit);
    const word = page.lines[edit.lineIndex]?.words[edit.wordIndex];
    if (word === undefined) throw new InvalidInputError(`The page has no box ${boxName(edit)}: reload the editor`);
    if (word.text !== edit.before.normalize('NFC')) {
      throw new ConflictError(`Box ${boxName(edit)} reads "${word.text}" now, not "${edit.before}": someone changed the page; reload the editor`);
    }
    checkBoxText(edit.after, edit);
  }
  const lines = page.lines.map((line, lineIndex) => {
    const words = line.words.map((word, wordIndex) => {
      const edit = byBox.get(`${lineIndex}:${wordIndex}`);
      return edit === undefined ? word : correctedWord(word, edit.after.normalize('NFC'));
    });
    const separator = page.direction === 'vertical-rl' ? '' : ' ';
    const text = replaceInOrder(line.text, line.words.map((word) => word.text), words.map((word) => word.text)) ?? words.map((word) => word.text).join(separator);
    return { ...line, text, words };
  });
  const text =
    replaceInOrder(page.text, page.lines.map((line) => line.text), lines.map((line) => line.text)) ?? lines.map((line) => line.text).join('\n');
  const confidences = lines.flatMap((line) => line.words.map((word) => word.confidence));
  const meanConfidence = confidences.length === 0 ? 0 : confidences.reduce((sum, value) => sum + value, 0) / confidences.length;
  return { ...page, text, lines, meanConfidence };
}

function correctedWord(word: StoredOcrWord, after: string): StoredOcrWord {
  if (after === word.text) return { ...word, confidence: CONFIRMED };
  const previous = [{ text: word.text, confidence: word.confidence }, ...(word.alternatives ?? [])];
  return { ...word, text: after, confidence: CONFIRMED, alternatives: previous.filter((alternative) => alternative.text !== after) };
}

/** `text` with each of `olds`, found in order, replaced by the matching `news`; undefined when one is not found. */
function replaceInOrder(text: string, olds: readonly string[], news: readonly string[]): string | undefined {
  let cursor = 0;
  let out = '';
  for (const [index, old] of olds.entries()) {
    const at = text.indexOf(old, cursor);
    if (at === -1) return undefined;
    out += text.slice(cursor, at) + news[index];
    cursor = at + old.length;
  }
  return out + text.slice(cursor);
}

function checkBoxText(text: string, edit: BoxEdit): void {
  const value = text.normalize('NFC');
  if (value.trim() === '') throw new InvalidInputError(`Box ${boxName(edit)} cannot be left empty: type what it reads`);
  if (/[\s\p{Cc}]/u.test(value)) throw new InvalidInputError(`Box ${boxName(edit)} holds one word or character: remove the spaces, tabs or line breaks`);
  if ([...value].length > MAX_BOX_TEXT) throw new InvalidInputError(`Box ${boxName(edit)} may hold at most ${MAX_BOX_TEXT} characters`);
}

const boxName = (edit: Pick<BoxEdit, 'lineIndex' | 'wordIndex'>) => `line ${edit.lineIndex + 1}, word ${edit.wordIndex + 1}`;
