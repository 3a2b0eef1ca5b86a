/**
 * What the OCR engine logs (worker start-up, recognitions, worker failures). A pino logger
 * fits, and so does any object with these methods; without one the engine stays silent.
 */
export interface OcrLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  info?(fields: Record<string, unknown>, message: string): void;
  debug?(fields: Record<string, unknown>, message: string): void;
}
