import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import test from 'ava';
import { Client } from 'minio';

import {
  ConfigurationError,
  InvalidInputError,
  MinioObjectStore,
  NotFoundError,
  UpstreamError,
  type MinioObjectStoreOptions,
} from '../../storage/index.ts';
import { testServices } from '../helpers/test-services.ts';
import { closedPort, s3ErrorXml, startFaultProxy, type SeenRequest } from './fault-proxy.ts';
import { runObjectStoreContract, type BackendLimits, type ContractStore } from './object-store.contract.ts';
import { hashStream, patternBytes, patternSha256, patternStream, readAll, sha256 } from './stream-helpers.ts';

const services = testServices();
const MiB = 1024 * 1024;
const PART_SIZE = 5 * MiB; // the smallest S3 allows, so multipart is exercised with small objects

/**
 * s3rver (the stand-in for MinIO in tests) writes objects in place and lists in
 * directory-walk order, so the tests of atomic overwrites and of byte-order listing only run
 * against a real S3 server (point TEST_S3_ENDPOINT at a MinIO to run them).
 */
const s3rver = isS3rver(services.s3Endpoint);
const limits: BackendLimits = s3rver
  ? {
      nonAtomicOverwrite: 's3rver writes objects in place; run against a real MinIO',
      unorderedListing: 's3rver lists in directory-walk order; run against a real MinIO',
    }
  : {};

function rawClient(): Client {
  const url = new URL(services.s3Endpoint);
  return new Client({
    endPoint: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    useSSL: url.protocol === 'https:',
    accessKey: services.s3AccessKey,
    secretKey: services.s3SecretKey,
    region: 'us-east-1',
    retryOptions: { disableRetry: true },
    // No keep-alive: s3rver drops idle connections after 5 s, and this client does not retry.
    transportAgent: new http.Agent({ keepAlive: false }),
  });
}

function uniqueBucket(): string {
  return `t-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

function storeOptions(overrides: Partial<MinioObjectStoreOptions> = {}): MinioObjectStoreOptions {
  return {
    endPoint: services.s3Endpoint,
    accessKey: services.s3AccessKey,
    secretKey: services.s3SecretKey,
    bucket: uniqueBucket(),
    partSize: PART_SIZE,
    retry: { attempts: 4, baseDelayMs: 20, maxDelayMs: 200 },
    ...overrides,
  };
}

/** Empties and removes a bucket made by a test (ignoring one that is already gone). */
async function dropBucket(bucket: string): Promise<void> {
  const client = rawClient();
  if (!(await client.bucketExists(bucket))) return;
  for (;;) {
    const page = await client.listObjectsQuery(bucket, '', '', { Delimiter: '', MaxKeys: 1000 });
    const names = page.objects.map((o) => o.name).filter((n): n is string => n !== undefined);
    for (const name of names) await client.removeObject(bucket, name);
    if (names.length === 0 || page.isTruncated !== true) break;
  }
  await client.removeBucket(bucket);
}

async function makeS3Store(overrides: Partial<MinioObjectStoreOptions> = {}): Promise<ContractStore & { options: MinioObjectStoreOptions }> {
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 's3-spool-'));
  const options = storeOptions({ tempDir, ...overrides });
  const store = await MinioObjectStore.open(options).catch(async (error: unknown) => {
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  });
  return {
    store,
    options,
    spec: { adapter: 's3', options },
    tempLeftovers: () => readdir(tempDir),
    cleanup: async () => {
      await store.close();
      await dropBucket(options.bucket);
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}

runObjectStoreContract(test, 's3', () => makeS3Store(), limits);

function count(requests: SeenRequest[], method: string, pattern: RegExp): number {
  return requests.filter((r) => r.method === method && pattern.test(r.url)).length;
}

test('s3: a bucket that is missing is created; opening again reuses it', async (t) => {
  const ctx = await makeS3Store();
  t.teardown(() => ctx.cleanup());
  t.true(await rawClient().bucketExists(ctx.options.bucket));
  const again = await MinioObjectStore.open(ctx.options);
  await again.ping();
  await again.close();
  t.is(ctx.store.describe(), `s3 ${services.s3Endpoint} bucket ${ctx.options.bucket}`);
});

test('s3: sha256 and content type are object metadata (x-amz-meta-sha256)', async (t) => {
  const ctx = await makeS3Store();
  t.teardown(() => ctx.cleanup());
  const { bucket } = ctx.options;
  await ctx.store.put('masters/1/0001.tif', Buffer.from('scan'));
  const raw = await rawClient().statObject(bucket, 'masters/1/0001.tif');
  t.is(raw.metaData.sha256, sha256('scan'));
  t.is(raw.metaData['content-type'], 'image/tiff');
  // Objects stored by another tool: no checksum to report, and a bogus one is ignored.
  await rawClient().putObject(bucket, 'foreign/a.txt', Buffer.from('a'), 1, { 'Content-Type': 'text/x-foreign' });
  await rawClient().putObject(bucket, 'foreign/b.txt', Buffer.from('b'), 1, { sha256: 'not-a-checksum' });
  const a = await ctx.store.stat('foreign/a.txt');
  t.is(a.sha256, undefined);
  t.is(a.contentType, 'text/x-foreign');
  t.is((await ctx.store.stat('foreign/b.txt')).sha256, undefined);
});

test('s3: objects above the part size go up as a multipart upload we drive (no ListMultipartUploads)', async (t) => {
  const proxy = await startFaultProxy(services.s3Endpoint);
  t.teardown(() => proxy.close());
  const ctx = await makeS3Store({ endPoint: proxy.url });
  t.teardown(() => ctx.cleanup());
  const size = 12 * MiB + 5;
  const info = await ctx.store.put('masters/2/0001.tif', patternStream(size, 21));
  t.is(info.sha256, patternSha256(size, 21));
  t.is(count(proxy.requests, 'POST', /\?uploads(=|&|$)/), 1);
  t.is(count(proxy.requests, 'PUT', /[?&]partNumber=\d+/), 3);
  t.is(count(proxy.requests, 'POST', /[?&]uploadId=/), 1);
  t.is(proxy.requests.filter((r) => r.method === 'GET' && /[?&]uploads/.test(r.url)).length, 0);
  const read = await hashStream(await ctx.store.get('masters/2/0001.tif'));
  t.deepEqual(read, { sha256: patternSha256(size, 21), size });
  const stat = await ctx.store.stat('masters/2/0001.tif');
  t.is(stat.sha256, patternSha256(size, 21));
  t.is(stat.contentType, 'image/tiff');
  t.is((await rawClient().statObject(ctx.options.bucket, 'masters/2/0001.tif')).metaData.sha256, info.sha256);

  // A Buffer body above the part size goes up in parts too, straight from memory.
  const bytes = patternBytes(6 * MiB, 22);
  await ctx.store.put('masters/2/0002.tif', bytes);
  t.is(count(proxy.requests, 'PUT', /[?&]partNumber=\d+/), 5);
  t.is((await ctx.store.stat('masters/2/0002.tif')).sha256, sha256(bytes));
  t.deepEqual(await ctx.tempLeftovers(), []);
});

test('s3: a failed multipart upload is aborted and leaves nothing behind', async (t) => {
  const proxy = await startFaultProxy(services.s3Endpoint);
  t.teardown(() => proxy.close());
  const ctx = await makeS3Store({ endPoint: proxy.url });
  t.teardown(() => ctx.cleanup());
  await ctx.store.put('masters/3/0001.tif', Buffer.from('old'));
  proxy.setRule((r) =>
    r.method === 'PUT' && /[?&]partNumber=2(&|$)/.test(r.url)
      ? { status: 400, body: s3ErrorXml('InvalidArgument', 'refused by the test proxy') }
      : 'pass',
  );
  const error = await t.throwsAsync(ctx.store.put('masters/3/0001.tif', patternStream(11 * MiB, 23)), {
    instanceOf: UpstreamError,
  });
  t.false(error?.retryable);
  t.is(count(proxy.requests, 'PUT', /[?&]partNumber=2(&|$)/), 1, 'a 4xx is not retried');
  t.is(count(proxy.requests, 'DELETE', /[?&]uploadId=/), 1, 'the upload was aborted');
  t.is((await readAll(await ctx.store.get('masters/3/0001.tif'))).toString(), 'old');
  t.deepEqual(await ctx.tempLeftovers(), []);
});

test('s3: transient failures (500, 503 SlowDown, dropped connections) are retried', async (t) => {
  const proxy = await startFaultProxy(services.s3Endpoint);
  t.teardown(() => proxy.close());
  const ctx = await makeS3Store({ endPoint: proxy.url });
  t.teardown(() => ctx.cleanup());
  const failures = new Map<string, number>();
  const failFirst = (id: string, request: SeenRequest, test: boolean, decision: 'reset' | { status: number; body?: string }) => {
    if (!test || failures.has(id)) return undefined;
    failures.set(id, proxy.requests.indexOf(request));
    return decision;
  };
  proxy.setRule(
    (r) =>
      failFirst('part 2: 500', r, r.method === 'PUT' && /[?&]partNumber=2(&|$)/.test(r.url), {
        status: 500,
        body: s3ErrorXml('InternalError'),
      }) ??
      failFirst('single put: 503', r, r.method === 'PUT' && r.url.endsWith('/small.txt'), {
        status: 503,
        body: s3ErrorXml('SlowDown'),
      }) ??
      failFirst('stat: reset', r, r.method === 'HEAD' && r.url.endsWith('/small.txt'), 'reset') ??
      'pass',
  );
  const size = 11 * MiB;
  await ctx.store.put('masters/4/0001.tif', patternStream(size, 24));
  await ctx.store.put('masters/4/small.txt', Buffer.from('small'));
  const stat = await ctx.store.stat('masters/4/small.txt');
  t.is(failures.size, 3);
  t.is(count(proxy.requests, 'PUT', /[?&]partNumber=2(&|$)/), 2);
  t.is(count(proxy.requests, 'PUT', /\/small\.txt$/), 2);
  t.is(stat.sha256, sha256('small'));
  t.is((await hashStream(await ctx.store.get('masters/4/0001.tif'))).sha256, patternSha256(size, 24));
});

test('s3: 4xx answers are not retried: a missing key is one request and NotFoundError', async (t) => {
  const proxy = await startFaultProxy(services.s3Endpoint);
  t.teardown(() => proxy.close());
  const ctx = await makeS3Store({ endPoint: proxy.url });
  t.teardown(() => ctx.cleanup());
  const before = proxy.requests.length;
  await t.throwsAsync(ctx.store.get('nope.txt'), { instanceOf: NotFoundError });
  await t.throwsAsync(ctx.store.stat('nope.txt'), { instanceOf: NotFoundError });
  t.is(proxy.requests.length - before, 2);
});

test('s3: an unreachable endpoint is UpstreamError after a bounded number of attempts', async (t) => {
  const port = await closedPort();
  const endpoint = `http://127.0.0.1:${port}`;
  const error = await t.throwsAsync(
    MinioObjectStore.open({ ...storeOptions(), endPoint: endpoint, retry: undefined }),
    { instanceOf: UpstreamError },
  );
  t.regex(error?.message ?? '', new RegExp(`^object store at ${endpoint} did not answer`));
  t.true(error?.retryable);

  // Count the attempts: a proxy that drops every connection.
  const proxy = await startFaultProxy(services.s3Endpoint, () => 'reset');
  t.teardown(() => proxy.close());
  await t.throwsAsync(MinioObjectStore.open({ ...storeOptions(), endPoint: proxy.url, retry: undefined }), {
    instanceOf: UpstreamError,
  });
  t.is(proxy.requests.length, 4, 'the default policy makes 4 attempts');
});

test('s3: a server that never answers times out, is retried, then is UpstreamError', async (t) => {
  // The proxy answers the bucket check itself, then stops answering: no dependence on the
  // test server's speed.
  const proxy = await startFaultProxy(services.s3Endpoint, () => ({ status: 200 }));
  t.teardown(() => proxy.close());
  const store = await MinioObjectStore.open(
    storeOptions({ endPoint: proxy.url, requestTimeoutMs: 300, retry: { attempts: 2, baseDelayMs: 10 } }),
  );
  t.teardown(() => store.close());
  proxy.setRule(() => 'hang');
  const before = proxy.requests.length;
  const error = await t.throwsAsync(store.ping(), { instanceOf: UpstreamError });
  t.regex(error?.message ?? '', /did not answer/);
  t.is(proxy.requests.length - before, 2);
});

test('s3: a read cut off half-way fails the stream with UpstreamError', async (t) => {
  const proxy = await startFaultProxy(services.s3Endpoint);
  t.teardown(() => proxy.close());
  const ctx = await makeS3Store({ endPoint: proxy.url });
  t.teardown(() => ctx.cleanup());
  await ctx.store.put('big/page.tif', patternBytes(2 * MiB, 25));
  proxy.setRule((r) => (r.method === 'GET' ? { cutResponseAfterBytes: 100_000 } : 'pass'));
  const stream = await ctx.store.get('big/page.tif');
  await t.throwsAsync(hashStream(stream), { instanceOf: UpstreamError });
});

test('s3: a bucket that cannot be created is ConfigurationError naming it', async (t) => {
  const proxy = await startFaultProxy(services.s3Endpoint, (r) =>
    r.method === 'PUT' && /^\/[^/?]+$/.test(r.url) ? { status: 403, body: s3ErrorXml('AccessDenied') } : 'pass',
  );
  t.teardown(() => proxy.close());
  const options = storeOptions({ endPoint: proxy.url });
  const error = await t.throwsAsync(MinioObjectStore.open(options), { instanceOf: ConfigurationError });
  t.true(error?.message.includes(options.bucket));
});

test('s3: bad settings are ConfigurationError before any request', async (t) => {
  const bad: Partial<MinioObjectStoreOptions>[] = [
    { bucket: 'Bad_Bucket' },
    { bucket: 'ab' },
    { endPoint: 'ftp://127.0.0.1:9000' },
    { endPoint: 'http://127.0.0.1:9000/some/path' },
    { endPoint: 'http://127.0.0.1:9000', useSSL: true },
    { endPoint: 'http://127.0.0.1:9000', port: 9001 },
    { partSize: 1024 },
    { accessKey: '' },
    { retry: { attempts: 0 } },
  ];
  for (const overrides of bad) {
    await t.throwsAsync(MinioObjectStore.open(storeOptions(overrides)), { instanceOf: ConfigurationError }, JSON.stringify(overrides));
  }
});

test('s3: a host name with port and useSSL (the form scripts/config.ts gives) works', async (t) => {
  const url = new URL(services.s3Endpoint);
  const options = storeOptions({ endPoint: url.hostname, port: Number(url.port), useSSL: false });
  const store = await MinioObjectStore.open(options);
  t.teardown(async () => {
    await store.close();
    await dropBucket(options.bucket);
  });
  await store.put('x.txt', Buffer.from('x'));
  t.is((await store.stat('x.txt')).sha256, sha256('x'));
});

test('s3: ping answers, and fails with UpstreamError once the bucket is gone', async (t) => {
  const ctx = await makeS3Store();
  t.teardown(() => ctx.cleanup());
  await ctx.store.ping();
  await dropBucket(ctx.options.bucket);
  await t.throwsAsync(ctx.store.ping(), { instanceOf: UpstreamError });
  await t.throwsAsync(ctx.store.put('x.txt', Buffer.from('x')), { instanceOf: UpstreamError });
  await t.throwsAsync(ctx.store.put('x.txt', Buffer.from('x'), { expectedSha256: sha256('y') }), {
    instanceOf: InvalidInputError,
  });
});

/**
 * Whether the endpoint is s3rver (its anonymous bucket listing names it; MinIO answers
 * AccessDenied). Synchronous, because ava wants every test declared synchronously.
 */
function isS3rver(endpoint: string): boolean {
  const probe = `fetch(${JSON.stringify(endpoint)}).then((r) => r.text()).then((text) => process.stdout.write(String(text.includes('S3rver'))), () => process.stdout.write('false'))`;
  return execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8', timeout: 10_000 }).trim() === 'true';
}
