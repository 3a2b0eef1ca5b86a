import sharp from 'sharp';
import { seededRandom } from '../../../pipeline/ocr/seeded-random.ts';

/** Vietnamese words (Quốc ngữ, NFC) the generated pages are made of. */
const WORDS = (
  'thư viện quốc gia việt nam lưu giữ nhiều tài liệu quý hiếm về lịch sử văn hóa ' +
  'của dân tộc những cuốn sách cổ được số hóa để bạn đọc tra cứu dễ dàng hơn ' +
  'người đọc có thể tìm kiếm văn bản có dấu hoặc không dấu trên trang mạng ' +
  'mỗi trang sách được quét với độ phân giải cao rồi nhận dạng chữ tự động ' +
  'công việc này đòi hỏi sự kiên nhẫn và tỉ mỉ của cán bộ thư viện ở khắp các tỉnh ' +
  'hà nội huế sài gòn đà nẵng cần thơ hải phòng nghệ an thanh hóa quảng nam ' +
  'truyện kiều lục vân tiên đại việt sử ký toàn thư hán nôm chữ quốc ngữ'
).split(' ');

export interface TextPageOptions {
  /** Page size in pixels (default 1100 × 1500). */
  width?: number;
  height?: number;
  /** Font size in pixels (default 24). */
  fontSize?: number;
  /** Seed of the word sequence: the same seed gives the same page. */
  seed?: number;
  /** Leave the page blank (paper only). */
  blank?: boolean;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface RenderedTextPage {
  /** Greyscale PNG. */
  png: Buffer;
  /** The text drawn, one element per line, top to bottom (NFC). */
  lines: string[];
}

/**
 * Renders a clean, upright page of Vietnamese text lines (DejaVu Serif, black on white):
 * a title, then paragraphs with an indented first line and a short last line. Returns a
 * greyscale PNG.
 */
export async function renderTextPage(options: TextPageOptions = {}): Promise<Buffer> {
  return (await renderTextPageWithLines(options)).png;
}

/** `renderTextPage`, also returning the text drawn: the ground truth for OCR. */
export async function renderTextPageWithLines(options: TextPageOptions = {}): Promise<RenderedTextPage> {
  const width = options.width ?? 1100;
  const height = options.height ?? 1500;
  const fontSize = options.fontSize ?? 24;
  const next = seededRandom(options.seed ?? 1);
  const margin = Math.round(width * 0.1);
  const lineHeight = Math.round(fontSize * 1.55);
  const charsPerLine = Math.floor((width - 2 * margin) / (fontSize * 0.52));
  const lines: string[] = [];
  const drawn: string[] = [];
  if (!options.blank) {
    let y = margin + fontSize * 1.5;
    const word = (): string => WORDS[Math.floor(next() * WORDS.length)]!;
    const title = 'Thư viện số: trang mẫu';
    drawn.push(title);
    lines.push(
      `<text x="${width / 2}" y="${y}" font-size="${Math.round(fontSize * 1.4)}" font-weight="bold" text-anchor="middle">` +
        `${escapeXml(title)}</text>`,
    );
    y += lineHeight * 2;
    while (y < height - margin) {
      const paragraphLines = 3 + Math.floor(next() * 5);
      for (let l = 0; l < paragraphLines && y < height - margin; l++) {
        const indent = l === 0 ? fontSize * 2 : 0;
        const limit = l === paragraphLines - 1 ? charsPerLine * (0.3 + 0.5 * next()) : charsPerLine - indent / (fontSize * 0.52);
        let text = word();
        for (let w = word(); text.length + 1 + w.length <= limit; w = word()) text += ` ${w}`;
        if (l === 0) text = text.charAt(0).toUpperCase() + text.slice(1);
        if (l === paragraphLines - 1) text += '.';
        drawn.push(text);
        lines.push(`<text x="${margin + indent}" y="${y}">${escapeXml(text)}</text>`);
        y += lineHeight;
      }
      y += lineHeight * 0.6;
    }
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<g font-family="DejaVu Serif" font-size="${fontSize}" fill="#000000">${lines.join('')}</g></svg>`;
  const png = await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).toColourspace('b-w').png().toBuffer();
  return { png, lines: drawn.map((line) => line.normalize('NFC')) };
}

/**
 * Renders an upright page of vertical columns read right to left, one glyph per cell, the way
 * Hán-Nôm pages are laid out (no CJK font is installed, so the cells hold Quốc ngữ letters:
 * the skew estimate only sees the columns). Returns a greyscale PNG.
 */
export async function renderVerticalPage(options: TextPageOptions = {}): Promise<Buffer> {
  const width = options.width ?? 1100;
  const height = options.height ?? 1500;
  const fontSize = options.fontSize ?? 30;
  const next = seededRandom(options.seed ?? 1);
  const margin = Math.round(width * 0.1);
  const pitch = Math.round(fontSize * 1.8);
  const cell = Math.round(fontSize * 1.15);
  const letters = WORDS.join('').replace(/ /g, '');
  const glyphs: string[] = [];
  for (let x = width - margin - fontSize / 2; x > margin; x -= pitch) {
    // Columns start at staggered heights, so the glyphs do not also form horizontal rows.
    const start = margin + next() * cell;
    const length = Math.floor((height - 2 * margin) / cell) - 1 - (next() < 0.3 ? Math.floor(next() * 8) : 0);
    for (let k = 0; k < length; k++) {
      const glyph = letters.charAt(Math.floor(next() * letters.length)).toUpperCase();
      glyphs.push(`<text x="${x}" y="${start + (k + 1) * cell}" text-anchor="middle">${escapeXml(glyph)}</text>`);
    }
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<g font-family="DejaVu Serif" font-size="${fontSize}" fill="#000000">${glyphs.join('')}</g></svg>`;
  return sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).toColourspace('b-w').png().toBuffer();
}

/**
 * Rotates page content counter-clockwise by `degrees` (the convention of `estimateSkew`),
 * on a white background. sharp turns clockwise for positive angles, hence the minus sign.
 */
export async function rotateContent(png: Buffer, degrees: number): Promise<Buffer> {
  return sharp(png)
    .rotate(-degrees, { background: '#ffffff' })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}
