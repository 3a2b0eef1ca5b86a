import { createReadStream } from 'node:fs';
import * as tus from 'tus-js-client';
import { ServerRefusedError, ServerUnavailableError, serverMessage } from './server-errors.ts';

export interface ResumableFileUploadOptions {
  /** `POST` here creates the upload (`…/api/uploads`). */
  endpoint: string;
  headers: Record<string, string>;
  file: string;
  /** Sent as tus metadata: the server checks `sha256` against the bytes it received. */
  metadata: { itemId: string; filename: string; sha256: string };
  /** An upload made before (and remembered across restarts): continued from the server's offset. */
  uploadUrl?: string;
  /** Bytes per PATCH request. */
  chunkSize: number;
  /** Pauses between attempts after a dropped connection before giving up on this run (the offline queue takes over). */
  retryDelays: number[];
  /** Called as soon as the server made the upload, before any byte is sent: remember it. */
  onUploadUrl: (url: string) => Promise<void> | void;
  onProgress: (sent: number, total: number) => void;
}

/**
 * Sends one page file over tus (`tus-js-client`), continuing a remembered upload when given
 * one: bytes the server already holds are not sent again. Resolves with the upload's address.
 * Rejects with `ServerUnavailableError` when the connection keeps failing past the retries, and
 * with `ServerRefusedError` when the server refuses the upload (4xx: too large, unknown
 * document).
 */
export function uploadFileResumably(options: ResumableFileUploadOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    let remembered: Promise<void> = Promise.resolve();
    const upload = new tus.Upload(createReadStream(options.file), {
      endpoint: options.endpoint,
      uploadUrl: options.uploadUrl ?? null,
      headers: options.headers,
      metadata: options.metadata,
      chunkSize: options.chunkSize,
      retryDelays: options.retryDelays,
      storeFingerprintForResuming: false,
      onUploadUrlAvailable: () => {
        remembered = Promise.resolve(options.onUploadUrl(upload.url!));
      },
      onProgress: options.onProgress,
      onError: (error) => {
        const status = (error as tus.DetailedError).originalResponse?.getStatus() ?? 0;
        if (status >= 400 && status < 500 && status !== 409 && status !== 423) {
          const body = (error as tus.DetailedError).originalResponse?.getBody() ?? '';
          reject(new ServerRefusedError(status, serverMessage(body), `upload ${options.metadata.filename}`));
        } else {
          reject(new ServerUnavailableError(`upload ${options.metadata.filename}: ${error.message}`, { cause: error }));
        }
      },
      onSuccess: () => {
        remembered.then(() => resolve(upload.url!), reject);
      },
    });
    upload.start();
  });
}

/** The upload id at the end of a tus upload address. */
export function uploadIdOf(url: string): string {
  return new URL(url).pathname.split('/').pop() ?? '';
}
