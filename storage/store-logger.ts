/**
 * The little the stores log (retries, clean-ups): a pino logger fits, and so does any object
 * with a `warn(fields, message)` method (and optionally `info`). Without one, the stores stay silent.
 */
export interface StoreLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  info?(fields: Record<string, unknown>, message: string): void;
}
