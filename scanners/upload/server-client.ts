import type { ItemReference } from '../folder/item-sidecar.ts';
import { ServerRefusedError, ServerUnavailableError, serverMessage } from './server-errors.ts';

export interface ServerClientOptions {
  /** The repository's base URL, e.g. `https://thuvien.example.vn`. */
  baseUrl: string;
  /** API token sent as `Authorization: Bearer` (issue of the server's user accounts). */
  token?: string;
  /** Per-request limit; adding a document's pages hashes them on the server, so it is generous. */
  timeoutMs?: number;
}

export interface ServerItem {
  id: string;
  identifier: string;
}

/** What the server answered for the uploads it turned into pages. */
export interface AddedPages {
  pageIds: string[];
  files: { filename: string; sha256: string; pageIds: string[]; duplicate: boolean }[];
}

/**
 * The station's only way to the repository: its HTTP API. Network failures, timeouts and 5xx
 * become `ServerUnavailableError` (try later); other refusals `ServerRefusedError` with the
 * server's message.
 */
export class ServerClient {
  readonly baseUrl: string;
  readonly #token?: string;
  readonly #timeoutMs: number;

  constructor(options: ServerClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 10 * 60 * 1000;
  }

  /** Where resumable uploads are created (tus). */
  get uploadEndpoint(): string {
    return `${this.baseUrl}/api/uploads`;
  }

  /** Headers every request carries (the token). */
  get headers(): Record<string, string> {
    return this.#token === undefined ? {} : { Authorization: `Bearer ${this.#token}` };
  }

  /**
   * The server's item for a folder: by id; or by call number in the collection (the folder's
   * or the station's default), registering it with the folder's metadata when it is new.
   */
  async resolveItem(reference: ItemReference, defaultCollectionId: string | undefined): Promise<ServerItem> {
    if (reference.kind === 'item-id') return this.#request<ServerItem>('GET', `/api/items/${encodeURIComponent(reference.itemId)}`, `document ${reference.itemId}`);
    const collectionId = reference.collectionId ?? defaultCollectionId;
    if (collectionId === undefined) {
      throw new ServerRefusedError(400, `no collection for "${reference.identifier}": put "collectionId" in item.json or start the station with --collection`, 'register');
    }
    const found = await this.#findByIdentifier(collectionId, reference.identifier);
    if (found !== undefined) return found;
    const { metadata } = reference;
    const dublinCore = Object.fromEntries(
      (['title', 'creator', 'date', 'description'] as const)
        .filter((element) => metadata[element] !== undefined)
        .map((element) => [element, [{ value: metadata[element] }]]),
    );
    const body = { collectionId, identifier: reference.identifier, title: metadata.title, dublinCore, language: metadata.language, script: metadata.script };
    try {
      return await this.#request<ServerItem>('POST', '/api/items', `register "${reference.identifier}"`, body);
    } catch (error) {
      // Registered meanwhile (another station, or a retry whose answer was lost).
      if (error instanceof ServerRefusedError && error.status === 409) {
        const again = await this.#findByIdentifier(collectionId, reference.identifier);
        if (again !== undefined) return again;
      }
      throw error;
    }
  }

  /** Turns finished uploads into pages, in this order; safe to repeat (the server answers a repeat from the pages). */
  addUploads(itemId: string, uploads: { id: string; sha256: string }[]): Promise<AddedPages> {
    return this.#request<AddedPages>('POST', `/api/items/${encodeURIComponent(itemId)}/pages`, 'add the pages', { uploads });
  }

  /** Starts processing and packaging the document (the scanning is complete). */
  async processItem(itemId: string): Promise<void> {
    await this.#request('POST', `/api/items/${encodeURIComponent(itemId)}/process`, 'start processing');
  }

  async #findByIdentifier(collectionId: string, identifier: string): Promise<ServerItem | undefined> {
    const query = new URLSearchParams({ collectionId, identifier, limit: '1' });
    const list = await this.#request<{ data: ServerItem[] }>('GET', `/api/items?${query}`, `look up "${identifier}"`);
    return list.data[0];
  }

  async #request<T>(method: string, pathAndQuery: string, what: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${pathAndQuery}`, {
        method,
        headers: { ...this.headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw new ServerUnavailableError(`${what}: the server ${this.baseUrl} does not answer (${(error as Error).message})`, { cause: error });
    }
    const text = await response.text().catch(() => '');
    if (response.status >= 500) throw new ServerUnavailableError(`${what}: the server answered ${response.status}`);
    if (!response.ok) throw new ServerRefusedError(response.status, serverMessage(text), what);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}
