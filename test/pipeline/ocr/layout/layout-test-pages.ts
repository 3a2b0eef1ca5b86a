import { readFile } from 'node:fs/promises';
import path from 'node:path';

import sharp, { type OverlayOptions } from 'sharp';

import type { VerticalColumnKind } from '../../../../pipeline/ocr/layout/index.ts';
import { seededRandom } from '../../../../pipeline/ocr/seeded-random.ts';
import type { Box } from '../../../../pipeline/ocr/ocr-result.ts';
import type { GreyRaster } from '../../../../pipeline/stages/skew-raster.ts';
import { FIXTURES, kieuColumns } from '../test-pages.ts';

/** A column drawn on a test page, in reading order. */
export interface DrawnColumn {
  /** Where it was drawn, in pixels of the final (rotated) page: the rotated crop or glyph cells. */
  box: Box;
  kind: VerticalColumnKind;
  /** For a note: index of the main column it annotates. */
  annotates?: number;
  /** Its text when known (the corpus page). */
  text?: string;
}

export interface LayoutTestPage {
  png: Buffer;
  raster: GreyRaster;
  columns: DrawnColumn[];
  /** Main character size as drawn. */
  characterSize: number;
}

interface Placed {
  box: Box;
  kind: VerticalColumnKind;
  annotates?: number;
  text?: string;
}

/** Paper darkening from left to right, plus dark specks of one to three pixels. */
function paperAndSpecks(width: number, height: number, seed: number, specks: number): { paper: Buffer; specks: string } {
  const paper = Buffer.alloc(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) paper[y * width + x] = Math.round(250 - (40 * x) / width - (10 * y) / height);
  }
  const next = seededRandom(seed);
  let dots = '';
  for (let i = 0; i < specks; i += 1) {
    const size = 1 + Math.floor(next() * 3);
    dots += `<rect x="${Math.floor(next() * width)}" y="${Math.floor(next() * height)}" width="${size}" height="${size}" fill="#202020"/>`;
  }
  return { paper, specks: dots };
}

/** Rotates `page` clockwise by `degrees` (sharp's sense) on white; boxes follow as the bounding boxes of their turned corners. */
async function rotatePage(
  page: Buffer,
  width: number,
  height: number,
  degrees: number,
  placed: readonly Placed[],
): Promise<{ raster: GreyRaster; png: Buffer; columns: DrawnColumn[] }> {
  const { data, info } = await sharp(page)
    .rotate(degrees, { background: '#ffffff' })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const angle = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const turn = (x: number, y: number): [number, number] => [
    info.width / 2 + (x - width / 2) * cos - (y - height / 2) * sin,
    info.height / 2 + (x - width / 2) * sin + (y - height / 2) * cos,
  ];
  const columns = placed.map((column) => {
    const { x, y, width: w, height: h } = column.box;
    const corners = [turn(x, y), turn(x + w, y), turn(x, y + h), turn(x + w, y + h)];
    const x0 = Math.min(...corners.map(([cx]) => cx));
    const x1 = Math.max(...corners.map(([cx]) => cx));
    const y0 = Math.min(...corners.map(([, cy]) => cy));
    const y1 = Math.max(...corners.map(([, cy]) => cy));
    return { ...column, box: { x: Math.round(x0), y: Math.round(y0), width: Math.round(x1 - x0), height: Math.round(y1 - y0) } };
  });
  const raster = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  const png = await sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).png().toBuffer();
  return { raster, png, columns };
}

/** Frame around the text and rules between the column positions, as SVG. */
function frameAndRules(left: number, top: number, right: number, bottom: number, rulesAt: readonly number[]): string {
  const frame = `<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#111" stroke-width="4"/>`;
  return frame + rulesAt.map((x) => `<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="#222" stroke-width="2"/>`).join('');
}

/**
 * A woodblock-like page from the 16 real Kiều column crops, set right to left at a 46 px
 * pitch inside a frame with rules between the columns, on paper that darkens to the left,
 * with specks, turned 0.5°. Under three of the short columns, and alone in a 17th column
 * position at the left, half-size copies of other crops stand as double-line notes (right
 * sub-column, then left).
 */
export async function composeKieuPage(): Promise<LayoutTestPage> {
  const crops = await kieuColumns();
  const pitch = 46;
  const margin = 40;
  const top = 40;
  const areaHeight = 300;
  const positions = crops.length + 1;
  const width = margin * 2 + positions * pitch;
  const height = top * 2 + areaHeight;
  const composites: OverlayOptions[] = [];
  const placed: Placed[] = [];
  const rules: number[] = [];
  const notesUnder = new Map([
    [2, [12, 14]],
    [6, [0, 4]],
    [10, [8, 1]],
  ]);

  const placeNotes = async (centre: number, y: number, sources: readonly number[], annotates: number): Promise<void> => {
    // Right sub-column first: it is read first.
    for (const [side, source] of sources.entries()) {
      const file = crops[source]!.file;
      const { data, info } = await sharp(file).resize({ width: 12, kernel: 'lanczos3' }).png().toBuffer({ resolveWithObject: true });
      const x = side === 0 ? centre + 2 : centre - 2 - info.width;
      composites.push({ input: data, left: x, top: y, blend: 'multiply' });
      placed.push({ box: { x, y, width: info.width, height: info.height }, kind: 'note', annotates });
    }
  };

  for (const [index, crop] of crops.entries()) {
    const centre = width - margin - index * pitch - pitch / 2;
    if (index > 0) rules.push(centre + pitch / 2);
    const { width: w = 0, height: h = 0 } = await sharp(crop.file).metadata();
    const x = Math.round(centre - w / 2);
    composites.push({ input: crop.file, left: x, top, blend: 'multiply' });
    placed.push({ box: { x, y: top, width: w, height: h }, kind: 'main' });
    const notes = notesUnder.get(index);
    if (notes !== undefined) await placeNotes(Math.round(centre), top + h + 10, notes, placed.length - 1);
  }
  const last = width - margin - crops.length * pitch - pitch / 2;
  rules.push(last + pitch / 2);
  await placeNotes(Math.round(last), top, [3, 9], placed.findLastIndex((column) => column.kind === 'main'));

  const { paper, specks } = paperAndSpecks(width, height, 7, 80);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${frameAndRules(margin - 12, top - 16, width - margin + 12, top + areaHeight + 16, rules)}${specks}</svg>`;
  const flat = await sharp(paper, { raw: { width, height, channels: 1 } })
    .toColourspace('srgb')
    .composite([...composites, { input: Buffer.from(svg), left: 0, top: 0, blend: 'multiply' }])
    .png()
    .toBuffer();
  const rotated = await rotatePage(flat, width, height, 0.5, placed);
  return { ...rotated, characterSize: 30 };
}

/** A run of one column: main characters, or a note set as two half-size sub-columns. */
type Segment = { kind: 'main'; text: string } | { kind: 'note'; text: string };

/** Splits a corpus line at its bracketed notes: `帝[諱元龍]天` → main `帝`, note `諱元龍`, main `天`. */
function segments(line: string): Segment[] {
  const out: Segment[] = [];
  for (const match of line.matchAll(/\[([^\]]*)\]|([^[\]]+)/gu)) {
    if (match[1] !== undefined && match[1] !== '') out.push({ kind: 'note', text: match[1] });
    else if (match[2] !== undefined) out.push({ kind: 'main', text: match[2] });
  }
  return out;
}

/**
 * A page set in Hanazono Mincho from Đại Việt sử ký toàn thư (part 4), one corpus line per
 * column, right to left, 40 px characters, a column 12 characters tall: bracketed notes in
 * the transcription become double-line notes (half-size characters, the first half of the
 * note down the right sub-column, the rest down the left). Frame, rules, uneven paper and specks
 * as on the Kiều page; upright.
 */
export async function composeCorpusPage(): Promise<LayoutTestPage> {
  const source = await readFile(path.join(FIXTURES, 'hannom/corpus/dai-viet-su-ky-toan-thu-4.nom.txt'), 'utf8');
  const lines = source.split('\n').map((line) => line.trim().normalize('NFC'));
  // Columns whose note starts after a few main characters, and plain columns between them.
  const noted = lines.filter((line) => /^[^[\]]{2,5}\[[^\]]{6,14}\][^[\]]{3,}/u.test(line)).slice(0, 4);
  const plain = lines.filter((line) => !line.includes('[') && [...line].length >= 12).slice(3, 7);
  const chosen = noted.flatMap((line, index) => [plain[index]!, line]);

  const size = 40;
  const advance = size + 4;
  const small = size / 2 - 1;
  const smallAdvance = advance / 2;
  const cells = 12;
  const pitch = 60;
  const margin = 50;
  const top = 50;
  const width = margin * 2 + chosen.length * pitch;
  const height = top * 2 + cells * advance;
  const placed: Placed[] = [];
  const glyphs: string[] = [];
  const rules: number[] = [];
  const glyph = (text: string, cx: number, y: number, fontSize: number): void => {
    glyphs.push(`<text x="${cx}" y="${y + fontSize * 0.88}" font-size="${fontSize}" text-anchor="middle">${text}</text>`);
  };

  for (const [index, line] of chosen.entries()) {
    const centre = width - margin - index * pitch - pitch / 2;
    if (index > 0) rules.push(centre + pitch / 2);
    let y = top;
    const bottom = top + cells * advance;
    for (const segment of segments(line)) {
      if (y + smallAdvance > bottom) break;
      const characters = [...segment.text];
      if (segment.kind === 'main') {
        const fitting = characters.slice(0, Math.floor((bottom - y) / advance));
        if (fitting.length === 0) break;
        for (const [i, character] of fitting.entries()) glyph(character, centre, y + i * advance, size);
        placed.push({ box: { x: centre - size / 2, y, width: size, height: fitting.length * advance - 4 }, kind: 'main', text: fitting.join('') });
        y += fitting.length * advance;
      } else {
        const rows = Math.min(Math.ceil(characters.length / 2), Math.floor((bottom - y) / smallAdvance));
        const right = characters.slice(0, rows);
        const left = characters.slice(rows, 2 * rows);
        const annotates = placed.findLastIndex((column) => column.kind === 'main');
        for (const [side, run] of [right, left].entries()) {
          if (run.length === 0) continue;
          const cx = side === 0 ? centre + small / 2 + 1 : centre - small / 2 - 1;
          for (const [i, character] of run.entries()) glyph(character, cx, y + i * smallAdvance, small);
          placed.push({ box: { x: cx - small / 2, y, width: small, height: run.length * smallAdvance - 2 }, kind: 'note', annotates, text: run.join('') });
        }
        y += rows * smallAdvance;
      }
    }
  }
  const { paper, specks } = paperAndSpecks(width, height, 11, 120);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${frameAndRules(margin - 14, top - 16, width - margin + 14, top + cells * advance + 16, rules)}<g font-family="HanaMinA, HanaMinB" fill="#101010">${glyphs.join('')}</g>${specks}</svg>`;
  const flat = await sharp(paper, { raw: { width, height, channels: 1 } })
    .toColourspace('srgb')
    .composite([{ input: Buffer.from(svg), left: 0, top: 0, blend: 'multiply' }])
    .png()
    .toBuffer();
  const upright = await rotatePage(flat, width, height, 0, placed);
  return { ...upright, characterSize: size };
}

function overlapArea(a: Box, b: Box): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return Math.max(0, width) * Math.max(0, height);
}

/** The line an engine read over a drawn column: the one whose box overlaps it most; none when no line touches it. */
export function lineOverColumn<L extends { box: Box }>(lines: readonly L[], column: Box): L | undefined {
  let best: L | undefined;
  let bestArea = 0;
  for (const line of lines) {
    const area = overlapArea(line.box, column);
    if (area > bestArea) [best, bestArea] = [line, area];
  }
  return best;
}
