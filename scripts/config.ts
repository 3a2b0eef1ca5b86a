import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ConfigurationError } from '../storage/index.ts';

/**
 * Every environment variable the product reads, validated once per process by the
 * entry point and passed down frozen. Nothing else reads `process.env`.
 * The README's configuration table mirrors this schema: keep them in step.
 */
const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes')
  .optional();

const environmentSchema = z.object({
  PORT: z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  PUBLIC_BASE_URL: optionalString.pipe(
    z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://thuvien.example.vn' }).optional(),
  ),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a PostgreSQL URL (postgres://user@host:5432/db); other databases are not supported')
      .optional(),
  ),
  DATABASE_SCHEMA: optionalString.pipe(
    z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase PostgreSQL schema name').optional(),
  ),
  REDIS_URL: optionalString.pipe(
    z.string().regex(/^rediss?:\/\//, 'must be a Redis URL (redis://host:6379)').optional(),
  ),
  REDIS_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"')
    .default('thuvien'),
  S3_ENDPOINT: optionalString.pipe(
    z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as http://minio.local:9000' }).optional(),
  ),
  S3_ACCESS_KEY: optionalString,
  S3_SECRET_KEY: optionalString,
  S3_BUCKET: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)')
    .default('thu-vien-so'),
  S3_REGION: z.string().trim().min(1).default('us-east-1'),
  S3_USE_SSL: booleanFlag,
  WORKER_CONCURRENCY: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(64).default(os.availableParallelism()),
  SERVER_RUNS_JOBS: booleanFlag,
  UPLOAD_MAX_BYTES: z.coerce.number().int().min(1024, 'must be at least 1024 bytes').default(2 * 1024 ** 3),
  // Unset: twice UPLOAD_MAX_BYTES (see uploadMaxRequestBytes).
  UPLOAD_MAX_REQUEST_BYTES: z.coerce.number().int().min(1024, 'must be at least 1024 bytes').optional(),
  SESSION_HOURS: z.coerce.number().min(0.1, 'must be more than 0').max(24 * 30, 'must be at most 720 (30 days)').default(12),
  READING_ROOM_IPS: optionalString,
  FIXITY_INTERVAL_MINUTES: z.coerce.number().min(0, 'must be 0 (off) or more').default(60),
  FIXITY_OBJECTS_PER_RUN: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').default(500),
  FIXITY_MB_PER_SECOND: z.coerce.number().min(0, 'must be 0 (no limit) or more').default(20),
  HARVEST_INTERVAL_MINUTES: z.coerce.number().min(0, 'must be 0 (off) or more').default(60),
  HARVEST_TIMEOUT_SECONDS: z.coerce.number().min(1, 'must be at least 1').max(3600, 'must be at most 3600').default(60),
  RESTRICTED_METADATA: z.enum(['hidden', 'shown'], { message: 'must be hidden or shown' }).default('hidden'),
  OPEN_DATA_LICENSE: z
    .url({ protocol: /^https?$/, message: 'must be the http(s) URL of a licence, such as https://creativecommons.org/licenses/by/4.0/' })
    .default('https://creativecommons.org/publicdomain/zero/1.0/'),
  // Unset: the name of the first library registered (see openDataRoutes).
  OPEN_DATA_PUBLISHER: optionalString,
  BOOTSTRAP_ADMIN_PASSWORD: optionalString,
  BOOTSTRAP_ADMIN_TOKEN: z.string().trim().min(32, 'must be at least 32 characters').optional(),
  UPLOAD_EXPIRY_HOURS: z.coerce.number().min(1, 'must be at least 1 hour').default(72),
  MAX_IMAGE_PIXELS: z.coerce.number().int().min(1_000_000, 'must be at least 1000000').default(16383 * 16383),
  IIIF_EXTRA_IMAGES_DIR: optionalString,
  IIIF_PYRAMID_CACHE_MB: z.coerce.number().int().min(64, 'must be at least 64').default(2048),
  IIIF_MAX_PIXELS: z.coerce.number().int().min(1_000_000, 'must be at least 1000000').default(40_000_000),
  IIIF_TILE_CACHE_MB: z.coerce.number().int().min(0).default(64),
  OAI_REPOSITORY_NAME: z.string().trim().min(1).default('Thư viện số'),
  // Unset: webmaster@ the host of PUBLIC_BASE_URL (see oaiConfig).
  OAI_ADMIN_EMAIL: optionalString.pipe(z.email({ message: 'must be an e-mail address' }).optional()),
  // Unset: the host of PUBLIC_BASE_URL.
  OAI_REPOSITORY_IDENTIFIER: optionalString.pipe(
    z
      .string()
      .regex(/^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$/, 'must be a domain name such as thuvien.example.vn (OAI identifiers are oai:<it>:<item id>)')
      .optional(),
  ),
  OAI_PAGE_SIZE: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(100),
  OAI_TOKEN_HOURS: z.coerce.number().min(0.01, 'must be more than 0').max(24 * 30, 'must be at most 720 (30 days)').default(24),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
});

export interface S3Config {
  endPoint: string;
  port: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
}

export interface Config {
  port: number;
  host: string;
  /** Absolute path. */
  dataDir: string;
  /** Without a trailing slash; IIIF ids are built from it. */
  publicBaseUrl: string;
  databaseUrl?: string;
  /** Schema for our tables on a shared PostgreSQL server; unset → the server's default search path. */
  databaseSchema?: string;
  redisUrl?: string;
  /** Prefix of every Redis key of the job queue: installations sharing one Redis need different ones. */
  redisPrefix: string;
  s3?: S3Config;
  /** Jobs one worker process runs at once. */
  workerConcurrency: number;
  /** Whether `npm start` also runs jobs; always true without Redis (the in-process runner). */
  serverRunsJobs: boolean;
  uploadMaxBytes: number;
  /** Largest body of one multipart page upload, all its files together (413 above). */
  uploadMaxRequestBytes: number;
  auth: {
    sessionLifetimeMs: number;
    /** Session cookies only over HTTPS: on when PUBLIC_BASE_URL is https. */
    secureCookies: boolean;
    readingRoomIps: string[];
    /**
     * `shown`: the manifests and IIIF collection entries of restricted documents are open to
     * everyone (their pages, text and PDF are not), so any IIIF viewer can offer the sign-in
     * of IIIF Authorization Flow 2.0; `hidden`: they are refused like the content.
     */
    restrictedMetadata: 'hidden' | 'shown';
    bootstrapAdminPassword?: string;
    bootstrapAdminToken?: string;
  };
  fixity: {
    /** Between two scheduled audit runs; 0: no scheduled audit. */
    intervalMs: number;
    objectsPerRun: number;
    /** Most bytes per second the audit reads; 0: no limit. */
    bytesPerSecond: number;
  };
  harvest: {
    /** Between two rounds of the harvest scheduler (each source also has its own interval); 0: no scheduled harvests. */
    intervalMs: number;
    /** Longest wait for one OAI-PMH response from a source. */
    requestTimeoutMs: number;
  };
  /** An unfinished resumable upload is deleted after this long. */
  uploadExpiryMs: number;
  /** Largest page (width × height) accepted; larger ones are refused before decoding. */
  maxImagePixels: number;
  openData: {
    /** Licence URL of the published metadata (catalogue, statistics, IIIF collection). */
    license: string;
    /** Who publishes the open data; undefined → the first library registered. */
    publisher?: string;
  };
  iiif: {
    /** Each image `NAME.ext` here is also served by the Image API as `NAME` (conformance checks). */
    extraImagesDir?: string;
    /** Local disk kept for source pyramids fetched from the object store. */
    pyramidCacheBytes: number;
    /** Memory kept for rendered tiles. */
    tileCacheBytes: number;
    /** Largest image (width × height) one Image API request may ask for; `max` is scaled to it. */
    maxPixels: number;
  };
  oai: OaiConfig;
  logLevel: string;
  shutdownTimeoutMs: number;
}

/** The OAI-PMH provider at `/oai` (Identify, identifiers, paging). */
export interface OaiConfig {
  repositoryName: string;
  adminEmail: string;
  /** The namespace of item identifiers: `oai:<repositoryIdentifier>:<item id>`. */
  repositoryIdentifier: string;
  /** Records (or headers) per response; more follow with a resumption token. */
  pageSize: number;
  /** How long a resumption token is accepted. */
  tokenLifetimeMs: number;
}

/** Never repeated in an error message. */
const SECRET_VARIABLES = new Set(['BOOTSTRAP_ADMIN_PASSWORD', 'BOOTSTRAP_ADMIN_TOKEN', 'S3_SECRET_KEY']);

export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): Readonly<Config> {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const raw = env[name];
      const shown = raw === undefined || SECRET_VARIABLES.has(name) ? '' : ` (got "${raw}")`;
      return `${name} ${issue.message}${shown}`;
    });
    throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const values = parsed.data;
  const publicBaseUrl = (values.PUBLIC_BASE_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, '');

  return Object.freeze({
    port: values.PORT,
    host: values.HOST,
    dataDir: path.resolve(cwd, values.DATA_DIR),
    publicBaseUrl,
    databaseUrl: values.DATABASE_URL,
    databaseSchema: values.DATABASE_SCHEMA,
    redisUrl: values.REDIS_URL,
    redisPrefix: values.REDIS_PREFIX,
    s3: values.S3_ENDPOINT === undefined ? undefined : s3Config(values),
    workerConcurrency: values.WORKER_CONCURRENCY,
    serverRunsJobs: values.REDIS_URL === undefined || (values.SERVER_RUNS_JOBS ?? true),
    uploadMaxBytes: values.UPLOAD_MAX_BYTES,
    uploadMaxRequestBytes: uploadMaxRequestBytes(values),
    auth: {
      sessionLifetimeMs: values.SESSION_HOURS * 60 * 60 * 1000,
      secureCookies: publicBaseUrl.startsWith('https:'),
      readingRoomIps: (values.READING_ROOM_IPS ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''),
      restrictedMetadata: values.RESTRICTED_METADATA,
      bootstrapAdminPassword: values.BOOTSTRAP_ADMIN_PASSWORD,
      bootstrapAdminToken: values.BOOTSTRAP_ADMIN_TOKEN,
    },
    fixity: {
      intervalMs: values.FIXITY_INTERVAL_MINUTES * 60 * 1000,
      objectsPerRun: values.FIXITY_OBJECTS_PER_RUN,
      bytesPerSecond: values.FIXITY_MB_PER_SECOND * 1024 * 1024,
    },
    harvest: {
      intervalMs: values.HARVEST_INTERVAL_MINUTES * 60 * 1000,
      requestTimeoutMs: values.HARVEST_TIMEOUT_SECONDS * 1000,
    },
    uploadExpiryMs: values.UPLOAD_EXPIRY_HOURS * 60 * 60 * 1000,
    maxImagePixels: values.MAX_IMAGE_PIXELS,
    openData: { license: values.OPEN_DATA_LICENSE, publisher: values.OPEN_DATA_PUBLISHER?.normalize('NFC') },
    iiif: {
      extraImagesDir: values.IIIF_EXTRA_IMAGES_DIR === undefined ? undefined : path.resolve(cwd, values.IIIF_EXTRA_IMAGES_DIR),
      pyramidCacheBytes: values.IIIF_PYRAMID_CACHE_MB * 1024 * 1024,
      tileCacheBytes: values.IIIF_TILE_CACHE_MB * 1024 * 1024,
      maxPixels: values.IIIF_MAX_PIXELS,
    },
    oai: oaiConfig(values, publicBaseUrl),
    logLevel: values.LOG_LEVEL,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
  });
}

/**
 * A request must hold one file of the largest size plus its multipart framing, or that file
 * could never be sent; by default there is room for about two.
 */
function uploadMaxRequestBytes(values: z.infer<typeof environmentSchema>): number {
  const limit = values.UPLOAD_MAX_REQUEST_BYTES ?? 2 * values.UPLOAD_MAX_BYTES;
  if (limit <= values.UPLOAD_MAX_BYTES) {
    throw new ConfigurationError(
      `Invalid configuration: UPLOAD_MAX_REQUEST_BYTES (${limit}) must be larger than UPLOAD_MAX_BYTES (${values.UPLOAD_MAX_BYTES}): ` +
        'one request carries at least a whole file and its multipart framing',
    );
  }
  return limit;
}

/** Identifiers and the contact default to the public host, so a fresh install harvests as it is. */
function oaiConfig(values: z.infer<typeof environmentSchema>, publicBaseUrl: string): OaiConfig {
  const host = new URL(publicBaseUrl).hostname;
  return {
    repositoryName: values.OAI_REPOSITORY_NAME.normalize('NFC'),
    adminEmail: values.OAI_ADMIN_EMAIL ?? `webmaster@${host}`,
    repositoryIdentifier: values.OAI_REPOSITORY_IDENTIFIER ?? host,
    pageSize: values.OAI_PAGE_SIZE,
    tokenLifetimeMs: values.OAI_TOKEN_HOURS * 60 * 60 * 1000,
  };
}

function s3Config(values: z.infer<typeof environmentSchema>): S3Config {
  const missing = (['S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const).filter((name) => values[name] === undefined);
  if (missing.length > 0) {
    throw new ConfigurationError(`Invalid configuration: ${missing.join(' and ')} must be set when S3_ENDPOINT is set`);
  }
  const url = new URL(values.S3_ENDPOINT as string);
  const useSSL = values.S3_USE_SSL ?? url.protocol === 'https:';
  return {
    endPoint: url.hostname,
    port: url.port === '' ? (useSSL ? 443 : 80) : Number(url.port),
    useSSL,
    accessKey: values.S3_ACCESS_KEY as string,
    secretKey: values.S3_SECRET_KEY as string,
    bucket: values.S3_BUCKET,
    region: values.S3_REGION,
  };
}
