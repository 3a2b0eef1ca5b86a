import test from 'ava';

import { findVerticalColumns, type VerticalColumn } from '../../../../pipeline/ocr/layout/index.ts';
import type { Box } from '../../../../pipeline/ocr/ocr-result.ts';
import { composeCorpusPage, composeKieuPage, type DrawnColumn } from './layout-test-pages.ts';

/**
 * Every edge of `found` within `tolerance` pixels of the drawn box; the bottom may also stop
 * up to `shortBottom` pixels early (a last character such as 一 does not fill its cell).
 */
function near(found: Box, drawn: Box, tolerance: number, shortBottom = 0): boolean {
  const bottom = drawn.y + drawn.height - (found.y + found.height);
  return (
    Math.abs(found.x - drawn.x) <= tolerance &&
    Math.abs(found.y - drawn.y) <= tolerance &&
    Math.abs(found.x + found.width - (drawn.x + drawn.width)) <= tolerance &&
    bottom >= -tolerance &&
    bottom <= tolerance + shortBottom
  );
}

function describe(columns: readonly (VerticalColumn | DrawnColumn)[]): string {
  return columns.map((c) => `${c.kind} ${c.box.x},${c.box.y} ${c.box.width}×${c.box.height}`).join('\n');
}

test('the Kiều page: 16 main columns right to left where they were drawn, notes inside their drawn places', (t) => {
  return composeKieuPage().then((page) => {
    const found = findVerticalColumns(page.raster);
    t.log(`found\n${describe(found)}`);
    const drawnMain = page.columns.filter((column) => column.kind === 'main');
    const foundMain = found.filter((column) => column.kind === 'main');
    // Each drawn main column is found, in order, within a quarter character (crops carry a few px of margin).
    const matched = drawnMain.map((drawn) => foundMain.findIndex((column) => near(column.box, drawn.box, 8)));
    t.true(matched.every((index) => index >= 0), `matched ${JSON.stringify(matched)}`);
    t.deepEqual(matched, [...matched].sort((a, b) => a - b), 'right to left');
    // Notes: every column called a note lies inside a drawn note, and is read after the main column it annotates.
    const drawnNotes = page.columns.filter((column) => column.kind === 'note');
    const foundNotes = found.filter((column) => column.kind === 'note');
    for (const note of foundNotes) {
      t.true(drawnNotes.some((drawn) => near({ ...note.box, height: drawn.box.height, y: drawn.box.y }, drawn.box, 4)), `note at ${JSON.stringify(note.box)}`);
      t.is(found[note.annotates!]?.kind, 'main');
      t.true(note.annotates! < found.indexOf(note));
    }
    const whole = drawnNotes.filter((drawn) => foundNotes.some((note) => near(note.box, drawn.box, 6))).length;
    t.log(`notes drawn ${drawnNotes.length}, found whole ${whole}, pieces called notes ${foundNotes.length}`);
    // Known limit: half-size copies of the crops have characters that touch; such a sub-column
    // looks like main text (see split-column-slot.ts). Two of the four note pairs come out whole.
    t.true(whole >= 3);
  });
});

test('the corpus page: every main text run and note sub-column, in reading order, with its main column', async (t) => {
  const page = await composeCorpusPage();
  const found = findVerticalColumns(page.raster);
  t.log(`drawn\n${describe(page.columns)}\nfound\n${describe(found)}`);
  t.is(found.length, page.columns.length);
  for (const [index, drawn] of page.columns.entries()) {
    const column = found[index];
    t.truthy(column, `column ${index}`);
    if (column === undefined) continue;
    t.is(column.kind, drawn.kind, `column ${index} (${drawn.text})`);
    t.is(column.annotates, drawn.annotates, `column ${index} annotates`);
    t.true(near(column.box, drawn.box, 0.25 * page.characterSize, 0.5 * page.characterSize), `column ${index}: ${JSON.stringify(column.box)} ≈ ${JSON.stringify(drawn.box)}`);
  }
});

test('a blank page has no columns; specks alone are no columns', (t) => {
  const width = 300;
  const height = 400;
  const data = new Uint8Array(width * height).fill(235);
  t.deepEqual(findVerticalColumns({ data, width, height }), []);
  for (let i = 0; i < 40; i += 1) data[((i * 7919) % height) * width + ((i * 104_729) % width)] = 20;
  t.deepEqual(findVerticalColumns({ data, width, height }), []);
  t.throws(() => findVerticalColumns({ data, width: 10, height: 10 }), { instanceOf: RangeError });
});
