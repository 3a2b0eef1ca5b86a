/** At most 100 entries per beginbfchar … endbfchar block (PDF 32000-1:2008 §9.10.3, Adobe TN 5411). */
const BFCHAR_BLOCK = 100;

function utf16BeHex(codePoint: number): string {
  if (codePoint < 0x10000) return codePoint.toString(16).toUpperCase().padStart(4, '0');
  const offset = codePoint - 0x10000;
  const high = 0xd800 + (offset >> 10);
  const low = 0xdc00 + (offset & 0x3ff);
  return `${high.toString(16).toUpperCase()}${low.toString(16).toUpperCase()}`;
}

/**
 * A ToUnicode CMap mapping CID `i + 1` to `codePoints[i]`, in UTF-16BE: a surrogate pair
 * for code points beyond the BMP (`<0005> <D846DE38>` for U+21A38 '𡨸').
 *
 * @see https://opensource.adobe.com/dc-acrobat-sdk-docs/pdfstandards/PDF32000_2008.pdf §9.10.3 ToUnicode CMaps
 */
export function buildToUnicodeCmap(codePoints: readonly number[]): string {
  const lines = [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
  ];
  for (let start = 0; start < codePoints.length; start += BFCHAR_BLOCK) {
    const block = codePoints.slice(start, start + BFCHAR_BLOCK);
    lines.push(`${block.length} beginbfchar`);
    block.forEach((codePoint, index) => {
      const cid = (start + index + 1).toString(16).toUpperCase().padStart(4, '0');
      lines.push(`<${cid}> <${utf16BeHex(codePoint)}>`);
    });
    lines.push('endbfchar');
  }
  lines.push('endcmap', 'CMapName currentdict /CMap defineresource pop', 'end', 'end');
  return `${lines.join('\n')}\n`;
}
