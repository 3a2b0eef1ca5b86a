import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { UpstreamError } from '../../storage/index.ts';
import { DUBLIN_CORE_ELEMENTS } from '../database/domain.types.ts';
import type { StoredDublinCore } from '../database/schema.ts';
import { marcToDublinCore } from '../marc/marc-to-dublin-core.ts';
import { marcxmlRecord } from '../marc/marcxml-record.ts';
import type { MetadataSyntax, OfferedFormat } from './choose-metadata-format.ts';

const OAI = 'http://www.openarchives.org/OAI/2.0/';
const DC = 'http://purl.org/dc/elements/1.1/';
const XML = 'http://www.w3.org/XML/1998/namespace';

/**
 * One record of a ListRecords page: live with its Dublin Core (mapped from MARC when harvested
 * as MARC) and its metadata element as sent; deleted; or malformed (skipped, with the reason).
 */
export type HarvestedRecord =
  | { kind: 'live'; identifier: string; datestamp: string; dublinCore: StoredDublinCore; metadataXml: string }
  | { kind: 'deleted'; identifier: string; datestamp: string }
  | { kind: 'malformed'; identifier: string; datestamp: string; reason: string };

/** What one OAI-PMH response says (OAI-PMH 2.0 §3.2, §3.5, §4.2, §4.5). */
export interface OaiResponse {
  responseDate: string;
  /** The `<error>`s of a refused request. */
  errors: { code: string; message: string }[];
  /** Identify: `seconds` or `day`. */
  granularity?: 'day' | 'seconds';
  /** ListMetadataFormats: the formats offered. */
  metadataFormats: OfferedFormat[];
  records: HarvestedRecord[];
  /** The next page's token; absent or empty on the last page. */
  resumptionToken?: string;
}

/**
 * Parses an OAI-PMH response with namespaces honoured (a `dc:title` is a title only in the DC
 * namespace); ListRecords metadata is read as `syntax` says. Not a well-formed OAI-PMH document →
 * `UpstreamError`, naming the URL; a record whose metadata is not what `syntax` says is
 * `malformed`, the rest of the page stands.
 *
 * @see http://www.openarchives.org/OAI/openarchivesprotocol.html#XMLResponse
 */
export function parseOaiResponse(xml: string, url: string, syntax: MetadataSyntax): OaiResponse {
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
    metadataFormats: children(child(root, OAI, 'ListMetadataFormats'), OAI, 'metadataFormat').map((format) => ({
      prefix: text(child(format, OAI, 'metadataPrefix')),
      namespace: text(child(format, OAI, 'metadataNamespace')),
    })),
    records: children(child(root, OAI, 'ListRecords'), OAI, 'record').map((record) => parseRecord(record, syntax)),
    ...(token === undefined || text(token) === '' ? {} : { resumptionToken: text(token) }),
  };
}

function parseRecord(record: Element, syntax: MetadataSyntax): HarvestedRecord {
  const header = child(record, OAI, 'header');
  const identifier = text(child(header, OAI, 'identifier'));
  const datestamp = text(child(header, OAI, 'datestamp'));
  if (header?.getAttribute('status') === 'deleted') return { kind: 'deleted', identifier, datestamp };
  const metadata = child(record, OAI, 'metadata');
  const content = firstElement(metadata);
  // As sent (not NFC): the source's own record, kept for what a later mapping may read in it.
  const metadataXml = content === undefined ? '' : new XMLSerializer().serializeToString(content);
  if (syntax === 'oai_dc') return { kind: 'live', identifier, datestamp, dublinCore: oaiDublinCore(metadata), metadataXml };
  const marc = marcxmlRecord(content);
  if (!marc.ok) return { kind: 'malformed', identifier, datestamp, reason: marc.reason };
  return { kind: 'live', identifier, datestamp, dublinCore: marcToDublinCore(marc.record).dublinCore, metadataXml };
}

function oaiDublinCore(metadata: Element | undefined): StoredDublinCore {
  const dublinCore: StoredDublinCore = {};
  for (const element of DUBLIN_CORE_ELEMENTS) {
    const values = metadata === undefined ? [] : descendants(metadata, DC, element);
    const kept = values
      .map((value) => ({ value: text(value).normalize('NFC'), lang: value.getAttributeNS(XML, 'lang') || undefined }))
      .filter((value) => value.value !== '')
      .map(({ value, lang }) => (lang === undefined ? { value } : { value, lang }));
    if (kept.length > 0) dublinCore[element] = kept;
  }
  return dublinCore;
}

function firstElement(parent: Element | undefined): Element | undefined {
  for (let node = parent?.firstChild ?? null; node !== null; node = node.nextSibling) if (node.nodeType === 1) return node as Element;
  return undefined;
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
