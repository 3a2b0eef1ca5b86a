import { z } from 'zod';
import type { AppError } from '../../storage/index.ts';
import { checkDublinCore, type DcProblem, type DcRuleCode } from '../database/dublin-core-rules.ts';
import { DUBLIN_CORE_ELEMENTS, type DublinCore, type DublinCoreElement } from '../database/domain.types.ts';
import type { MessageKey } from './i18n/vi.ts';

/**
 * The operator's Dublin Core form: every element as repeatable rows of a value and its
 * language tag, named `<element>.<row>.value` and `<element>.<row>.lang` so that it works
 * without a script (the server always adds empty rows). The item repository is the one judge
 * (dublin-core-rules.ts); this module only turns rows into a record and its verdict back
 * into messages by the rows.
 */

export interface DcRow {
  value: string;
  lang: string;
}
export type DcRows = Record<DublinCoreElement, DcRow[]>;

/** `<element>.<row>` (a value's row) or `<element>` (the element as a whole) → its message. */
export type DcMessages = Partial<Record<string, MessageKey>>;

export interface DcFormState {
  rows: DcRows;
  errors: DcMessages;
  warnings: DcMessages;
  /** Problems that name no row, as the repository wrote them. */
  general: string[];
}

/** Empty rows offered under each element's values, to add more without a script. */
export const EMPTY_ROWS = 2;
/** More rows than the repository keeps per element (200) plus the empty ones: the rest is ignored. */
const MAX_ROWS = 210;

/** Elements whose values are codes or formatted values: their new rows start without a language (see dublin-core-rules.ts). */
const UNTAGGED_BY_DEFAULT: ReadonlySet<DublinCoreElement> = new Set(['date', 'format', 'identifier', 'language', 'relation', 'type']);

/** The language a new row of `element` starts with: `vi` for text, none for codes. */
export function defaultLanguage(element: DublinCoreElement): string {
  return UNTAGGED_BY_DEFAULT.has(element) ? '' : 'vi';
}

/** A stored record as rows. */
export function dublinCoreRows(record: DublinCore): DcRows {
  return mapElements((element) => record[element].map(({ value, lang }) => ({ value, lang: lang ?? '' })));
}

/** The rows of a urlencoded body, in row order; rows without a value are dropped (that is how a value is removed). */
export function readDublinCoreForm(body: unknown): DcRows {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : '');
  return mapElements((element) => {
    const rows: DcRow[] = [];
    for (let row = 0; row < MAX_ROWS; row++) {
      const value = text(`${element}.${row}.value`);
      if (value.trim() !== '') rows.push({ value, lang: text(`${element}.${row}.lang`).trim() });
    }
    return rows;
  });
}

/** The rows as the repository's `dublinCore` input; an empty language is none. */
export function dublinCoreInput(rows: DcRows): DublinCore {
  return mapElements((element) => rows[element].map(({ value, lang }) => (lang === '' ? { value } : { value, lang })));
}

/** The warnings of the record the rows make (shown, never refusing). */
export function rowWarnings(rows: DcRows): DcMessages {
  return messagesOf(checkDublinCore(dublinCoreInput(rows)).filter((problem) => problem.severity === 'warning'));
}

/** The issue list `parseInput` and the item repository put in `InvalidInputError.details`. */
const issueList = z.array(z.object({ path: z.array(z.string()), message: z.string(), code: z.string().optional() }));

/**
 * A refused save's issues turned into messages by the rows they name
 * (`dublinCore.<element>.<row>.value|lang`); the rest are general.
 */
export function refusedRows(error: AppError): { errors: DcMessages; general: string[] } {
  const errors: DcMessages = {};
  const general: string[] = [];
  // An update whose record lost every title names the field rather than listing issues.
  if (error.details.field === 'dublinCore.title') errors.title = RULE_MESSAGES['title.required'];
  const parsed = issueList.safeParse(error.details.issues);
  for (const issue of parsed.success ? parsed.data : []) {
    const [root, element, row, part] = issue.path;
    if (root !== 'dublinCore' || !isElement(element)) {
      general.push(issue.message);
      continue;
    }
    const key = row === undefined ? element : `${element}.${row}`;
    errors[key] ??= isRuleCode(issue.code) ? RULE_MESSAGES[issue.code] : part === 'lang' ? 'dcForm.error.lang' : 'dcForm.error.value';
  }
  if (Object.keys(errors).length === 0 && general.length === 0) general.push(error.message);
  return { errors, general };
}

const RULE_MESSAGES: Record<DcRuleCode, MessageKey> = {
  'title.required': 'dcForm.rule.titleRequired',
  'date.w3cdtf': 'dcForm.rule.dateW3cdtf',
  'language.code': 'dcForm.rule.languageCode',
  'language.freeText': 'dcForm.rule.languageFreeText',
  'identifier.uri': 'dcForm.rule.identifierUri',
  'identifier.isbn': 'dcForm.rule.identifierIsbn',
  'identifier.isbnAsUrn': 'dcForm.rule.identifierIsbnAsUrn',
  'format.mediaType': 'dcForm.rule.formatMediaType',
  'format.unrecognised': 'dcForm.rule.formatUnrecognised',
  'rights.uri': 'dcForm.rule.rightsUri',
  'creator.inverted': 'dcForm.rule.creatorInverted',
};

function isRuleCode(code: string | undefined): code is DcRuleCode {
  return code !== undefined && Object.hasOwn(RULE_MESSAGES, code);
}

function isElement(name: string | undefined): name is DublinCoreElement {
  return (DUBLIN_CORE_ELEMENTS as readonly (string | undefined)[]).includes(name);
}

function messagesOf(problems: readonly DcProblem[]): DcMessages {
  const messages: DcMessages = {};
  for (const { element, index, code } of problems) messages[index === undefined ? element : `${element}.${index}`] ??= RULE_MESSAGES[code];
  return messages;
}

function mapElements<T>(each: (element: DublinCoreElement) => T): Record<DublinCoreElement, T> {
  return Object.fromEntries(DUBLIN_CORE_ELEMENTS.map((element) => [element, each(element)])) as Record<DublinCoreElement, T>;
}
