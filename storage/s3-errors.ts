import { AppError, NotFoundError, UpstreamError } from './errors.ts';
import { errorCode } from './error-code.ts';
import { describeKey } from './object-key.ts';

/** Network failures worth another try. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);

/** S3 error codes that mean "try again later". */
const TRANSIENT_S3_CODES = new Set([
  'SlowDown',
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
  'XMinioServerNotInitialized',
]);

const ACCESS_CODES = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidToken', 'ExpiredToken']);

/** A failed attempt, with the HTTP status of the last response it received (if any). */
export interface S3Failure {
  error: unknown;
  status?: number;
}

/**
 * Whether retrying can help: network failures, HTTP 5xx, 429 and 408, and S3's
 * SlowDown/InternalError family. Never a 4xx such as NoSuchKey or AccessDenied, and never one
 * of our own errors.
 */
export function isTransientS3Failure({ error, status }: S3Failure): boolean {
  if (error instanceof AppError) return false;
  if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return true;
  const code = errorCode(error);
  if (code !== undefined && TRANSIENT_S3_CODES.has(code)) return true;
  if (status !== undefined && status >= 400) return false;
  return code !== undefined && TRANSIENT_NETWORK_CODES.has(code);
}

export interface S3ErrorContext {
  /** What we were doing, as a verb phrase: "store", "read", "list". */
  op: string;
  endpoint: string;
  bucket: string;
  key?: string;
  /** Whether a 404 means "the object `key` is missing" (reads, copies), rather than a failed write. Default true. */
  missingIsNotFound?: boolean;
}

/**
 * Turns an error from the minio client (or the network under it) into one of ours, with a
 * message an operator can act on. The S3 error code and HTTP status go into `details`
 * (`s3Code`, `status`); the original error is the `cause`. Errors that are already ours pass
 * through unchanged.
 */
export function translateS3Error(failure: S3Failure, context: S3ErrorContext): AppError {
  const { error, status } = failure;
  if (error instanceof AppError) return error;
  const code = errorCode(error);
  const message = error instanceof Error && error.message !== '' ? error.message : String(code ?? error);
  const target = context.key === undefined ? `bucket ${context.bucket}` : describeKey(context.key);
  const options = {
    cause: error,
    details: { s3Code: code, status, endpoint: context.endpoint, bucket: context.bucket, key: context.key },
  };

  if (code === 'NoSuchBucket') {
    return new UpstreamError(
      `bucket ${context.bucket} does not exist at ${context.endpoint}: create it, or check the bucket setting`,
      { ...options, retryable: false },
    );
  }
  if (
    context.key !== undefined &&
    context.missingIsNotFound !== false &&
    (code === 'NoSuchKey' || code === 'NotFound' || status === 404)
  ) {
    return new NotFoundError(`object ${describeKey(context.key)} not found`, options);
  }
  if ((code !== undefined && ACCESS_CODES.has(code)) || status === 403) {
    return new UpstreamError(
      `object store at ${context.endpoint} refused to ${context.op} ${target} (${code ?? `HTTP ${status}`}): check the access key, the secret key and the bucket policy`,
      { ...options, retryable: false },
    );
  }
  if (isTransientS3Failure(failure)) {
    if (status !== undefined && status >= 400) {
      return new UpstreamError(
        `object store at ${context.endpoint} failed to ${context.op} ${target} (HTTP ${status}${code === undefined ? '' : ` ${code}`}), also on retry: check the server's health`,
        options,
      );
    }
    return new UpstreamError(
      `object store at ${context.endpoint} did not answer: ${context.op} ${target} failed (${code ?? message}); check that it is running and reachable`,
      options,
    );
  }
  return new UpstreamError(
    `object store at ${context.endpoint} could not ${context.op} ${target}: ${code === undefined ? message : `${code}: ${message}`}`,
    { ...options, retryable: false },
  );
}
