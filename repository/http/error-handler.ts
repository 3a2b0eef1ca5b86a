import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { isAppError, type ErrorCode } from '../../storage/index.ts';

/** The one table from error codes to HTTP statuses. */
export const statusByErrorCode: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  CHECKSUM_MISMATCH: 422,
  TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  TOO_MANY_REQUESTS: 429,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UPSTREAM: 503,
  CONFIGURATION: 500,
};

export interface ErrorBody {
  error: { code: string; message: string };
}

/**
 * Errors raised by express itself carry a 4xx `status`: its body parsers add `type`, its
 * router's `URIError` for a malformed `%` in a path has none.
 */
interface HttpParserError {
  status: number;
  type?: string;
  expose?: boolean;
  message: string;
}

function isParserError(error: unknown): error is HttpParserError {
  if (typeof error !== 'object' || error === null) return false;
  const { status, type, expose } = error as HttpParserError;
  return typeof status === 'number' && (typeof type === 'string' || expose === true || error instanceof URIError);
}

export const notFoundHandler: RequestHandler = (req, res) => {
  const body: ErrorBody = { error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${req.path}` } };
  res.status(404).json(body);
};

/**
 * Maps thrown errors to statuses and JSON bodies. Messages of our own errors are meant
 * for the caller; anything else is logged in full and answered with a generic 500 so
 * that no stack trace or internal detail leaks.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    let status = 500;
    let body: ErrorBody = { error: { code: 'INTERNAL', message: 'Internal error; the details are in the server log.' } };
    if (isAppError(error)) {
      status = statusByErrorCode[error.code];
      body = { error: { code: error.code, message: error.message } };
      if (typeof error.details.retryAfterSeconds === 'number') res.set('Retry-After', String(error.details.retryAfterSeconds));
    } else if (isParserError(error) && error.status >= 400 && error.status < 500) {
      status = error.status;
      body = { error: { code: error.type === 'entity.too.large' ? 'TOO_LARGE' : 'INVALID_INPUT', message: error.message } };
    }
    const log = req.log ?? logger;
    if (status >= 500) log.error({ err: error }, 'request failed');
    else log.info({ code: body.error.code, status }, body.error.message);
    res.status(status).json(body);
  };
}
