import {
  AppError,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  UpstreamError,
} from '../../storage/index.ts';

/**
 * The one place where driver errors (node-postgres and PGlite both throw objects carrying
 * PostgreSQL's SQLSTATE `code`, `constraint`, `detail`) become the product's error family.
 */

/** The fields of a PostgreSQL error report that both drivers expose. */
export interface PostgresErrorFields {
  code: string;
  message: string;
  constraint?: string;
  detail?: string;
  table?: string;
  column?: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** Node's network error codes that mean "the server could not be reached". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

export function postgresErrorFields(error: unknown): PostgresErrorFields | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as Record<string, unknown>;
  if (typeof record.code !== 'string' || !SQLSTATE.test(record.code)) return undefined;
  const text = (key: string): string | undefined =>
    typeof record[key] === 'string' ? (record[key] as string) : undefined;
  return {
    code: record.code,
    message: text('message') ?? '',
    constraint: text('constraint'),
    detail: text('detail'),
    table: text('table'),
    column: text('column'),
  };
}

/** True for failures to reach the server (as opposed to errors the server reported). */
export function isConnectionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  const record = error as Record<string, unknown>;
  const code = typeof record.code === 'string' ? record.code : '';
  if (NETWORK_CODES.has(code)) return true;
  if (/^(08|53|57P)/.test(code)) return true;
  const message = typeof record.message === 'string' ? record.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    message,
  );
}

/**
 * Builds the error to throw for a violated constraint. Repositories pass one per constraint
 * name they know, so that the message names the slug or identifier at fault.
 */
export type ConstraintErrors = Readonly<Record<string, (fields: PostgresErrorFields, cause: unknown) => AppError>>;

/**
 * Translates anything a query threw. An `AppError` passes through unchanged; constraint
 * violations become Conflict/NotFound/InvalidInput errors (specific messages from
 * `constraints`, generic ones otherwise); unreachable servers and serialisation failures
 * become retryable `UpstreamError`s; everything else a non-retryable `UpstreamError`.
 */
export function translateDatabaseError(error: unknown, constraints: ConstraintErrors = {}): AppError {
  if (error instanceof AppError) return error;
  const fields = postgresErrorFields(error);
  if (fields?.constraint !== undefined) {
    const specific = constraints[fields.constraint];
    if (specific) return specific(fields, error);
  }
  if (fields) {
    const details = { sqlstate: fields.code, constraint: fields.constraint, table: fields.table };
    const where = fields.constraint ? ` (constraint ${fields.constraint})` : '';
    switch (fields.code) {
      case '23505':
        return new ConflictError(`A record with the same value already exists${where}: ${fields.detail ?? fields.message}`, {
          cause: error,
          details,
        });
      case '23503':
        if (fields.detail?.includes('is still referenced')) {
          return new ConflictError(`The record is still in use${where}: ${fields.detail}`, { cause: error, details });
        }
        return new NotFoundError(`A referenced record does not exist${where}: ${fields.detail ?? fields.message}`, {
          cause: error,
          details,
        });
      case '23514':
      case '23502':
      case '23P01':
        return new InvalidInputError(`The database rejected the value${where}: ${fields.message}`, {
          cause: error,
          details,
        });
      case '40001':
      case '40P01':
        return new UpstreamError(`The database aborted the transaction, try again: ${fields.message}`, {
          cause: error,
          details,
        });
      default:
        break;
    }
    if (fields.code.startsWith('22')) {
      return new InvalidInputError(`The database rejected the value: ${fields.message}`, { cause: error, details });
    }
  }
  if (isConnectionError(error)) {
    return new UpstreamError(`The database could not be reached: ${describeCause(error)}`, { cause: error });
  }
  return new UpstreamError(`Database query failed: ${describeCause(error)}`, {
    cause: error,
    retryable: false,
    details: fields ? { sqlstate: fields.code } : {},
  });
}

/** A short, password-free description of a driver error. */
export function describeCause(error: unknown): string {
  if (error instanceof AggregateError) {
    const inner = error.errors.map(describeCause).filter((text) => text !== '');
    return inner.length > 0 ? [...new Set(inner)].join('; ') : error.message;
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (error.message) return error.message;
    return typeof code === 'string' ? code : error.name;
  }
  return String(error);
}
