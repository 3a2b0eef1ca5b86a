import path from 'node:path';
import test from 'ava';
import { loadConfig } from '../../scripts/config.ts';
import { ConfigurationError } from '../../storage/index.ts';

test('embedded defaults when nothing is set', (t) => {
  const config = loadConfig({}, '/srv/thuvien');
  t.is(config.port, 3000);
  t.is(config.host, '0.0.0.0');
  t.is(config.dataDir, '/srv/thuvien/data');
  t.is(config.publicBaseUrl, 'http://localhost:3000');
  t.is(config.databaseUrl, undefined);
  t.is(config.redisUrl, undefined);
  t.is(config.s3, undefined);
  t.true(Object.isFrozen(config));
});

test('public base URL follows PORT when unset, loses its trailing slash when set', (t) => {
  t.is(loadConfig({ PORT: '8080' }).publicBaseUrl, 'http://localhost:8080');
  t.is(loadConfig({ PUBLIC_BASE_URL: 'https://so.thuvien.example.vn/' }).publicBaseUrl, 'https://so.thuvien.example.vn');
});

test('relative DATA_DIR resolves against the working directory', (t) => {
  t.is(loadConfig({ DATA_DIR: 'var/thuvien' }, '/opt/app').dataDir, path.join('/opt/app', 'var/thuvien'));
});

test('empty strings count as unset', (t) => {
  const config = loadConfig({ DATABASE_URL: '', REDIS_URL: ' ', S3_ENDPOINT: '' });
  t.is(config.databaseUrl, undefined);
  t.is(config.redisUrl, undefined);
  t.is(config.s3, undefined);
});

const badValues: [string, string, RegExp][] = [
  ['PORT', 'abc', /PORT must be a port number \(got "abc"\)/],
  ['PORT', '70000', /PORT must be between 0 and 65535/],
  ['PORT', '80.5', /PORT must be a whole number/],
  ['DATABASE_URL', 'mysql://root@localhost/thuvien', /DATABASE_URL must be a PostgreSQL URL/],
  ['REDIS_URL', 'http://localhost:6379', /REDIS_URL must be a Redis URL/],
  ['PUBLIC_BASE_URL', 'thuvien.example.vn', /PUBLIC_BASE_URL must be an http\(s\) URL/],
  ['S3_ENDPOINT', 'minio:9000', /S3_ENDPOINT must be an http\(s\) URL/],
  ['S3_BUCKET', 'Thu_Vien', /S3_BUCKET must be a valid S3 bucket name/],
  ['S3_USE_SSL', 'maybe', /S3_USE_SSL must be true or false/],
  ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
];

for (const [name, value, message] of badValues) {
  test(`a bad ${name} (${value}) fails with a message naming it`, (t) => {
    const error = t.throws(() => loadConfig({ [name]: value }), { instanceOf: ConfigurationError });
    t.regex(error.message, message);
  });
}

test('S3 needs both keys, and names the missing ones', (t) => {
  const error = t.throws(() => loadConfig({ S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY: 'k' }), {
    instanceOf: ConfigurationError,
  });
  t.regex(error.message, /S3_SECRET_KEY must be set when S3_ENDPOINT is set/);
  t.notRegex(error.message, /S3_ACCESS_KEY/);
});

test('S3 endpoint URL gives host, port and TLS; S3_USE_SSL overrides the scheme', (t) => {
  const keys = { S3_ACCESS_KEY: 'minio', S3_SECRET_KEY: 'minio-secret' };
  t.like(loadConfig({ S3_ENDPOINT: 'http://minio.local:9000', ...keys }).s3, {
    endPoint: 'minio.local',
    port: 9000,
    useSSL: false,
    bucket: 'thu-vien-so',
    region: 'us-east-1',
  });
  t.like(loadConfig({ S3_ENDPOINT: 'https://s3.example.vn', ...keys }).s3, { port: 443, useSSL: true });
  t.like(loadConfig({ S3_ENDPOINT: 'http://minio.local:9000', S3_USE_SSL: 'true', ...keys }).s3, { useSSL: true });
});

test('several problems are reported together', (t) => {
  const error = t.throws(() => loadConfig({ PORT: 'x', REDIS_URL: 'nope' }), { instanceOf: ConfigurationError });
  t.regex(error.message, /PORT/);
  t.regex(error.message, /REDIS_URL/);
});

test('IIIF settings: extra images folder resolved, cache sizes in bytes', (t) => {
  const defaults = loadConfig({}, '/srv/thuvien').iiif;
  t.deepEqual(defaults, { extraImagesDir: undefined, pyramidCacheBytes: 2048 * 1024 * 1024, tileCacheBytes: 64 * 1024 * 1024, maxPixels: 40_000_000 });
  const set = loadConfig({ IIIF_EXTRA_IMAGES_DIR: 'fixtures/iiif', IIIF_PYRAMID_CACHE_MB: '100', IIIF_TILE_CACHE_MB: '0', IIIF_MAX_PIXELS: '2000000' }, '/srv/thuvien').iiif;
  t.deepEqual(set, { extraImagesDir: '/srv/thuvien/fixtures/iiif', pyramidCacheBytes: 100 * 1024 * 1024, tileCacheBytes: 0, maxPixels: 2_000_000 });
  t.throws(() => loadConfig({ IIIF_PYRAMID_CACHE_MB: '10' }), { message: /IIIF_PYRAMID_CACHE_MB must be at least 64/ });
});

test('sign-in settings: session length, secure cookies under https, reading rooms, bootstrap secrets never echoed', (t) => {
  t.like(loadConfig({}).auth, { sessionLifetimeMs: 12 * 3_600_000, secureCookies: false, readingRoomIps: [] });
  const https = loadConfig({ PUBLIC_BASE_URL: 'https://thuvien.example.vn', SESSION_HOURS: '2', READING_ROOM_IPS: '10.1.0.0/16, 192.168.5.7' }).auth;
  t.like(https, { sessionLifetimeMs: 2 * 3_600_000, secureCookies: true, readingRoomIps: ['10.1.0.0/16', '192.168.5.7'] });
  const error = t.throws(() => loadConfig({ BOOTSTRAP_ADMIN_TOKEN: 'too-short-secret' }));
  t.regex(error.message, /BOOTSTRAP_ADMIN_TOKEN must be at least 32 characters/);
  t.false(error.message.includes('too-short-secret'), 'a secret is never repeated in the message');
});

test('worker and upload settings', (t) => {
  const config = loadConfig({ WORKER_CONCURRENCY: '3', UPLOAD_MAX_BYTES: '5000', MAX_IMAGE_PIXELS: '2000000' });
  t.like(config, { workerConcurrency: 3, uploadMaxBytes: 5000, maxImagePixels: 2_000_000, serverRunsJobs: true });
  t.false(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', SERVER_RUNS_JOBS: 'false' }).serverRunsJobs);
  t.true(loadConfig({ SERVER_RUNS_JOBS: 'false' }).serverRunsJobs, 'without Redis only the server can run jobs');
  t.throws(() => loadConfig({ WORKER_CONCURRENCY: '0' }), { message: /WORKER_CONCURRENCY must be at least 1/ });
});

test('the multipart request limit defaults to twice UPLOAD_MAX_BYTES and must leave room for one whole file', (t) => {
  t.is(loadConfig({ UPLOAD_MAX_BYTES: '5000' }).uploadMaxRequestBytes, 10_000);
  t.is(loadConfig({ UPLOAD_MAX_BYTES: '5000', UPLOAD_MAX_REQUEST_BYTES: '20000' }).uploadMaxRequestBytes, 20_000);
  t.throws(() => loadConfig({ UPLOAD_MAX_BYTES: '5000', UPLOAD_MAX_REQUEST_BYTES: '5000' }), {
    instanceOf: ConfigurationError,
    message: /UPLOAD_MAX_REQUEST_BYTES \(5000\) must be larger than UPLOAD_MAX_BYTES \(5000\)/,
  });
});
