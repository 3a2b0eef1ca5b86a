import { DUBLIN_CORE_ELEMENTS, type DcValue, type DublinCore, type DublinCoreElement } from './domain.types.ts';

/**
 * The field rules of a Dublin Core record (ISO 15836 as adopted by TCVN 7980, and the DCMI
 * recommendations it follows; see the README's "Dublin Core and TCVN 12200:2018" for why
 * that standard and not the one the issue named). A pure judge over values already trimmed and in NFC: the item
 * repository refuses a record with errors, and the operator's form shows errors and
 * warnings by the values they concern.
 *
 * One convention of ours runs through it: a value that carries a language tag is human
 * text, a value without one is a code or a formatted value (a W3CDTF date, a language code,
 * a media type, a URI). So a free-text date is "marked as such" by its language.
 */

export type DcRuleCode =
  | 'title.required'
  | 'date.w3cdtf'
  | 'language.code'
  | 'language.freeText'
  | 'identifier.uri'
  | 'identifier.isbn'
  | 'identifier.isbnAsUrn'
  | 'format.mediaType'
  | 'format.unrecognised'
  | 'rights.uri'
  | 'creator.inverted';

export interface DcProblem {
  element: DublinCoreElement;
  /** The value's position in its element's list; `undefined` for the element as a whole. */
  index: number | undefined;
  code: DcRuleCode;
  /** An error refuses the record; a warning is a recommendation shown to the operator. */
  severity: 'error' | 'warning';
  /** For API clients and logs; the form shows its own translated message for `code`. */
  message: string;
}

/** W3CDTF (https://www.w3.org/TR/NOTE-datetime): YYYY, YYYY-MM, YYYY-MM-DD, or a full date and time with its zone. */
const W3CDTF = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?)?)?$/;

/** Whether `text` is a W3CDTF date that exists on the calendar ("2023-02-29" does not). */
export function isW3cdtf(text: string): boolean {
  const match = W3CDTF.exec(text);
  if (match === null) return false;
  const [, year, month, day] = match;
  if (month === undefined) return true;
  const m = Number(month);
  if (m < 1 || m > 12) return false;
  if (day === undefined) return true;
  const d = Number(day);
  return d >= 1 && d <= new Date(Date.UTC(Number(year), m, 0)).getUTCDate();
}

/** An ISO 639-2/639-3 code (`vie`, `lzh`) or a BCP 47 tag (`vi`, `zh-Hant`, `vi-Hani`). */
export function isLanguageCode(text: string): boolean {
  return /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(text);
}

/** `scheme:rest` with an RFC 3986 scheme: what a URI (a URL or a URN) starts with. */
const URI_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:\S/;
const looksLikeUri = (text: string) => URI_SCHEME.test(text) && !/\s/.test(text);
/** A URI that the WHATWG parser accepts, with a host for http(s). */
function isUri(text: string): boolean {
  if (!looksLikeUri(text)) return false;
  try {
    const url = new URL(text);
    return !/^https?:$/.test(url.protocol) || url.hostname !== '';
  } catch {
    return false;
  }
}

/** ISBN-10 or ISBN-13 (hyphens and spaces allowed) with a correct check digit. */
export function isIsbn(text: string): boolean {
  const digits = text.replace(/[-\s]/g, '').toUpperCase();
  if (/^\d{9}[\dX]$/.test(digits)) {
    const sum = [...digits].reduce((total, c, i) => total + (c === 'X' ? 10 : Number(c)) * (10 - i), 0);
    return sum % 11 === 0;
  }
  if (/^97[89]\d{10}$/.test(digits)) {
    const sum = [...digits].reduce((total, c, i) => total + Number(c) * (i % 2 === 0 ? 1 : 3), 0);
    return sum % 10 === 0;
  }
  return false;
}

/** The top-level media types of the IANA registry (RFC 6838). */
const MEDIA_TYPE = /^(application|audio|font|image|message|model|multipart|text|video)\/[a-zA-Z0-9][a-zA-Z0-9!#$&^_.+-]*$/;

/** Languages whose personal names are written surname first already (Vietnamese, Chinese, Japanese, Korean). */
const SURNAME_FIRST = /^(vi|zh|lzh|ja|ko)(-|$)/i;

type ValueRule = (value: DcValue) => Omit<DcProblem, 'element' | 'index'> | undefined;

const error = (code: DcRuleCode, message: string) => ({ code, severity: 'error' as const, message });
const warning = (code: DcRuleCode, message: string) => ({ code, severity: 'warning' as const, message });

const VALUE_RULES: Partial<Record<DublinCoreElement, ValueRule>> = {
  date: ({ value, lang }) =>
    lang !== undefined || isW3cdtf(value)
      ? undefined
      : error('date.w3cdtf', `'${value}' is not a W3CDTF date (YYYY, YYYY-MM or YYYY-MM-DD): correct it, or give a free-text date a language tag`),
  language: ({ value, lang }) => {
    if (lang !== undefined) return warning('language.freeText', `'${value}' is free text: an ISO 639 code such as 'vie' or a BCP 47 tag such as 'vi' is recommended`);
    return isLanguageCode(value) ? undefined : error('language.code', `'${value}' is not a language code: use ISO 639-2/3 ('vie', 'lzh') or BCP 47 ('vi', 'vi-Hani')`);
  },
  identifier: ({ value }) => {
    const isbn = /^urn:isbn:(.+)$/i.exec(value);
    if (isbn !== null) return isIsbn(isbn[1]!) ? undefined : error('identifier.isbn', `'${value}' has no valid ISBN: check its digits and check digit`);
    if (looksLikeUri(value)) return isUri(value) ? undefined : error('identifier.uri', `'${value}' is not a valid URI`);
    const bareIsbn = /^ISBN:?\s*([\dXx][\dXx\s-]{8,16})$/i.exec(value);
    if (bareIsbn !== null) return warning('identifier.isbnAsUrn', `write the ISBN as a URN: 'urn:isbn:${bareIsbn[1]!.replace(/[-\s]/g, '')}'`);
    return undefined;
  },
  format: ({ value, lang }) => {
    if (value.includes('/') && !/\s/.test(value)) return MEDIA_TYPE.test(value) ? undefined : error('format.mediaType', `'${value}' is not a media type such as 'image/tiff' or 'application/pdf'`);
    // An extent ("245 tr. ; 24 cm") counts something; other untagged text is neither.
    return lang !== undefined || /\d/.test(value) ? undefined : warning('format.unrecognised', `'${value}' is neither a media type nor an extent: give a media type such as 'image/tiff' or an extent such as '245 tr. ; 24 cm'`);
  },
  rights: ({ value }) => (looksLikeUri(value) && !isUri(value) ? error('rights.uri', `'${value}' looks like a URI but is not a valid one`) : undefined),
  creator: ({ value, lang }) =>
    value.includes(',') || (lang !== undefined && SURNAME_FIRST.test(lang)) || !/\s/.test(value)
      ? undefined
      : warning('creator.inverted', `'${value}': 'Surname, Given names' is recommended (names in Vietnamese or Chinese keep their natural order)`),
};

/** Every problem of `record`, errors and warnings, in element order then value order. */
export function checkDublinCore(record: Partial<DublinCore>): DcProblem[] {
  const problems: DcProblem[] = [];
  if ((record.title ?? []).length === 0) {
    problems.push({ element: 'title', index: undefined, ...error('title.required', 'a Dublin Core record needs at least one title') });
  }
  for (const element of DUBLIN_CORE_ELEMENTS) {
    const rule = VALUE_RULES[element];
    if (rule === undefined) continue;
    (record[element] ?? []).forEach((value, index) => {
      const problem = rule(value);
      if (problem !== undefined) problems.push({ element, index, ...problem });
    });
  }
  return problems;
}
