/**
 * The one error family of the product. It lives in `storage/` because that is the
 * bottom layer: every other folder may import it, and it imports nothing.
 *
 * `code` is stable and machine-readable (HTTP status mapping, job failure reasons);
 * `message` tells an operator what happened and what to do; `retryable` tells the
 * job runner whether trying again can help.
 */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'CHECKSUM_MISMATCH'
  | 'TOO_LARGE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'TOO_MANY_REQUESTS'
  | 'CONFLICT'
  | 'UPSTREAM'
  | 'CONFIGURATION';

export interface AppErrorOptions {
  cause?: unknown;
  retryable?: boolean;
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }
}

/** The thing asked for does not exist (object key, record id). */
export class NotFoundError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('NOT_FOUND', message, options);
  }
}

/** The caller sent something we will never accept as it is; retrying cannot help. */
export class InvalidInputError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('INVALID_INPUT', message, options);
  }
}

/** Bytes arrived different from the checksum the sender computed: damaged in transit. */
export class ChecksumMismatchError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('CHECKSUM_MISMATCH', message, options);
  }
}

/** The input is over a configured size limit. */
export class PayloadTooLargeError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('TOO_LARGE', message, options);
  }
}

/** The content exists but this viewer may not see it (restricted or confidential). */
export class AccessDeniedError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('UNAUTHORIZED', message, options);
  }
}

/** The viewer is known (signed in) but may not do this: another library's records, a role without the right. */
export class ForbiddenError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('FORBIDDEN', message, options);
  }
}

/** Too many attempts (sign-in guessing): wait, then try again. `details.retryAfterSeconds` says how long. */
export class TooManyRequestsError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('TOO_MANY_REQUESTS', message, options);
  }
}

/** The request clashes with the current state (duplicate identifier, wrong status). */
export class ConflictError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('CONFLICT', message, options);
  }
}

/** A service we depend on (S3, database, Redis) failed or could not be reached. */
export class UpstreamError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('UPSTREAM', message, { retryable: true, ...options });
  }
}

/** The process was started with settings it cannot work with. */
export class ConfigurationError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('CONFIGURATION', message, options);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
