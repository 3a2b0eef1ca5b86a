import { parseUtcBound, type UtcBound } from './oai-datestamp.ts';
import { OaiProtocolError } from './oai-protocol-error.ts';

export const OAI_VERBS = ['Identify', 'ListMetadataFormats', 'ListSets', 'ListIdentifiers', 'ListRecords', 'GetRecord'] as const;
export type OaiVerb = (typeof OAI_VERBS)[number];
export type ListVerb = 'ListIdentifiers' | 'ListRecords';

/** What a list request asks for, whether given as arguments or carried by a resumption token. */
export interface ListQuery {
  verb: ListVerb;
  metadataPrefix: string;
  set?: string;
  from?: UtcBound;
  until?: UtcBound;
}

/** A request that passed the protocol's argument rules (§3.1, §4), one shape per verb. */
export type OaiRequest =
  | { verb: 'Identify' }
  | { verb: 'ListMetadataFormats'; identifier?: string }
  | { verb: 'ListSets'; resumptionToken?: string }
  | { verb: 'GetRecord'; identifier: string; metadataPrefix: string }
  | { verb: ListVerb; resumptionToken: string }
  | ({ verb: ListVerb; resumptionToken?: undefined } & ListQuery);

/** Each verb's arguments: required, optional, or exclusive (a resumption token, alone). */
const ARGUMENTS: Record<OaiVerb, { required: string[]; optional: string[]; exclusive?: string }> = {
  Identify: { required: [], optional: [] },
  ListMetadataFormats: { required: [], optional: ['identifier'] },
  ListSets: { required: [], optional: [], exclusive: 'resumptionToken' },
  GetRecord: { required: ['identifier', 'metadataPrefix'], optional: [] },
  ListIdentifiers: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
  ListRecords: { required: ['metadataPrefix'], optional: ['from', 'until', 'set'], exclusive: 'resumptionToken' },
};

/**
 * Checks a request's arguments (query string or form body, each name with all its values)
 * against the verb's rules: `badVerb` for a missing, repeated or unknown verb; `badArgument`
 * for a repeated, missing, unknown or empty argument, a token beside other arguments, a bad
 * date, dates of two granularities, or `from` after `until`.
 *
 * @see http://www.openarchives.org/OAI/openarchivesprotocol.html#ProtocolMessages
 */
export function parseOaiRequest(parameters: Readonly<Record<string, readonly string[]>>): OaiRequest {
  const verbs = parameters.verb ?? [];
  if (verbs.length === 0) throw new OaiProtocolError('badVerb', 'The request has no verb: add verb=Identify, ListRecords, …');
  if (verbs.length > 1) throw new OaiProtocolError('badVerb', 'The verb argument is repeated: give it once');
  const verb = verbs[0] as OaiVerb;
  if (!OAI_VERBS.includes(verb)) throw new OaiProtocolError('badVerb', `'${verbs[0]}' is not an OAI-PMH verb: use one of ${OAI_VERBS.join(', ')}`);

  const rules = ARGUMENTS[verb];
  const args: Record<string, string> = {};
  for (const [name, values] of Object.entries(parameters)) {
    if (name === 'verb') continue;
    if (!rules.required.includes(name) && !rules.optional.includes(name) && rules.exclusive !== name) {
      throw new OaiProtocolError('badArgument', `${verb} does not take the argument '${name}'`);
    }
    if (values.length !== 1) throw new OaiProtocolError('badArgument', `The argument '${name}' is repeated: give it once`);
    if (values[0] === '') throw new OaiProtocolError('badArgument', `The argument '${name}' is empty`);
    args[name] = values[0]!;
  }
  if (rules.exclusive !== undefined && args[rules.exclusive] !== undefined) {
    if (Object.keys(args).length > 1) {
      throw new OaiProtocolError('badArgument', `A ${rules.exclusive} is the only argument allowed beside the verb: leave out the others`);
    }
    return { verb, resumptionToken: args[rules.exclusive]! } as OaiRequest;
  }
  const missing = rules.required.filter((name) => args[name] === undefined);
  if (missing.length > 0) throw new OaiProtocolError('badArgument', `${verb} needs the argument${missing.length > 1 ? 's' : ''} ${missing.join(' and ')}`);

  switch (verb) {
    case 'Identify':
    case 'ListSets':
      return { verb };
    case 'ListMetadataFormats':
      return { verb, identifier: args.identifier };
    case 'GetRecord':
      return { verb, identifier: args.identifier!, metadataPrefix: args.metadataPrefix! };
    case 'ListIdentifiers':
    case 'ListRecords':
      return { verb, metadataPrefix: args.metadataPrefix!, set: args.set, ...dateRange(args.from, args.until) };
  }
}

function dateRange(fromText: string | undefined, untilText: string | undefined): { from?: UtcBound; until?: UtcBound } {
  const from = fromText === undefined ? undefined : parseUtcBound('from', fromText);
  const until = untilText === undefined ? undefined : parseUtcBound('until', untilText);
  if (from !== undefined && until !== undefined) {
    if (from.granularity !== until.granularity) {
      throw new OaiProtocolError('badArgument', `'from' and 'until' must have the same granularity (got '${fromText}' and '${untilText}')`);
    }
    if (from.instant > until.instant) throw new OaiProtocolError('badArgument', `'from' (${fromText}) is after 'until' (${untilText})`);
  }
  return { from, until };
}
