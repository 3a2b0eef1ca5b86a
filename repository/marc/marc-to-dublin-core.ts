import type { DcValue, DublinCoreElement } from '../database/domain.types.ts';
import type { MarcInJson, StoredDublinCore } from '../database/schema.ts';
import { controlField, dataFields, subfieldValues, type MarcDataField } from './marc-fields.ts';

export interface MarcDescription {
  /** 245 $a $b $n $p without ISBD punctuation; empty when the record has no 245 $a. */
  title: string;
  /** Only the elements that have values, each value NFC. */
  dublinCore: StoredDublinCore;
  /** BCP 47 tag of the record's first language (041 $a, else 008/35–37), when it has one. */
  language?: string;
}

/**
 * The Dublin Core of a MARC 21 bibliographic record (the README's "MARC 21 import" table).
 * Textual values (title, description, subject, coverage, publisher, format) carry the record's
 * language as `lang`; names, identifiers, dates and codes carry none. Pure: no I/O.
 */
export function marcToDublinCore(record: MarcInJson): MarcDescription {
  const languages = recordLanguages(record);
  const lang = languages[0];
  const dc = new DublinCoreBuilder();
  const textual = (value: string): DcValue => (lang === undefined ? { value } : { value, lang });

  const title = titleOf(record).normalize('NFC');
  if (title !== '') dc.add('title', textual(title));

  const controlNumber = controlField(record, '001')?.trim();
  if (controlNumber) dc.add('identifier', { value: controlNumber });
  for (const field of dataFields(record, '020')) {
    for (const isbn of subfieldValues(field, 'a')) dc.add('identifier', { value: standardNumber('isbn', isbn) });
  }
  for (const field of dataFields(record, '022')) {
    for (const issn of subfieldValues(field, 'a')) dc.add('identifier', { value: standardNumber('issn', issn) });
  }

  for (const code of languages) dc.add('language', { value: code });

  for (const field of dataFields(record, '100', '110')) dc.add('creator', { value: nameOf(field) });
  for (const field of dataFields(record, '700', '710')) dc.add('contributor', { value: nameOf(field) });

  // DC 1.1 has no edition element; the statement names itself ("Tái bản lần thứ 2", "2nd ed.").
  for (const field of dataFields(record, '250')) dc.add('description', textual(joinParts(field, { a: '', b: ' / ' })));

  const publication = dataFields(record, '260', '264').filter((field) => field.tag === '260' || field.ind2 === '1');
  for (const field of publication) dc.add('publisher', textual(publisherOf(field)));
  const year = publication.flatMap((field) => subfieldValues(field, 'c')).map((value) => /\d{4}/.exec(value)?.[0]).find((found) => found !== undefined);
  const fixedYear = controlField(record, '008')?.slice(7, 11);
  if (year !== undefined) dc.add('date', { value: year });
  else if (fixedYear !== undefined && /^\d{4}$/.test(fixedYear)) dc.add('date', { value: fixedYear });

  for (const field of dataFields(record, '300')) dc.add('format', textual(joinParts(field, { a: '', b: ' : ', c: ' ; ', e: ' + ' }, false)));
  for (const field of dataFields(record, '500')) dc.add('description', textual(subfieldValues(field, 'a').join(' ')));

  for (const field of dataFields(record, '650', '651', '653')) {
    const heading = subfieldValues(field, 'avxyz').map((part) => stripIsbd(part)).filter((part) => part !== '').join(' -- ');
    dc.add('subject', textual(heading));
    // A geographic heading says where the work is about: also its spatial coverage.
    if (field.tag === '651') for (const place of subfieldValues(field, 'a')) dc.add('coverage', textual(stripIsbd(place)));
  }

  // 856 ind2 0 is the resource itself (its online copy); anything else is a related resource.
  for (const field of dataFields(record, '856')) {
    for (const url of subfieldValues(field, 'u')) dc.add(field.ind2 === '0' ? 'identifier' : 'relation', { value: url });
  }

  const type = DCMI_TYPES[record.leader.charAt(6)];
  if (type !== undefined) dc.add('type', { value: type });

  return { title, dublinCore: dc.stored, ...(lang === undefined ? {} : { language: lang }) };
}

/** 245 $a, then $b after " : ", then $n and $p after ". ", ISBD punctuation removed. */
function titleOf(record: MarcInJson): string {
  const field = dataFields(record, '245')[0];
  if (field === undefined || subfieldValues(field, 'a').length === 0) return '';
  return joinParts(field, { a: '', b: ' : ', n: '. ', p: '. ' });
}

/** Name headings: $a $b $c $q $d, e.g. "Nguyễn Du, 1765-1820". */
function nameOf(field: MarcDataField): string {
  return subfieldValues(field, 'abcqd').map((part) => stripIsbd(part)).join(', ');
}

/** 260/264 $a (place) and $b (publisher) in the ISBD form "Hà Nội : Văn học". */
function publisherOf(field: MarcDataField): string {
  return joinParts(field, { a: ' ; ', b: ' : ' }, false).replace(/^ ; /u, '');
}

/**
 * The subfields named in `separators`, in field order, each without its trailing ISBD
 * punctuation, joined by the separator of the later one (the first part gets none).
 */
function joinParts(field: MarcDataField, separators: Record<string, string>, stripPeriod = true): string {
  let joined = '';
  for (const [code, value] of field.subfields) {
    const separator = separators[code];
    const part = stripIsbd(value.trim(), stripPeriod);
    if (separator === undefined || part === '') continue;
    joined += joined === '' ? part : `${separator}${part}`;
  }
  return joined;
}

/**
 * Removes the punctuation ISBD puts before the next element (" /", " :", " ;", " =", ","),
 * and a final period unless `stripPeriod` is false, it ends an initial ("Lê, Q.") or an ellipsis.
 */
export function stripIsbd(value: string, stripPeriod = true): string {
  let stripped = value.trim().replace(/\s*[/:;=,]+$/u, '').trimEnd();
  if (stripPeriod && stripped.endsWith('.') && !stripped.endsWith('..') && !/(^|[\s.])\p{Lu}\.$/u.test(stripped)) stripped = stripped.slice(0, -1).trimEnd();
  return stripped;
}

/** `urn:isbn:…` (RFC 3187) or `urn:issn:…` (RFC 3044) when the subfield starts with a well-formed number, else the text with its kind. */
function standardNumber(kind: 'isbn' | 'issn', value: string): string {
  const compact = (/^[\d\s-]+[\dXx]?/u.exec(value)?.[0] ?? '').replace(/[\s-]/gu, '').toUpperCase();
  if (kind === 'isbn' && /^(\d{9}[\dX]|\d{13})$/u.test(compact)) return `urn:isbn:${compact}`;
  if (kind === 'issn' && /^\d{7}[\dX]$/u.test(compact)) return `urn:issn:${compact.slice(0, 4)}-${compact.slice(4)}`;
  return `${kind.toUpperCase()} ${value}`;
}

/** BCP 47 tags of 041 $a (several codes run together, as older records have them, are split), else of 008/35–37. */
function recordLanguages(record: MarcInJson): string[] {
  const codes = dataFields(record, '041')
    .flatMap((field) => subfieldValues(field, 'a'))
    .flatMap((value) => value.toLowerCase().match(/[a-z]{3}/gu) ?? []);
  if (codes.length === 0) {
    const fixed = controlField(record, '008')?.slice(35, 38).toLowerCase();
    if (fixed !== undefined && /^[a-z]{3}$/u.test(fixed)) codes.push(fixed);
  }
  const tags = codes.filter((code) => !NO_LANGUAGE.has(code)).map((code) => ISO_639_2_TO_1[code] ?? code);
  return [...new Set(tags)];
}

/** MARC codes that name no language: multiple, undetermined, no linguistic content, blanks/fill. */
const NO_LANGUAGE = new Set(['mul', 'und', 'zxx', 'mis', '   ', '|||']);

/** ISO 639-2 codes (bibliographic and terminological) of the languages Vietnamese libraries hold, to their BCP 47 two-letter tags. */
const ISO_639_2_TO_1: Record<string, string> = {
  vie: 'vi', eng: 'en', fre: 'fr', fra: 'fr', chi: 'zh', zho: 'zh', rus: 'ru', ger: 'de', deu: 'de', jpn: 'ja', kor: 'ko',
  lao: 'lo', khm: 'km', tha: 'th', spa: 'es', ita: 'it', por: 'pt', dut: 'nl', nld: 'nl', pol: 'pl', cze: 'cs', ces: 'cs',
};

/** Leader/06 (type of record) to the DCMI Type Vocabulary. */
const DCMI_TYPES: Record<string, string> = {
  a: 'Text', t: 'Text', c: 'Text', d: 'Text', e: 'Image', f: 'Image', g: 'MovingImage', k: 'StillImage',
  i: 'Sound', j: 'Sound', m: 'Software', o: 'Collection', p: 'Collection', r: 'PhysicalObject',
};

/** Collects values per element, NFC, without empty values or repeats. */
class DublinCoreBuilder {
  readonly stored: StoredDublinCore = {};

  add(element: DublinCoreElement, { value, lang }: DcValue): void {
    const normalised = value.trim().normalize('NFC');
    if (normalised === '') return;
    const values = (this.stored[element] ??= []);
    if (values.some((existing) => existing.value === normalised && existing.lang === lang)) return;
    values.push(lang === undefined ? { value: normalised } : { value: normalised, lang });
  }
}
