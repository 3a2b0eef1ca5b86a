/**
 * A tiny TrueType font program whose only job is to carry an invisible text layer.
 *
 * It has two glyphs: GID 0 (`.notdef`, a plain box) and GID 1 (no outline at all).
 * Every glyph advances by {@link GLYPHLESS_ADVANCE} units of a 1000-unit em. The PDF
 * side maps every CID to GID 1 through a CIDToGIDMap stream, so one font program serves
 * any number of distinct characters, BMP or not; the characters themselves live in the
 * ToUnicode CMap. This is the idea behind Tesseract's "GlyphLessFont" (see the design
 * notes in tesseract `src/api/pdfrenderer.cpp`), built here from the table layouts
 * rather than shipped as a binary.
 *
 * Tables written: OS/2, cmap, glyf, head, hhea, hmtx, loca, maxp, name, post, i.e. the
 * ones PDF 32000-1:2008 §9.9 (Table 126) asks of a CIDFontType2 program plus the four
 * most font parsers expect anyway. No hinting tables (cvt, fpgm, prep): nothing is drawn.
 *
 * @see https://learn.microsoft.com/en-us/typography/opentype/spec/otff (table directory, checksums)
 * @see https://learn.microsoft.com/en-us/typography/opentype/spec/glyf
 */

/** Font design units per em. */
export const GLYPHLESS_UNITS_PER_EM = 1000;
/** Advance width of every glyph, in font units (half an em, like Tesseract's font). */
export const GLYPHLESS_ADVANCE = 500;
/** Ascent and descent in font units; ascent − descent is one em, so font size = box height. */
export const GLYPHLESS_ASCENT = 800;
export const GLYPHLESS_DESCENT = -200;
/** PostScript name of the font (also /BaseFont and /FontName in the PDF). */
export const GLYPHLESS_FONT_NAME = 'GlyphLessFont';
/** The glyph every CID is mapped to. */
export const GLYPHLESS_GID = 1;

class ByteWriter {
  private readonly bytes: number[] = [];

  u8(value: number): this {
    this.bytes.push(value & 0xff);
    return this;
  }

  u16(value: number): this {
    return this.u8(value >>> 8).u8(value);
  }

  i16(value: number): this {
    return this.u16(value < 0 ? value + 0x10000 : value);
  }

  u32(value: number): this {
    return this.u16(Math.floor(value / 0x10000) & 0xffff).u16(value & 0xffff);
  }

  i64(value: number): this {
    return this.u32(0).u32(value);
  }

  tag(value: string): this {
    for (let index = 0; index < 4; index += 1) this.u8(value.charCodeAt(index));
    return this;
  }

  raw(values: Iterable<number>): this {
    for (const value of values) this.u8(value);
    return this;
  }

  get length(): number {
    return this.bytes.length;
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

function checksum(table: Uint8Array): number {
  let sum = 0;
  for (let offset = 0; offset < table.length; offset += 4) {
    const word =
      ((table[offset] ?? 0) << 24) |
      ((table[offset + 1] ?? 0) << 16) |
      ((table[offset + 2] ?? 0) << 8) |
      (table[offset + 3] ?? 0);
    sum = (sum + (word >>> 0)) >>> 0;
  }
  return sum;
}

/** The `.notdef` box, in font units: the full em, like the FontBBox the PDF declares. */
const BOX = { xMin: 0, yMin: GLYPHLESS_DESCENT, xMax: GLYPHLESS_ADVANCE, yMax: GLYPHLESS_ASCENT };

function glyfTable(): Uint8Array {
  // One simple glyph with one closed contour of four on-curve points (clockwise).
  const xs = [BOX.xMin, BOX.xMin, BOX.xMax, BOX.xMax];
  const ys = [BOX.yMin, BOX.yMax, BOX.yMax, BOX.yMin];
  const glyph = new ByteWriter()
    .i16(1) // numberOfContours
    .i16(BOX.xMin)
    .i16(BOX.yMin)
    .i16(BOX.xMax)
    .i16(BOX.yMax)
    .u16(3) // endPtsOfContours[0]
    .u16(0) // instructionLength
    .raw([0x01, 0x01, 0x01, 0x01]); // flags: on curve, long (int16) coordinates, no repeats
  let previous = 0;
  for (const x of xs) {
    glyph.i16(x - previous); // coordinates are deltas
    previous = x;
  }
  previous = 0;
  for (const y of ys) {
    glyph.i16(y - previous);
    previous = y;
  }
  while (glyph.length % 4 !== 0) glyph.u8(0);
  return glyph.toBytes();
}

function headTable(): Uint8Array {
  return new ByteWriter()
    .u32(0x00010000) // version
    .u32(0x00010000) // fontRevision
    .u32(0) // checkSumAdjustment, patched once the whole font is assembled
    .u32(0x5f0f3cf5) // magicNumber
    .u16(0x000b) // flags: baseline at y=0, lsb at x=0, integer ppem
    .u16(GLYPHLESS_UNITS_PER_EM)
    .i64(0) // created: fixed, so the font (and the PDF) is byte-for-byte reproducible
    .i64(0) // modified
    .i16(BOX.xMin)
    .i16(BOX.yMin)
    .i16(BOX.xMax)
    .i16(BOX.yMax)
    .u16(0) // macStyle
    .u16(8) // lowestRecPPEM
    .i16(2) // fontDirectionHint (deprecated, 2)
    .i16(0) // indexToLocFormat: short offsets
    .i16(0) // glyphDataFormat
    .toBytes();
}

function hheaTable(): Uint8Array {
  return new ByteWriter()
    .u32(0x00010000)
    .i16(GLYPHLESS_ASCENT)
    .i16(GLYPHLESS_DESCENT)
    .i16(0) // lineGap
    .u16(GLYPHLESS_ADVANCE) // advanceWidthMax
    .i16(0) // minLeftSideBearing
    .i16(0) // minRightSideBearing
    .i16(BOX.xMax) // xMaxExtent
    .i16(1) // caretSlopeRise
    .i16(0) // caretSlopeRun
    .i16(0) // caretOffset
    .i16(0)
    .i16(0)
    .i16(0)
    .i16(0)
    .i16(0) // metricDataFormat
    .u16(1) // numberOfHMetrics: the one metric applies to every later glyph too
    .toBytes();
}

function hmtxTable(): Uint8Array {
  return new ByteWriter().u16(GLYPHLESS_ADVANCE).i16(0).i16(0).toBytes();
}

function locaTable(glyfLength: number): Uint8Array {
  // Short format stores offset / 2. GID 1 starts and ends at the same offset: no outline.
  return new ByteWriter().u16(0).u16(glyfLength / 2).u16(glyfLength / 2).toBytes();
}

function maxpTable(): Uint8Array {
  return new ByteWriter()
    .u32(0x00010000)
    .u16(2) // numGlyphs
    .u16(4) // maxPoints
    .u16(1) // maxContours
    .u16(0) // maxCompositePoints
    .u16(0) // maxCompositeContours
    .u16(2) // maxZones
    .u16(0) // maxTwilightPoints
    .u16(0) // maxStorage
    .u16(0) // maxFunctionDefs
    .u16(0) // maxInstructionDefs
    .u16(0) // maxStackElements
    .u16(0) // maxSizeOfInstructions
    .u16(0) // maxComponentElements
    .u16(0) // maxComponentDepth
    .toBytes();
}

function cmapTable(): Uint8Array {
  // Windows Unicode BMP subtable, format 4, holding only the mandatory final 0xFFFF
  // segment: the PDF never looks characters up here (CIDToGIDMap does that).
  return new ByteWriter()
    .u16(0) // version
    .u16(1) // numTables
    .u16(3) // platformID: Windows
    .u16(1) // encodingID: Unicode BMP
    .u32(12) // subtable offset
    .u16(4) // format
    .u16(24) // length
    .u16(0) // language
    .u16(2) // segCountX2
    .u16(2) // searchRange
    .u16(0) // entrySelector
    .u16(0) // rangeShift
    .u16(0xffff) // endCode[0]
    .u16(0) // reservedPad
    .u16(0xffff) // startCode[0]
    .i16(1) // idDelta[0]
    .u16(0) // idRangeOffset[0]
    .toBytes();
}

function nameTable(): Uint8Array {
  const names: [number, string][] = [
    [1, GLYPHLESS_FONT_NAME], // family
    [2, 'Regular'], // subfamily
    [4, GLYPHLESS_FONT_NAME], // full name
    [6, GLYPHLESS_FONT_NAME], // PostScript name
  ];
  const header = new ByteWriter().u16(0).u16(names.length).u16(6 + names.length * 12);
  const strings = new ByteWriter();
  for (const [nameId, value] of names) {
    header
      .u16(3) // platformID: Windows
      .u16(1) // encodingID: Unicode BMP
      .u16(0x0409) // languageID: en-US
      .u16(nameId)
      .u16(value.length * 2)
      .u16(strings.length);
    for (const char of value) strings.u16(char.charCodeAt(0)); // ASCII names: UTF-16BE
  }
  return Uint8Array.from([...header.toBytes(), ...strings.toBytes()]);
}

function os2Table(): Uint8Array {
  return new ByteWriter()
    .u16(4) // version
    .i16(GLYPHLESS_ADVANCE) // xAvgCharWidth
    .u16(400) // usWeightClass
    .u16(5) // usWidthClass
    .u16(0) // fsType: installable embedding, no restriction
    .i16(650) // ySubscriptXSize
    .i16(600) // ySubscriptYSize
    .i16(0) // ySubscriptXOffset
    .i16(75) // ySubscriptYOffset
    .i16(650) // ySuperscriptXSize
    .i16(600) // ySuperscriptYSize
    .i16(0) // ySuperscriptXOffset
    .i16(350) // ySuperscriptYOffset
    .i16(50) // yStrikeoutSize
    .i16(250) // yStrikeoutPosition
    .i16(0) // sFamilyClass
    .raw([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) // panose
    .u32(0)
    .u32(0)
    .u32(0)
    .u32(0) // ulUnicodeRange1–4
    .tag('NONE') // achVendID
    .u16(0x0040) // fsSelection: REGULAR
    .u16(0x0020) // usFirstCharIndex
    .u16(0xffff) // usLastCharIndex
    .i16(GLYPHLESS_ASCENT) // sTypoAscender
    .i16(GLYPHLESS_DESCENT) // sTypoDescender
    .i16(0) // sTypoLineGap
    .u16(GLYPHLESS_ASCENT) // usWinAscent
    .u16(-GLYPHLESS_DESCENT) // usWinDescent
    .u32(1) // ulCodePageRange1: Latin 1, nominally
    .u32(0) // ulCodePageRange2
    .i16(500) // sxHeight
    .i16(700) // sCapHeight
    .u16(0) // usDefaultChar
    .u16(0x0020) // usBreakChar
    .u16(1) // usMaxContext
    .toBytes();
}

function postTable(): Uint8Array {
  return new ByteWriter()
    .u32(0x00030000) // version 3.0: no glyph names
    .u32(0) // italicAngle
    .i16(-100) // underlinePosition
    .i16(50) // underlineThickness
    .u32(1) // isFixedPitch
    .u32(0)
    .u32(0)
    .u32(0)
    .u32(0) // min/max memory hints
    .toBytes();
}

/**
 * Builds the font program (the bytes of a /FontFile2 stream). Deterministic: every call
 * returns the same bytes.
 */
export function buildGlyphlessFont(): Uint8Array {
  const glyf = glyfTable();
  const tables: [string, Uint8Array][] = [
    ['OS/2', os2Table()],
    ['cmap', cmapTable()],
    ['glyf', glyf],
    ['head', headTable()],
    ['hhea', hheaTable()],
    ['hmtx', hmtxTable()],
    ['loca', locaTable(glyf.length)],
    ['maxp', maxpTable()],
    ['name', nameTable()],
    ['post', postTable()],
  ];
  // Table records must be sorted by tag (byte order); the list above already is.
  const numTables = tables.length;
  const entrySelector = Math.floor(Math.log2(numTables));
  const searchRange = 2 ** entrySelector * 16;
  const directory = new ByteWriter()
    .u32(0x00010000) // sfntVersion: TrueType outlines
    .u16(numTables)
    .u16(searchRange)
    .u16(entrySelector)
    .u16(numTables * 16 - searchRange);

  let offset = 12 + numTables * 16;
  const body: number[] = [];
  let headOffset = 0;
  for (const [tag, data] of tables) {
    if (tag === 'head') headOffset = offset;
    directory.tag(tag).u32(checksum(data)).u32(offset).u32(data.length);
    body.push(...data);
    while (body.length % 4 !== 0) body.push(0); // every table starts on a 4-byte boundary
    offset = 12 + numTables * 16 + body.length;
  }

  const font = Uint8Array.from([...directory.toBytes(), ...body]);
  const adjustment = (0xb1b0afba - checksum(font)) >>> 0;
  new DataView(font.buffer).setUint32(headOffset + 8, adjustment);
  return font;
}
