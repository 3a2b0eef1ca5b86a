import { isUtf8 } from 'node:buffer';
import marcjs from 'marcjs';
import { InvalidInputError } from '../../storage/index.ts';
import type { MarcInJson } from '../database/schema.ts';
import { checkMarcRecord } from './check-marc-record.ts';

export type MarcFormat = 'iso2709' | 'marcxml';

/** Why a record could not be read; the code is for pages in other languages, the reason says it in English. */
export type MarcReadProblem =
  | { code: 'structure-invalid' }
  | { code: 'truncated' }
  | { code: 'not-utf8' }
  | { code: 'record-too-long'; limit: number };

/** One record of the file, by its 1-based `position`: read, in MARC-8 (not convertible), or broken. */
export type MarcReadOutcome =
  | { kind: 'record'; position: number; record: MarcInJson }
  | { kind: 'marc-8'; position: number; controlNumber?: string }
  | { kind: 'broken'; position: number; controlNumber?: string; reason: string; problem: MarcReadProblem };

/** ISO 2709 caps a record at 99 999 bytes (5-digit length); a MARCXML record this long is not a catalogue record. */
const MAX_ISO_BYTES = 99_999;
const MAX_XML_CHARS = 1_000_000;
const RECORD_TERMINATOR = 0x1d;
const FIELD_TERMINATOR = 0x1e;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Reads MARC 21 records one at a time from a stream of bytes, so a file of any size needs
 * the memory of one record. The format is told by the content, not the file name: MARCXML
 * starts with `<` (after a BOM and blanks), ISO 2709 with the 5 digits of its leader. A broken
 * record is yielded as `broken` and reading goes on with the next; a file that ends inside a
 * record yields it as `truncated`. Records come back as MARC-in-JSON with every string NFC.
 *
 * `marcjs` decodes each record; this module frames the records (marcjs' own streams lose a
 * record spread over three chunks, split UTF-8 characters at chunk boundaries and drop the
 * record after `</record><record>`) and checks the leader and directory, which marcjs trusts.
 * Throws `InvalidInputError` for an empty file or one that is neither format.
 */
export async function* readMarcRecords(chunks: AsyncIterable<Buffer>): AsyncGenerator<MarcReadOutcome> {
  const iterator = chunks[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let format: MarcFormat | undefined;
  while (format === undefined) {
    const next = await iterator.next();
    if (next.done === true) {
      if (head.toString('utf8').replace(/^\uFEFF/u, '').trim() === '') throw new InvalidInputError('The MARC file is empty: export the records again and send the file');
      break;
    }
    head = Buffer.concat([head, next.value]);
    format = detectMarcFormat(head);
  }
  if (format === undefined) format = detectMarcFormat(head, true);
  const rest: AsyncIterable<Buffer> = { [Symbol.asyncIterator]: () => iterator };
  const start = head.subarray(0, 3).equals(UTF8_BOM) ? head.subarray(3) : head;
  const all = (async function* () {
    yield start;
    yield* rest;
  })();
  yield* format === 'marcxml' ? readMarcxml(all) : readIso2709(all);
}

/** The format of a file from its first bytes; undefined while only blanks arrived (unless `final`). */
function detectMarcFormat(head: Buffer, final = false): MarcFormat | undefined {
  const text = head.toString('latin1').replace(/^\xEF\xBB\xBF/u, '').trimStart();
  if (text === '') return undefined;
  if (text.startsWith('<')) return 'marcxml';
  if (/^\d/u.test(text)) return 'iso2709';
  if (text.length < 5 && !final) return undefined;
  throw new InvalidInputError('The file is neither MARCXML (starting with "<") nor ISO 2709 (.mrc, starting with the record length): export the records as MARC 21 and send the file');
}

async function* readIso2709(chunks: AsyncIterable<Buffer>): AsyncGenerator<MarcReadOutcome> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let discarding = false;
  let position = 0;
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf(RECORD_TERMINATOR); end !== -1; end = chunk.indexOf(RECORD_TERMINATOR, start)) {
      const bytes = Buffer.concat([...pending, chunk.subarray(start, end + 1)]);
      pending = [];
      pendingBytes = 0;
      start = end + 1;
      if (discarding) discarding = false;
      else yield decodeIso2709(trimLineBreaks(bytes), ++position);
    }
    if (discarding || start === chunk.length) continue;
    pending.push(chunk.subarray(start));
    pendingBytes += chunk.length - start;
    if (pendingBytes > MAX_ISO_BYTES) {
      // Over the format's limit: drop it up to its terminator, whatever it holds.
      yield broken(++position, controlNumberOfIso(Buffer.concat(pending)), { code: 'record-too-long', limit: MAX_ISO_BYTES }, `no record terminator within ${MAX_ISO_BYTES} bytes: the record is too long or the file is not ISO 2709`);
      pending = [];
      pendingBytes = 0;
      discarding = true;
    }
  }
  const tail = trimLineBreaks(Buffer.concat(pending));
  if (!discarding && tail.some((byte) => byte !== 0x1a && byte !== 0x20)) {
    yield broken(++position, controlNumberOfIso(tail), { code: 'truncated' }, 'the file ends inside this record (no record terminator): the file was cut; export it again');
  }
}

function decodeIso2709(bytes: Buffer, position: number): MarcReadOutcome {
  const structure = iso2709StructureProblem(bytes);
  if (structure !== undefined) return broken(position, controlNumberOfIso(bytes), { code: 'structure-invalid' }, structure);
  // Leader/09 "a" is UCS/Unicode; blank is MARC-8, which is ASCII only below 0x80.
  if (bytes[9] !== 0x61 && bytes.some((byte) => byte >= 0x80)) return { kind: 'marc-8', position, ...optionalControlNumber(controlNumberOfIso(bytes)) };
  if (!isUtf8(bytes)) return broken(position, controlNumberOfIso(bytes), { code: 'not-utf8' }, 'the record says it is UTF-8 (leader/09 "a") but holds bytes that are not UTF-8');
  return checkedRecord(marcjs.Marc.parse(bytes, 'iso2709').mij(), position);
}

/** What is wrong with the leader or the directory of an ISO 2709 record, if anything. */
function iso2709StructureProblem(bytes: Buffer): string | undefined {
  if (bytes.length < 26) return `the record is ${bytes.length} bytes long, shorter than a leader and a directory`;
  const leader = bytes.toString('latin1', 0, 24);
  const length = leader.slice(0, 5);
  if (!/^\d{5}$/u.test(length)) return `the leader's record length "${length}" is not 5 digits`;
  if (Number(length) !== bytes.length) return `the leader gives a record length of ${Number(length)} bytes but the record has ${bytes.length}`;
  const baseText = leader.slice(12, 17);
  const base = Number(baseText);
  if (!/^\d{5}$/u.test(baseText) || base < 25 || base > bytes.length - 1 || (base - 25) % 12 !== 0 || bytes[base - 1] !== FIELD_TERMINATOR) {
    return `the leader's base address of data "${baseText}" does not point after the directory`;
  }
  for (let offset = 24; offset < base - 1; offset += 12) {
    const entry = bytes.toString('latin1', offset, offset + 12);
    if (!/^[0-9A-Za-z]{3}\d{9}$/u.test(entry)) return `directory entry ${(offset - 24) / 12 + 1} "${entry}" is not a tag, a length and a position`;
    const end = base + Number(entry.slice(7)) + Number(entry.slice(3, 7));
    if (end > bytes.length - 1 || bytes[end - 1] !== FIELD_TERMINATOR) return `field ${entry.slice(0, 3)} does not end where the directory says`;
  }
  return undefined;
}

async function* readMarcxml(chunks: AsyncIterable<Buffer>): AsyncGenerator<MarcReadOutcome> {
  // Not fatal: a bad byte must break only its record (U+FFFD), not the file.
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let position = 0;
  const start = /<(?:([A-Za-z_][\w.-]*):)?record[\s>]/u;
  for await (const chunk of withEnd(chunks)) {
    text += chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    for (;;) {
      const found = start.exec(text);
      if (found === null) {
        text = text.slice(-100);
        break;
      }
      const prefix = found[1] === undefined ? '' : `${found[1]}:`;
      const endTag = `</${prefix}record>`;
      const end = text.indexOf(endTag, found.index);
      if (end === -1) {
        text = text.slice(found.index);
        if (text.length > MAX_XML_CHARS) {
          yield broken(++position, controlNumberOfXml(text), { code: 'record-too-long', limit: MAX_XML_CHARS }, `no </${prefix}record> within ${MAX_XML_CHARS} characters: the record is too long or not closed`);
          text = text.slice(1);
          continue;
        }
        if (chunk === undefined) yield broken(++position, controlNumberOfXml(text), { code: 'truncated' }, `the file ends inside this record (no ${endTag}): the file was cut; export it again`);
        break;
      }
      const raw = text.slice(found.index, end + endTag.length);
      text = text.slice(end + endTag.length);
      yield decodeMarcxml(raw, prefix, ++position);
    }
  }
}

function decodeMarcxml(raw: string, prefix: string, position: number): MarcReadOutcome {
  if (raw.includes('\uFFFD')) return broken(position, controlNumberOfXml(raw), { code: 'not-utf8' }, 'the record holds bytes that are not UTF-8: save the file as UTF-8');
  // marcjs reads unprefixed MARC 21 slim elements only.
  const unprefixed = prefix === '' ? raw : raw.replaceAll(`<${prefix}`, '<').replaceAll(`</${prefix}`, '</');
  return checkedRecord(marcjs.Marc.parse(unprefixed, 'marcxml').mij(), position, controlNumberOfXml(raw));
}

/** The record in NFC when marcjs read a sane leader, tags, indicators and subfield codes; else why not. */
function checkedRecord(parsed: MarcInJson, position: number, rawControlNumber?: string): MarcReadOutcome {
  const controlNumber = parsed.fields.map((field) => field['001']).find((value) => typeof value === 'string') ?? rawControlNumber;
  const checked = checkMarcRecord(parsed);
  return checked.ok ? { kind: 'record', position, record: checked.record } : broken(position, controlNumber, { code: 'structure-invalid' }, checked.reason);
}

function broken(position: number, controlNumber: string | undefined, problem: MarcReadProblem, reason: string): MarcReadOutcome {
  return { kind: 'broken', position, ...optionalControlNumber(controlNumber), reason, problem };
}

function optionalControlNumber(controlNumber: string | undefined): { controlNumber?: string } {
  const tidy = controlNumber?.trim();
  return tidy !== undefined && /^[\x20-\x7e]{1,50}$/u.test(tidy) ? { controlNumber: tidy } : {};
}

/** The 001 of an ISO 2709 record when its first directory entry is a readable 001, for reports on broken records. */
function controlNumberOfIso(bytes: Buffer): string | undefined {
  const entry = /^001(\d{4})(\d{5})$/u.exec(bytes.toString('latin1', 24, 36));
  const base = Number(bytes.toString('latin1', 12, 17));
  if (entry === null || !Number.isInteger(base)) return undefined;
  const start = base + Number(entry[2]);
  const end = start + Number(entry[1]) - 1;
  return end <= bytes.length ? bytes.toString('latin1', start, end) : undefined;
}

function controlNumberOfXml(raw: string): string | undefined {
  return /<(?:[\w.-]+:)?controlfield\s+tag="001"\s*>([^<]*)</u.exec(raw)?.[1];
}

function trimLineBreaks(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length && (bytes[start] === 0x0a || bytes[start] === 0x0d)) start += 1;
  return bytes.subarray(start);
}

/** The chunks, then `undefined` once at the end (to flush the decoder and spot a cut record). */
async function* withEnd(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer | undefined> {
  yield* chunks;
  yield undefined;
}
