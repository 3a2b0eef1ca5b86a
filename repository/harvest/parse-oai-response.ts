import { DOMParser, type Element } from '@xmldom/xmldom';
import { UpstreamError } from '../../storage/index.ts';
import { DUBLIN_CORE_ELEMENTS } from '../database/domain.types.ts';
import type { StoredDublinCore } from '../database/schema.ts';

const OAI = 'http://www.openarchives.org/OAI/2.0/';
const DC = 'http://purl.org/dc/elements/1.1/';
const XML = 'http://www.w3.org/XML/1998/namespace';

/** One record of a ListRecords page: live with its Dublin Core, or deleted. */
export type HarvestedRecord =
  | { identifier: string; datestamp: string; deleted: false; dublinCore: StoredDublinCore }
  | { identifier: string; datestamp: string; deleted: true };

/** What one OAI-PMH response says (OAI-PMH 2.0 §3.2, §3.5, §4.2, §4.5). */
export interface OaiResponse {
  responseDate: string;
  /** The `<error>`s of a refused request. */
  errors: { code: string; message: string }[];
  /** Identify: `seconds` or `day`. */
  granularity?: 'day' | 'seconds';
  records: HarvestedRecord[];
  /** The next page's token; absent or empty on the last page. */
  resumptionToken?: string;
}

/**
 * Parses an OAI-PMH response with namespaces honoured (a `dc:title` is a title only in the DC
 * namespace). Not a well-formed OAI-PMH document → `UpstreamError`, naming the URL.
 *
 * @see http://www.openarchives.org/OAI/openarchivesprotocol.html#XMLResponse
 */
export function parseOaiResponse(xml: string, url: string): OaiResponse {
  const problems: string[] = [];
  const document = new DOMParser({ onError: (level, message) => void (level !== 'warning' && problems.push(message)) }).parseFromString(xml, 'text/xml');
  const root = document.documentElement;
  if (problems.length > 0 || root === null || root.namespaceURI !== OAI || root.localName !== 'OAI-PMH') {
    throw new UpstreamError(`${url} did not answer with an OAI-PMH document (${problems[0] ?? `root element ${root?.tagName ?? 'missing'}`}): check the source's base URL`);
  }
  const responseDate = text(child(root, OAI, 'responseDate'));
  const errors = children(root, OAI, 'error').map((error) => ({ code: error.getAttribute('code') ?? '', message: text(error) }));
  const granularityText = text(descendant(root, OAI, 'granularity'));
  const token = descendant(root, OAI, 'resumptionToken');
  return {
    responseDate,
    errors,
    ...(granularityText === '' ? {} : { granularity: granularityText === 'YYYY-MM-DD' ? 'day' : 'seconds' }),
    records: children(child(root, OAI, 'ListRecords'), OAI, 'record').map(parseRecord),
    ...(token === undefined || text(token) === '' ? {} : { resumptionToken: text(token) }),
  };
}

function parseRecord(record: Element): HarvestedRecord {
  const header = child(record, OAI, 'header');
  const identifier = text(child(header, OAI, 'identifier'));
  const datestamp = text(child(header, OAI, 'datestamp'));
  if (header?.getAttribute('status') === 'deleted') return { identifier, datestamp, deleted: true };
  const dublinCore: StoredDublinCore = {};
  const metadata = child(record, OAI, 'metadata');
  for (const element of DUBLIN_CORE_ELEMENTS) {
    const values = metadata === undefined ? [] : descendants(metadata, DC, element);
    const kept = values
      .map((value) => ({ value: text(value).normalize('NFC'), lang: value.getAttributeNS(XML, 'lang') || undefined }))
      .filter((value) => value.value !== '')
      .map(({ value, lang }) => (lang === undefined ? { value } : { value, lang }));
    if (kept.length > 0) dublinCore[element] = kept;
  }
  return { identifier, datestamp, deleted: false, dublinCore };
}

function children(parent: Element | undefined, namespace: string, name: string): Element[] {
  if (parent === undefined) return [];
  const found: Element[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    const element = node as Element;
    if (node.nodeType === 1 && element.namespaceURI === namespace && element.localName === name) found.push(element);
  }
  return found;
}

const child = (parent: Element | undefined, namespace: string, name: string): Element | undefined => children(parent, namespace, name)[0];

function descendants(parent: Element, namespace: string, name: string): Element[] {
  return Array.from(parent.getElementsByTagNameNS(namespace, name));
}

const descendant = (parent: Element, namespace: string, name: string): Element | undefined => descendants(parent, namespace, name)[0];

const text = (element: Element | undefined): string => (element?.textContent ?? '').trim();
