import { UpstreamError } from '../../storage/index.ts';
import type { MetadataSyntax } from './choose-metadata-format.ts';
import { parseOaiResponse, type OaiResponse } from './parse-oai-response.ts';

/** A response larger than this is refused: one page of records, never a whole repository. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface OaiClientOptions {
  /** Longest wait for one response, headers and body. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** How ListRecords metadata is read; `oai_dc` unless said. */
  syntax?: MetadataSyntax;
}

/**
 * One OAI-PMH request (HTTP GET `baseUrl?verb=…`) answered with its parsed document. An
 * unreachable source, an HTTP error, a timeout or a body that is not OAI-PMH → `UpstreamError`
 * saying which URL and what to check. OAI `<error>`s are returned, for the caller to judge.
 */
export async function oaiRequest(baseUrl: string, parameters: Record<string, string>, options: OaiClientOptions): Promise<OaiResponse> {
  const url = `${baseUrl}?${new URLSearchParams(parameters).toString()}`;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  let body: string;
  try {
    const response = await fetch(url, { signal, headers: { accept: 'text/xml, application/xml' }, redirect: 'follow' });
    if (!response.ok) {
      await response.body?.cancel();
      throw new UpstreamError(`${url} answered HTTP ${response.status} ${response.statusText}: check the source's base URL and that its server is up`);
    }
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > MAX_RESPONSE_BYTES) {
      await response.body?.cancel();
      throw new UpstreamError(`${url} answered ${length} bytes, more than ${MAX_RESPONSE_BYTES}: ask its operator for smaller pages`);
    }
    body = await response.text();
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    if (timeout.aborted) throw new UpstreamError(`${url} did not answer within ${options.timeoutMs / 1000} s: the source is down or overloaded; the next harvest tries again`, { cause: error });
    const reason = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new UpstreamError(`Could not reach ${url} (${reason?.code ?? reason?.message ?? (error as Error).message}): check the base URL and that the source's server is up`, { cause: error });
  }
  return parseOaiResponse(body, url, options.syntax ?? 'oai_dc');
}
