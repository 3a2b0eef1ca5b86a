import { AsyncLocalStorage } from 'node:async_hooks';
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';

import { Client, CopyDestinationOptions, CopySourceOptions, type ClientOptions } from 'minio';

import { assertRangeNumbers, rangeOutsideObject } from './byte-range.ts';
import { checkContentType, contentTypeFor, DEFAULT_CONTENT_TYPE } from './content-type.ts';
import { AppError, ConfigurationError, InvalidInputError, UpstreamError } from './errors.ts';
import { listAllPages } from './list-all.ts';
import { checkListOptions } from './list-options.ts';
import { BodySourceError } from './object-body.ts';
import { assertValidKey, describeKey, isValidKey } from './object-key.ts';
import type {
  ListOptions,
  ListPage,
  ObjectBody,
  ObjectInfo,
  ObjectStore,
  ObjectSummary,
  PutOptions,
} from './object-store.port.ts';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry.ts';
import { isTransientS3Failure, translateS3Error, type S3Failure } from './s3-errors.ts';
import { isSha256Hex, normaliseSha256 } from './sha256.ts';
import { prepareBody, type BodyPart, type PreparedBody } from './spooled-body.ts';
import type { StoreLogger } from './store-logger.ts';
import { withTranslatedErrors } from './translated-stream.ts';

export interface MinioObjectStoreOptions {
  /**
   * The S3 endpoint: a URL (`http://127.0.0.1:9000`, `https://s3.example.org`), whose scheme
   * decides TLS and whose port is used; or a bare host name, with `port` and `useSSL`.
   */
  endPoint: string;
  /** Port for a bare host name (default 443 with TLS, 80 without); must agree with a URL's port. */
  port?: number;
  /** TLS on or off; must agree with a URL's scheme. Default for a bare host name: true. */
  useSSL?: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  /** Default `us-east-1` (what MinIO uses unless configured otherwise). */
  region?: string;
  /**
   * Objects larger than this are uploaded in parts of this size (multipart upload); smaller
   * ones in one request. 5 MiB to 5 GiB; default 16 MiB. At most 10 000 parts per object.
   */
  partSize?: number;
  /** Folder for spooling stream bodies before upload (created if missing). Default: the OS temp folder. */
  tempDir?: string;
  /** Retries of transient failures; default 4 attempts, 200 ms doubling to at most 3 s. */
  retry?: Partial<RetryPolicy>;
  /** Longest wait for a response's headers (connect, send, server think time). Default 30 s. */
  requestTimeoutMs?: number;
  logger?: StoreLogger;
}

const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;
const DEFAULT_PART_SIZE = 16 * 1024 * 1024;
const MAX_PARTS = 10_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** For `call` on writes: a 404 there (NoSuchUpload) is a failed write, not a missing object. */
const WRITE = { missingIsNotFound: false } as const;

type Transport = NonNullable<ClientOptions['transport']>;

/** Per attempt: the HTTP status of the last response, so 5xx can be told from 4xx even when the client hides it. */
interface AttemptState {
  status?: number;
}
const attemptState = new AsyncLocalStorage<AttemptState>();

/** A failed attempt, carried through `withRetry` with its status. */
class AttemptFailure extends Error implements S3Failure {
  constructor(
    readonly error: unknown,
    readonly status: number | undefined,
  ) {
    super('S3 request failed');
  }
}

interface Settings {
  host: string;
  port: number;
  useSSL: boolean;
  /** `http(s)://host:port`, for messages. */
  endpoint: string;
  bucket: string;
  region: string;
  partSize: number;
  tempDir: string;
  retry: RetryPolicy;
  requestTimeoutMs: number;
}

/**
 * {@link ObjectStore} on any S3 service (MinIO in production) through the `minio` client.
 *
 * - sha256 and content type are object metadata (`x-amz-meta-sha256`, `Content-Type`).
 * - A stream body is spooled to a temporary file while it is hashed, then uploaded with a
 *   known size: one streamed PUT up to `partSize`, else a multipart upload whose parts are
 *   streamed from the file. We drive multipart ourselves (initiate, parts, complete; abort on
 *   failure), so no ListMultipartUploads request is made (s3rver lacks it, and minio-js's own
 *   `putObject` calls it, and buffers whole parts in memory).
 * - Every request carries Content-MD5; over plain HTTP the signed payload sha256 too.
 * - Transient failures (network, 5xx, SlowDown) are retried with backoff; 4xx never are.
 *   minio-js's own retry is off (it cannot re-send a stream and it logs to the console).
 */
export class MinioObjectStore implements ObjectStore {
  readonly adapter = 's3' as const;

  private constructor(
    private readonly client: Client,
    private readonly agent: http.Agent,
    private readonly settings: Settings,
    private readonly logger: StoreLogger | undefined,
  ) {}

  /**
   * Connects and makes sure the bucket exists, creating it if missing. Throws
   * `ConfigurationError` for unusable settings or a bucket that cannot be used or created,
   * and `UpstreamError` when the endpoint does not answer (after retries).
   */
  static async open(options: MinioObjectStoreOptions): Promise<MinioObjectStore> {
    const settings = parseSettings(options);
    const agent = settings.useSSL ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    let client: Client;
    try {
      client = new Client({
        endPoint: settings.host,
        port: settings.port,
        useSSL: settings.useSSL,
        accessKey: options.accessKey,
        secretKey: options.secretKey,
        region: settings.region,
        pathStyle: true,
        transport: timedTransport(settings.useSSL ? https : http, settings.requestTimeoutMs),
        transportAgent: agent,
        retryOptions: { disableRetry: true },
      });
    } catch (error) {
      agent.destroy();
      throw new ConfigurationError(
        `invalid S3 settings for ${settings.endpoint}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    const store = new MinioObjectStore(client, agent, settings, options.logger);
    try {
      await store.ensureBucket();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  describe(): string {
    return `s3 ${this.settings.endpoint} bucket ${this.settings.bucket}`;
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<ObjectInfo> {
    assertValidKey(key);
    const contentType = checkContentType(options.contentType) ?? contentTypeFor(key);
    const expected = normaliseSha256(options.expectedSha256, 'expectedSha256');
    let prepared: PreparedBody;
    try {
      prepared = await prepareBody(body, key, {
        partSize: this.settings.partSize,
        tempDir: this.settings.tempDir,
        partSha256: this.client.enableSHA256,
      });
    } catch (error) {
      if (error instanceof BodySourceError) throw error.sourceError;
      throw error;
    }
    try {
      if (expected !== undefined && prepared.sha256 !== expected) {
        throw new InvalidInputError(
          `body for ${describeKey(key)} has sha256 ${prepared.sha256}, not the expected ${expected}; nothing was stored`,
        );
      }
      if (prepared.parts.length > MAX_PARTS) {
        throw new InvalidInputError(
          `object ${describeKey(key)} (${prepared.size} bytes) needs more than ${MAX_PARTS} parts of ${this.settings.partSize} bytes: raise partSize`,
        );
      }
      const headers = { 'Content-Type': contentType, 'x-amz-meta-sha256': prepared.sha256 };
      const onlyPart = prepared.parts[0];
      const lastModified =
        prepared.parts.length === 1 && onlyPart !== undefined
          ? await this.putSingle(key, prepared, onlyPart, headers)
          : await this.putMultipart(key, prepared, headers);
      return { key, size: prepared.size, sha256: prepared.sha256, contentType, lastModified };
    } finally {
      await prepared.dispose();
    }
  }

  async get(key: string): Promise<Readable> {
    assertValidKey(key);
    const response = await this.call('read', key, () => this.client.getObject(this.settings.bucket, key));
    return this.readStream(key, response);
  }

  async getRange(key: string, start: number, endInclusive: number): Promise<Readable> {
    assertValidKey(key);
    assertRangeNumbers(key, start, endInclusive);
    let response: Readable;
    try {
      response = await this.call('read', key, () =>
        this.client.getPartialObject(this.settings.bucket, key, start, endInclusive - start + 1),
      );
    } catch (error) {
      if (error instanceof AppError && error.details.s3Code === 'InvalidRange') {
        throw rangeOutsideObject(key, start, endInclusive, undefined, error);
      }
      throw error;
    }
    const served = servedRange(response);
    if (served === undefined || served.start !== start) {
      response.destroy();
      throw new UpstreamError(
        `object store at ${this.settings.endpoint} did not honour the byte range ${start}-${endInclusive} of ${describeKey(key)}`,
        { retryable: false },
      );
    }
    // S3 shortens a range that runs past the end (bytes 0-9/10 when 0-99 was asked for);
    // s3rver even claims bytes 0-0/0 for an empty object. Either way it is outside the object.
    if (served.end < endInclusive || served.end >= served.total) {
      response.destroy();
      throw rangeOutsideObject(key, start, endInclusive, served.total);
    }
    // s3rver answers bytes=0-0 with the whole object; take only what was asked for.
    if (served.end > endInclusive) {
      return this.readStream(key, takeBytes(response, endInclusive - start + 1));
    }
    return this.readStream(key, response);
  }

  async stat(key: string): Promise<ObjectInfo> {
    assertValidKey(key);
    const stat = await this.call('stat', key, () => this.client.statObject(this.settings.bucket, key));
    const metadata = stat.metaData as Record<string, unknown>;
    const contentType = metadata['content-type'];
    const info: ObjectInfo = {
      key,
      size: stat.size,
      contentType: typeof contentType === 'string' && contentType !== '' ? contentType : DEFAULT_CONTENT_TYPE,
      lastModified: stat.lastModified,
    };
    const sha256 = metadata.sha256;
    if (isSha256Hex(sha256)) info.sha256 = sha256;
    return info;
  }

  async exists(key: string): Promise<boolean> {
    assertValidKey(key);
    try {
      await this.stat(key);
      return true;
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') return false;
      throw error;
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    const { startAfter, limit } = checkListOptions(prefix, options);
    // ListObjects V1 with a marker: s3rver's V2 continuation tokens fail on Node >= 17
    // (they use DES), and we page by key anyway.
    const result = await this.call('list', undefined, () =>
      this.client.listObjectsQuery(this.settings.bucket, prefix, startAfter, { Delimiter: '', MaxKeys: limit }),
    );
    const objects: ObjectSummary[] = [];
    let lastName: string | undefined;
    for (const entry of result.objects) {
      if (entry.name === undefined) continue;
      lastName = entry.name;
      // Objects another tool stored under names our keys cannot have are left out.
      if (!isValidKey(entry.name)) continue;
      objects.push({ key: entry.name, size: entry.size ?? 0, lastModified: entry.lastModified ?? new Date(0) });
    }
    const page: ListPage = { objects };
    if (result.isTruncated === true && lastName !== undefined) page.nextStartAfter = lastName;
    return page;
  }

  listAll(prefix: string): AsyncIterable<ObjectSummary> {
    return listAllPages((p, o) => this.list(p, o), prefix);
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.call('delete', key, () => this.client.removeObject(this.settings.bucket, key));
  }

  async copy(from: string, to: string): Promise<void> {
    assertValidKey(from);
    assertValidKey(to);
    if (from === to) {
      await this.stat(from);
      return;
    }
    const { bucket } = this.settings;
    // Metadata directive COPY (the default): content type and x-amz-meta-sha256 travel along.
    // One CopyObject request handles objects up to 5 GiB.
    await this.call('copy', from, () =>
      this.client.copyObject(
        new CopySourceOptions({ Bucket: bucket, Object: from }),
        new CopyDestinationOptions({ Bucket: bucket, Object: to }),
      ),
    );
  }

  async move(from: string, to: string): Promise<void> {
    assertValidKey(from);
    assertValidKey(to);
    if (from === to) {
      await this.stat(from);
      return;
    }
    await this.copy(from, to);
    await this.delete(from);
  }

  async ping(): Promise<void> {
    const exists = await this.call('reach', undefined, () => this.client.bucketExists(this.settings.bucket));
    if (!exists) {
      throw new UpstreamError(`bucket ${this.settings.bucket} does not exist at ${this.settings.endpoint}`, {
        retryable: false,
      });
    }
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  // ---- internals ----------------------------------------------------------------------

  private async ensureBucket(): Promise<void> {
    const { bucket, endpoint, region } = this.settings;
    const refused = (error: unknown, doing: string) =>
      new ConfigurationError(
        `cannot use bucket ${bucket} at ${endpoint}: ${doing} was refused (${describeCause(error)}); create the bucket, or give the access key permission to`,
        { cause: error },
      );
    let exists: boolean;
    try {
      exists = await this.call('check', undefined, () => this.client.bucketExists(bucket));
    } catch (error) {
      if (error instanceof AppError && !error.retryable) throw refused(error, 'checking it');
      throw error;
    }
    if (exists) return;
    try {
      await this.call('create', undefined, () => this.client.makeBucket(bucket, region));
    } catch (error) {
      const s3Code = error instanceof AppError ? error.details.s3Code : undefined;
      if (s3Code === 'BucketAlreadyOwnedByYou') return;
      if (s3Code === 'BucketAlreadyExists') {
        // Another process may just have created it; if we can reach it, it is ours to use.
        if (await this.call('check', undefined, () => this.client.bucketExists(bucket))) return;
      }
      if (error instanceof AppError && error.retryable) throw error;
      throw refused(error, 'creating it');
    }
    this.logger?.info?.({ bucket, endpoint }, 'created missing bucket');
  }

  /** One PUT of the whole body, streamed from memory or the spool file. Resolves with the server's time. */
  private async putSingle(
    key: string,
    prepared: PreparedBody,
    part: BodyPart,
    headers: Record<string, string>,
  ): Promise<Date> {
    const response = await this.call(
      'store',
      key,
      () => this.sendBytes(key, prepared, part, { ...headers }, undefined),
      WRITE,
    );
    return responseDate(response);
  }

  /**
   * Multipart upload driven by us: initiate (metadata goes here), upload each part from the
   * spool file, complete. On failure the upload is aborted, so no parts linger.
   */
  private async putMultipart(key: string, prepared: PreparedBody, headers: Record<string, string>): Promise<Date> {
    const { bucket } = this.settings;
    const uploadId = await this.call(
      'start the multipart upload of',
      key,
      () => this.client.initiateNewMultipartUpload(bucket, key, headers),
      WRITE,
    );
    try {
      const etags: { part: number; etag: string }[] = [];
      for (const [index, part] of prepared.parts.entries()) {
        const partNumber = index + 1;
        const query = `partNumber=${partNumber}&uploadId=${encodeURIComponent(uploadId)}`;
        const response = await this.call(
          `upload part ${partNumber} of`,
          key,
          () => this.sendBytes(key, prepared, part, {}, query),
          WRITE,
        );
        const etag = String(response.headers.etag ?? '').replace(/^"|"$/g, '');
        if (etag === '') {
          throw new UpstreamError(
            `object store at ${this.settings.endpoint} accepted part ${partNumber} of ${describeKey(key)} without an ETag`,
          );
        }
        etags.push({ part: partNumber, etag });
      }
      try {
        await this.call(
          'complete the multipart upload of',
          key,
          () => this.client.completeMultipartUpload(bucket, key, uploadId, etags),
          WRITE,
        );
      } catch (error) {
        // A retried "complete" whose first attempt succeeded finds no upload any more;
        // the object is then ours if it carries our checksum and size.
        if (error instanceof AppError && error.details.s3Code === 'NoSuchUpload') {
          const stored = await this.stat(key).catch(() => undefined);
          if (stored?.sha256 === prepared.sha256 && stored.size === prepared.size) return stored.lastModified;
        }
        throw error;
      }
      return new Date();
    } catch (error) {
      await this.abortQuietly(key, uploadId);
      throw error;
    }
  }

  /** Sends one PUT (whole object, or a part when `query` names one) with fresh bytes from `prepared`. */
  private async sendBytes(
    key: string,
    prepared: PreparedBody,
    part: BodyPart,
    headers: Record<string, string>,
    query: string | undefined,
  ): Promise<http.IncomingMessage> {
    const body = prepared.open(part.offset, part.size);
    try {
      const response = await this.client.makeRequestStreamAsync(
        {
          method: 'PUT',
          bucketName: this.settings.bucket,
          objectName: key,
          ...(query === undefined ? {} : { query }),
          headers: { ...headers, 'Content-Length': String(part.size), 'Content-MD5': part.md5Base64 },
        },
        body,
        this.client.enableSHA256 ? (part.sha256 ?? '') : '',
        [200],
        '',
      );
      response.resume();
      await once(response, 'end');
      return response;
    } finally {
      if (body instanceof Readable) body.destroy();
    }
  }

  private async abortQuietly(key: string, uploadId: string): Promise<void> {
    try {
      await this.client.abortMultipartUpload(this.settings.bucket, key, uploadId);
    } catch (error) {
      this.logger?.warn(
        { key, uploadId, bucket: this.settings.bucket, error: describeCause(error) },
        'could not abort a failed multipart upload; its parts stay until a lifecycle rule for incomplete uploads removes them',
      );
    }
  }

  private readStream(key: string, response: Readable): Readable {
    return withTranslatedErrors(response, (error) =>
      translateS3Error(
        { error },
        { op: 'read', endpoint: this.settings.endpoint, bucket: this.settings.bucket, key },
      ),
    );
  }

  /**
   * Runs one client call with retries of transient failures, and translates whatever
   * error remains. `key` is named in messages and makes 404 a `NotFoundError`.
   */
  private async call<T>(
    op: string,
    key: string | undefined,
    run: () => Promise<T>,
    { missingIsNotFound = true }: { missingIsNotFound?: boolean } = {},
  ): Promise<T> {
    try {
      return await withRetry(
        async () => {
          const state: AttemptState = {};
          try {
            return await attemptState.run(state, run);
          } catch (error) {
            throw new AttemptFailure(error, state.status);
          }
        },
        (failure) => isTransientS3Failure(failure as AttemptFailure),
        this.settings.retry,
        (failure, attempt, delayMs) =>
          this.logger?.warn(
            {
              endpoint: this.settings.endpoint,
              bucket: this.settings.bucket,
              key,
              attempt,
              delayMs,
              error: describeCause((failure as AttemptFailure).error),
            },
            `S3 ${op} failed; retrying`,
          ),
      );
    } catch (failure) {
      const { error, status } = failure instanceof AttemptFailure ? failure : { error: failure, status: undefined };
      throw translateS3Error(
        { error, status },
        { op, endpoint: this.settings.endpoint, bucket: this.settings.bucket, key, missingIsNotFound },
      );
    }
  }
}

function parseSettings(options: MinioObjectStoreOptions): Settings {
  const { endPoint } = options;
  let host: string;
  let port: number;
  let useSSL: boolean;
  if (endPoint.includes('://')) {
    let url: URL;
    try {
      url = new URL(endPoint);
    } catch (error) {
      throw new ConfigurationError(`S3 endpoint ${JSON.stringify(endPoint)} is not a valid URL`, { cause: error });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigurationError(`S3 endpoint ${endPoint} must start with http:// or https://`);
    }
    if (url.pathname !== '/' || url.search !== '' || url.username !== '') {
      throw new ConfigurationError(
        `S3 endpoint ${endPoint} must be just scheme, host and port (no path, query or credentials)`,
      );
    }
    useSSL = url.protocol === 'https:';
    if (options.useSSL !== undefined && options.useSSL !== useSSL) {
      throw new ConfigurationError(`S3 endpoint ${endPoint} and useSSL=${options.useSSL} disagree`);
    }
    host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    port = url.port === '' ? (useSSL ? 443 : 80) : Number(url.port);
    if (options.port !== undefined && options.port !== port) {
      throw new ConfigurationError(`S3 endpoint ${endPoint} and port ${options.port} disagree`);
    }
  } else {
    host = endPoint;
    useSSL = options.useSSL ?? true;
    port = options.port ?? (useSSL ? 443 : 80);
  }
  if (host === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigurationError(`S3 endpoint ${JSON.stringify(endPoint)} needs a host and a port from 1 to 65535`);
  }
  if (!BUCKET_NAME.test(options.bucket) || options.bucket.includes('..')) {
    throw new ConfigurationError(
      `S3 bucket name ${JSON.stringify(options.bucket)} is not valid: use 3-63 lowercase letters, digits, dots and hyphens`,
    );
  }
  if (options.accessKey === '' || options.secretKey === '') {
    throw new ConfigurationError(`S3 access key and secret key must both be set for ${endPoint}`);
  }
  const partSize = options.partSize ?? DEFAULT_PART_SIZE;
  if (!Number.isInteger(partSize) || partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
    throw new ConfigurationError(`S3 partSize must be an integer from 5 MiB to 5 GiB, got ${String(partSize)}`);
  }
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  if (!Number.isInteger(retry.attempts) || retry.attempts < 1 || retry.baseDelayMs < 0 || retry.maxDelayMs < 0) {
    throw new ConfigurationError('S3 retry policy needs attempts >= 1 and non-negative delays');
  }
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (!(requestTimeoutMs > 0)) {
    throw new ConfigurationError(`S3 requestTimeoutMs must be positive, got ${String(requestTimeoutMs)}`);
  }
  const defaultPort = useSSL ? 443 : 80;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    host,
    port,
    useSSL,
    endpoint: `${useSSL ? 'https' : 'http'}://${shownHost}${port === defaultPort ? '' : `:${port}`}`,
    bucket: options.bucket,
    region: options.region ?? 'us-east-1',
    partSize,
    tempDir: path.resolve(options.tempDir ?? os.tmpdir()),
    retry,
    requestTimeoutMs,
  };
}

/**
 * Node's `request` with two additions: a deadline for the response headers (connect, send,
 * server think time; lifted once the response starts, so a slow reader is never cut off),
 * and recording the response status for the retry decision.
 */
function timedTransport(base: typeof http | typeof https, timeoutMs: number): Transport {
  const request = (options: http.RequestOptions, callback?: (response: http.IncomingMessage) => void) => {
    const state = attemptState.getStore();
    const req = base.request(options, (response) => {
      req.setTimeout(0);
      if (state !== undefined) state.status = response.statusCode;
      callback?.(response);
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy(Object.assign(new Error(`no response within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    });
    return req;
  };
  return { request } as unknown as Transport;
}

/** The range a 206 (or 200) response says it carries. */
function servedRange(response: Readable): { start: number; end: number; total: number } | undefined {
  if (!(response instanceof http.IncomingMessage)) return undefined;
  const contentRange = response.headers['content-range'];
  const match = typeof contentRange === 'string' ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(contentRange) : null;
  if (match !== null) {
    return { start: Number(match[1]), end: Number(match[2]), total: Number(match[3]) };
  }
  if (response.statusCode === 200) {
    const total = Number(response.headers['content-length']);
    if (Number.isSafeInteger(total) && total > 0) return { start: 0, end: total - 1, total };
  }
  return undefined;
}

/** The first `count` bytes of `source`, which is then destroyed. */
function takeBytes(source: Readable, count: number): Readable {
  async function* take() {
    let left = count;
    for await (const chunk of source) {
      const bytes = chunk as Buffer;
      if (bytes.length >= left) {
        yield bytes.subarray(0, left);
        return;
      }
      left -= bytes.length;
      yield bytes;
    }
    if (left > 0) throw Object.assign(new Error(`response ended ${left} bytes early`), { code: 'ECONNRESET' });
  }
  return Readable.from(take(), { objectMode: false });
}

function responseDate(response: http.IncomingMessage): Date {
  const header = response.headers.date;
  const date = header === undefined ? new Date() : new Date(header);
  return Number.isNaN(date.getTime()) ? new Date() : date;
}

function describeCause(error: unknown): string {
  if (error instanceof AppError) return error.message;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && code !== '' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
