import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { OaiProtocolError } from './oai-protocol-error.ts';
import type { ListQuery } from './oai-request.ts';

/**
 * Where a list stopped: the (datestamp, item id) of the last record sent — a keyset cursor,
 * so records added or changed meanwhile neither shift the list nor are skipped — and how
 * many records were sent so far (the `cursor` attribute of the next response).
 */
export interface ListPosition {
  after: { datestamp: string; itemId: string };
  sent: number;
  /** The `completeListSize` counted for the first response. */
  total: number;
}

/** What a resumption token carries: the whole query, where it stopped, and until when it holds. */
export interface ResumptionState {
  query: ListQuery;
  position: ListPosition;
  /** `YYYY-MM-DDThh:mm:ssZ`. */
  expires: string;
}

const bound = z.strictObject({ instant: z.string(), granularity: z.enum(['day', 'seconds']) });
const stateSchema = z.strictObject({
  query: z.strictObject({
    verb: z.enum(['ListIdentifiers', 'ListRecords']),
    metadataPrefix: z.string(),
    set: z.string().optional(),
    from: bound.optional(),
    until: bound.optional(),
  }),
  position: z.strictObject({
    after: z.strictObject({ datestamp: z.string(), itemId: z.string() }),
    sent: z.number().int().min(0),
    total: z.number().int().min(0),
  }),
  expires: z.string(),
});

/**
 * Resumption tokens that hold their whole state, so they survive a restart and need no table:
 * `base64url(JSON state).base64url(HMAC-SHA256(key, that text))`. A token that was altered or
 * signed with another key is refused before its content is read.
 */
export function encodeResumptionToken(state: ResumptionState, key: string): string {
  const body = Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
  return `${body}.${sign(body, key)}`;
}

/** Throws `badResumptionToken` for a token that is malformed, not ours or altered, or expired at `now`. */
export function decodeResumptionToken(token: string, key: string, now: Date): ResumptionState {
  const [body, signature, ...rest] = token.split('.');
  if (body === undefined || signature === undefined || rest.length > 0 || body === '') {
    throw new OaiProtocolError('badResumptionToken', 'The resumption token is malformed: use the token of the last response as it was given');
  }
  const expected = Buffer.from(sign(body, key));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new OaiProtocolError('badResumptionToken', 'The resumption token was altered or not issued by this repository: start the list again without it');
  }
  let state: ResumptionState;
  try {
    state = stateSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    throw new OaiProtocolError('badResumptionToken', 'The resumption token is malformed: start the list again without it');
  }
  if (new Date(state.expires).getTime() < now.getTime()) {
    throw new OaiProtocolError('badResumptionToken', `The resumption token expired at ${state.expires}: start the list again without it`);
  }
  return state;
}

function sign(body: string, key: string): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}
