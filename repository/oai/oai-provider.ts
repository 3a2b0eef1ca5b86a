import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { AccessLevel } from '../database/domain.types.ts';
import { digitalCopyLinks } from '../metadata/digital-copy-links.ts';
import { DC_NAMESPACE, OAI_DC_NAMESPACE, OAI_DC_SCHEMA } from '../metadata/oai-dc.serialiser.ts';
import { METADATA_FORMATS, metadataFormat, type MetadataFormat } from './metadata-formats.ts';
import { formatDatestamp } from './oai-datestamp.ts';
import { itemIdOf, oaiIdentifier } from './oai-identifier.ts';
import { OaiProtocolError } from './oai-protocol-error.ts';
import type { OaiRecord, OaiRecordRepository } from './oai-record.repository.ts';
import { parseOaiRequest, type ListQuery, type OaiRequest } from './oai-request.ts';
import { decodeResumptionToken, encodeResumptionToken, type ListPosition } from './resumption-token.ts';
import { collectionSetSpec, librarySetSpec, parseSetSpec } from './set-spec.ts';

export const OAI_NAMESPACE = 'http://www.openarchives.org/OAI/2.0/';
const OAI_SCHEMA = 'http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd';
const OAI_IDENTIFIER_NAMESPACE = 'http://www.openarchives.org/OAI/2.0/oai-identifier';
const OAI_IDENTIFIER_SCHEMA = 'http://www.openarchives.org/OAI/2.0/oai-identifier.xsd';
const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';
/** What the `oai-identifier` scheme accepts as a repository identifier: a domain name. */
const DOMAIN_NAME = /^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$/;

export interface OaiSettings {
  repositoryName: string;
  adminEmail: string;
  repositoryIdentifier: string;
  pageSize: number;
  tokenLifetimeMs: number;
  restrictedMetadata: 'hidden' | 'shown';
}

export interface OaiExchange {
  /** Each argument name with all its values, as the query string or form body gave them. */
  parameters: Readonly<Record<string, readonly string[]>>;
  /** The site's base URL as the harvester reached it (links and `baseURL`). */
  baseUrl: string;
  now: Date;
}

/**
 * Answers one OAI-PMH 2.0 request with a complete response document: the verb's answer, or
 * the `<error>` of a request the protocol refuses. Lists are answered one page at a time, so
 * a response never holds more than `pageSize` records.
 *
 * @see http://www.openarchives.org/OAI/openarchivesprotocol.html
 */
export async function answerOaiRequest(exchange: OaiExchange, records: OaiRecordRepository, settings: OaiSettings): Promise<string> {
  const { root, request } = envelope(exchange);
  try {
    const parsed = parseOaiRequest(exchange.parameters);
    // §3.2: only a request with a valid verb and arguments is echoed with its arguments.
    echoArguments(request, exchange.parameters);
    const answer = create().ele(OAI_NAMESPACE, parsed.verb);
    await VERBS[parsed.verb](answer, parsed as never, { ...exchange, records, settings });
    root.import(answer);
  } catch (error) {
    if (!(error instanceof OaiProtocolError)) throw error;
    root.ele(OAI_NAMESPACE, 'error', { code: error.oaiCode }).txt(error.message);
  }
  return root.end({ prettyPrint: false });
}

interface Context extends OaiExchange {
  records: OaiRecordRepository;
  settings: OaiSettings;
}

type VerbHandler<R extends OaiRequest> = (answer: XMLBuilder, request: R, context: Context) => Promise<void>;

const VERBS: { [V in OaiRequest['verb']]: VerbHandler<Extract<OaiRequest, { verb: V }>> } = {
  Identify: identify,
  ListMetadataFormats: listMetadataFormats,
  ListSets: listSets,
  GetRecord: getRecord,
  ListIdentifiers: list,
  ListRecords: list,
};

function envelope(exchange: OaiExchange): { root: XMLBuilder; request: XMLBuilder } {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(OAI_NAMESPACE, 'OAI-PMH', {
    'xmlns:xsi': XSI_NAMESPACE,
    'xsi:schemaLocation': `${OAI_NAMESPACE} ${OAI_SCHEMA}`,
  });
  root.ele(OAI_NAMESPACE, 'responseDate').txt(formatDatestamp(exchange.now));
  const request = root.ele(OAI_NAMESPACE, 'request').txt(`${exchange.baseUrl}/oai`);
  return { root, request };
}

function echoArguments(request: XMLBuilder, parameters: OaiExchange['parameters']): void {
  for (const [name, values] of Object.entries(parameters)) request.att(name, values[0]!);
}

async function identify(answer: XMLBuilder, _request: OaiRequest, context: Context): Promise<void> {
  const { settings } = context;
  const earliest = (await context.records.earliestDatestamp()) ?? context.now;
  answer.ele(OAI_NAMESPACE, 'repositoryName').txt(settings.repositoryName);
  answer.ele(OAI_NAMESPACE, 'baseURL').txt(`${context.baseUrl}/oai`);
  answer.ele(OAI_NAMESPACE, 'protocolVersion').txt('2.0');
  answer.ele(OAI_NAMESPACE, 'adminEmail').txt(settings.adminEmail);
  answer.ele(OAI_NAMESPACE, 'earliestDatestamp').txt(formatDatestamp(earliest));
  answer.ele(OAI_NAMESPACE, 'deletedRecord').txt('persistent');
  answer.ele(OAI_NAMESPACE, 'granularity').txt('YYYY-MM-DDThh:mm:ssZ');
  // The scheme needs a domain name: an installation known by its IP address or as localhost
  // still has identifiers, only not declared as `oai-identifier` ones.
  if (DOMAIN_NAME.test(settings.repositoryIdentifier)) {
    const scheme = answer.ele(OAI_NAMESPACE, 'description').ele(OAI_IDENTIFIER_NAMESPACE, 'oai-identifier', {
      'xmlns:xsi': XSI_NAMESPACE,
      'xsi:schemaLocation': `${OAI_IDENTIFIER_NAMESPACE} ${OAI_IDENTIFIER_SCHEMA}`,
    });
    scheme.ele(OAI_IDENTIFIER_NAMESPACE, 'scheme').txt('oai');
    scheme.ele(OAI_IDENTIFIER_NAMESPACE, 'repositoryIdentifier').txt(settings.repositoryIdentifier);
    scheme.ele(OAI_IDENTIFIER_NAMESPACE, 'delimiter').txt(':');
    scheme.ele(OAI_IDENTIFIER_NAMESPACE, 'sampleIdentifier').txt(oaiIdentifier(settings.repositoryIdentifier, '0b6c5a3e-2f4d-4c1a-9d8e-7f6a5b4c3d2e'));
  }
}

async function listMetadataFormats(answer: XMLBuilder, request: Extract<OaiRequest, { verb: 'ListMetadataFormats' }>, context: Context): Promise<void> {
  if (request.identifier !== undefined) await findRecord(request.identifier, context);
  for (const format of METADATA_FORMATS) {
    const entry = answer.ele(OAI_NAMESPACE, 'metadataFormat');
    entry.ele(OAI_NAMESPACE, 'metadataPrefix').txt(format.prefix);
    entry.ele(OAI_NAMESPACE, 'schema').txt(format.schema);
    entry.ele(OAI_NAMESPACE, 'metadataNamespace').txt(format.namespace);
  }
}

async function listSets(answer: XMLBuilder, request: Extract<OaiRequest, { verb: 'ListSets' }>, context: Context): Promise<void> {
  if (request.resumptionToken !== undefined) {
    throw new OaiProtocolError('badResumptionToken', 'ListSets gives every set in one response and issues no resumption tokens: ask again without one');
  }
  const { libraries, collections } = await context.records.sets();
  if (libraries.length === 0) throw new OaiProtocolError('noSetHierarchy', 'The repository has no libraries yet, so no sets');
  const set = (spec: string, name: string, description?: string) => {
    const entry = answer.ele(OAI_NAMESPACE, 'set');
    entry.ele(OAI_NAMESPACE, 'setSpec').txt(spec);
    entry.ele(OAI_NAMESPACE, 'setName').txt(name);
    if (description === undefined || description === '') return;
    entry
      .ele(OAI_NAMESPACE, 'setDescription')
      .ele(OAI_DC_NAMESPACE, 'oai_dc:dc', { 'xmlns:dc': DC_NAMESPACE, 'xmlns:xsi': XSI_NAMESPACE, 'xsi:schemaLocation': `${OAI_DC_NAMESPACE} ${OAI_DC_SCHEMA}` })
      .ele(DC_NAMESPACE, 'dc:description', { 'xml:lang': 'vi' })
      .txt(description);
  };
  set('library', 'Thư viện / Libraries', 'Mọi tài liệu, theo thư viện');
  set('collection', 'Bộ sưu tập / Collections', 'Mọi tài liệu, theo bộ sưu tập');
  for (const library of libraries) set(librarySetSpec(library.slug), library.name, library.province);
  for (const collection of collections) {
    set(collectionSetSpec(collection.librarySlug, collection.slug), `${collection.title} — ${collection.libraryName}`, collection.description);
  }
}

async function getRecord(answer: XMLBuilder, request: Extract<OaiRequest, { verb: 'GetRecord' }>, context: Context): Promise<void> {
  const format = requireFormat(request.metadataPrefix);
  const record = await findRecord(request.identifier, context);
  appendRecord(answer, record, format, context);
}

async function list(answer: XMLBuilder, request: Extract<OaiRequest, { verb: 'ListIdentifiers' | 'ListRecords' }>, context: Context): Promise<void> {
  const { settings } = context;
  const key = await context.records.resumptionKey();
  let query: ListQuery;
  let position: ListPosition | undefined;
  if (request.resumptionToken !== undefined) {
    const state = decodeResumptionToken(request.resumptionToken, key, context.now);
    if (state.query.verb !== request.verb) {
      throw new OaiProtocolError('badResumptionToken', `This resumption token continues ${state.query.verb}, not ${request.verb}`);
    }
    ({ query, position } = state);
  } else {
    query = request as ListQuery;
  }
  const format = requireFormat(query.metadataPrefix);
  const set = query.set === undefined ? undefined : parseSetSpec(query.set);
  if (query.set !== undefined && set === undefined) throw new OaiProtocolError('noRecordsMatch', `There is no set '${query.set}': ListSets names them`);
  const filter = { levels: visibleLevels(settings), set, from: query.from?.instant, until: query.until?.instant };
  const rows = await context.records.list(filter, position?.after, settings.pageSize + 1);
  if (position === undefined && rows.length === 0) throw new OaiProtocolError('noRecordsMatch', 'No record matches these arguments');

  const page = rows.slice(0, settings.pageSize);
  for (const record of page) {
    if (query.verb === 'ListRecords') appendRecord(answer, record, format, context);
    else appendHeader(answer, record, context);
  }
  const cursor = position?.sent ?? 0;
  const total = position?.total ?? (rows.length > page.length ? await context.records.count(filter) : page.length);
  const last = page.at(-1);
  if (rows.length > page.length && last !== undefined) {
    const expires = formatDatestamp(new Date(context.now.getTime() + settings.tokenLifetimeMs));
    const next = { after: { datestamp: last.datestamp.toISOString(), itemId: last.itemId }, sent: cursor + page.length, total };
    answer
      .ele(OAI_NAMESPACE, 'resumptionToken', { expirationDate: expires, completeListSize: String(total), cursor: String(cursor) })
      .txt(encodeResumptionToken({ query, position: next, expires }, key));
  } else if (position !== undefined) {
    // §3.5: the last part of a split list ends with an empty token.
    answer.ele(OAI_NAMESPACE, 'resumptionToken', { completeListSize: String(total), cursor: String(cursor) });
  }
}

/** Public records always; restricted ones only when the library shows their descriptions. OAI is anonymous. */
function visibleLevels(settings: OaiSettings): AccessLevel[] {
  return settings.restrictedMetadata === 'shown' ? ['public', 'restricted'] : ['public'];
}

function requireFormat(prefix: string): MetadataFormat {
  const format = metadataFormat(prefix);
  if (format === undefined) {
    throw new OaiProtocolError('cannotDisseminateFormat', `'${prefix}' is not a format of this repository: use ${METADATA_FORMATS.map((f) => f.prefix).join(', ')}`);
  }
  return format;
}

async function findRecord(identifier: string, context: Context): Promise<OaiRecord> {
  const itemId = itemIdOf(context.settings.repositoryIdentifier, identifier);
  const record = itemId === undefined ? undefined : await context.records.get(itemId, visibleLevels(context.settings));
  if (record === undefined) throw new OaiProtocolError('idDoesNotExist', `'${identifier}' is not an identifier of this repository`);
  return record;
}

function appendHeader(parent: XMLBuilder, record: OaiRecord, context: Context): void {
  const header = parent.ele(OAI_NAMESPACE, 'header', record.item === undefined ? { status: 'deleted' } : {});
  header.ele(OAI_NAMESPACE, 'identifier').txt(oaiIdentifier(context.settings.repositoryIdentifier, record.itemId));
  header.ele(OAI_NAMESPACE, 'datestamp').txt(formatDatestamp(record.datestamp));
  if (record.librarySlug === null) return;
  header.ele(OAI_NAMESPACE, 'setSpec').txt(librarySetSpec(record.librarySlug));
  if (record.collectionSlug !== null) header.ele(OAI_NAMESPACE, 'setSpec').txt(collectionSetSpec(record.librarySlug, record.collectionSlug));
}

function appendRecord(parent: XMLBuilder, record: OaiRecord, format: MetadataFormat, context: Context): void {
  const entry = parent.ele(OAI_NAMESPACE, 'record');
  appendHeader(entry, record, context);
  const { item } = record;
  if (item === undefined) return;
  const described = {
    id: record.itemId,
    identifier: item.identifier,
    dublinCore: item.dublinCore,
    marcRecord: item.marcRecord,
    updatedAt: item.updatedAt,
    links: digitalCopyLinks(context.baseUrl, { id: record.itemId, status: item.status }),
  };
  format.append(entry.ele(OAI_NAMESPACE, 'metadata'), described);
}
