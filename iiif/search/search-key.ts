import { foldVietnamese } from '../../repository/index.ts';

const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/**
 * The form a word is compared in: Vietnamese marks removed, `đ` → `d`, lower case
 * (`foldVietnamese`), and leading/trailing punctuation dropped (`Nông,` → `nong`).
 * `''` for a word of punctuation only.
 */
export function searchKey(word: string): string {
  return foldVietnamese(word.normalize('NFC')).replace(EDGE_PUNCTUATION, '');
}
