/** Combining marks: every Vietnamese tone and vowel mark once decomposed (U+0300–U+036F), and any other. */
const COMBINING_MARKS = /\p{M}/gu;

/**
 * Folds Vietnamese text for diacritic-free search: removes tone marks and vowel marks
 * (`ắ` → `a`, `ư` → `u`, `ơ` → `o`), maps `đ`/`Đ` to `d` (and the look-alike Icelandic eth
 * `ð`/`Ð`, which OCR sometimes emits for `đ`/`Đ`), and lower-cases. `'Đắk Nông'` → `'dak nong'`.
 * Other characters (digits, punctuation, Hán-Nôm) pass through; the result is NFC.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/[đĐðÐ]/gu, 'd')
    .toLowerCase()
    .normalize('NFC');
}
