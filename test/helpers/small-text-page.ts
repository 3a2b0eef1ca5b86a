import sharp from 'sharp';

const LINES = ['Thư viện tỉnh Đắk Nông', 'lưu giữ tài liệu địa chí', 'quý hiếm của địa phương.'];

/**
 * A small page scan (600 × 800 px, greyscale PNG at 300 dpi) of Vietnamese text that ends with
 * `label`, so each label is a different file (a different sha256, a different page). Small
 * enough that OCR takes a second or two, for tests that need many pages moving at once.
 */
export async function smallTextPage(label: string): Promise<Buffer> {
  const escaped = label.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  const lines = [...LINES, `Trang ${escaped}`];
  const texts = lines.map((line, index) => `<text x="40" y="${120 + index * 60}">${line}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="800"><rect width="100%" height="100%" fill="#ffffff"/><g font-family="DejaVu Serif" font-size="30" fill="#000000">${texts}</g></svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).greyscale().withMetadata({ density: 300 }).png().toBuffer();
}
