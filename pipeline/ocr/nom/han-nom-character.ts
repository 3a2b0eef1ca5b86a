/** Private Use Area: BMP (U+E000–F8FF) and planes 15–16, where the Nôm Foundation's characters live. */
export function isPrivateUse(char: string): boolean {
  const cp = char.codePointAt(0) ?? 0;
  return (cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000;
}

/** A character a Hán-Nôm column can hold: CJK ideographs of any block, 〇, or Private Use Area. */
export function isHanNomCharacter(char: string): boolean {
  const cp = char.codePointAt(0) ?? 0;
  return (
    cp === 0x3007 ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x20000 && cp <= 0x3ffff) ||
    isPrivateUse(char)
  );
}
