import { InvalidInputError } from '../../storage/index.ts';

export const README_BEGIN = '<!-- eval-ocr:begin -->';
export const README_END = '<!-- eval-ocr:end -->';

/**
 * The README with the text between its eval-ocr markers replaced by `block` (markers kept).
 * @throws InvalidInputError when the markers are missing, repeated or out of order.
 */
export function replaceReadmeBlock(readme: string, block: string): string {
  const begin = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  const once = begin === readme.lastIndexOf(README_BEGIN) && end === readme.lastIndexOf(README_END);
  if (begin < 0 || end < begin || !once) {
    throw new InvalidInputError(`README.md needs one "${README_BEGIN}" line followed by one "${README_END}" line for --readme to write between.`);
  }
  return `${readme.slice(0, begin + README_BEGIN.length)}\n${block.trim()}\n${readme.slice(end)}`;
}
