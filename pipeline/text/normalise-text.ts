/**
 * Brings text to the one form the product stores and compares: Unicode NFC (Vietnamese
 * letters precomposed, as keyboards and search boxes produce them), `\n` line ends, and no
 * spaces or tabs at the end of a line. Leading spaces and blank lines are kept.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(/\s+$/u, ''))
    .join('\n');
}
