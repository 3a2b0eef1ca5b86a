import { setTimeout as sleep } from 'node:timers/promises';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { OUTCOME_FOLDERS } from '../folder/document-folder.ts';
import type { DocumentState, StationStateFile } from '../state/station-state.ts';
import type { DocumentUploader } from '../upload/document-uploader.ts';
import { ServerRefusedError, ServerUnavailableError } from '../upload/server-errors.ts';
import { StationError } from '../station-error.ts';
import type { DocumentIntake } from './document-intake.ts';
import { moveFolderInto } from './move-folder.ts';
import { refusalReport } from './refusal-report.ts';
import type { StationReporter } from './station-reporter.ts';

export interface HotFolderStationOptions {
  /** Watched folder; undefined for the one-off `upload` (no scanning, folders stay in place). */
  hotFolder?: string;
  intake: DocumentIntake;
  uploader: DocumentUploader;
  state: StationStateFile;
  reporter: StationReporter;
  logger: Logger;
  /** Pause between two looks at the hot folder, and of the upload queue when it is empty. */
  pollMs: number;
  /** Longest wait before trying an unreachable server again (the wait doubles from 1 s up to this). */
  maxRetryMs: number;
}

/**
 * The station's two loops, side by side so that checking new scans never waits for an upload:
 * the intake looks at the hot folder every `pollMs`; the upload queue sends queued documents
 * one at a time, oldest first. While the server is unreachable documents stay queued (the
 * offline queue), each retried after a growing pause, and scanning goes on. A document the
 * server refuses goes to `rejected/` with the reason.
 */
export class HotFolderStation {
  readonly #options: HotFolderStationOptions;

  constructor(options: HotFolderStationOptions) {
    this.#options = options;
  }

  /** Runs both loops until `signal` aborts (the upload in flight is abandoned; it resumes next start). */
  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.#scanLoop(signal), this.#uploadLoop(signal, false)]);
  }

  /** Sends every queued document, waiting out an unreachable server; returns when the queue is empty. */
  async drain(signal: AbortSignal): Promise<void> {
    await this.#uploadLoop(signal, true);
  }

  async #scanLoop(signal: AbortSignal): Promise<void> {
    const { hotFolder, intake, pollMs, logger } = this.#options;
    if (hotFolder === undefined) return;
    while (!signal.aborted) {
      try {
        await intake.scan(hotFolder);
      } catch (error) {
        logger.error({ err: error, hotFolder }, 'looking at the hot folder failed; trying again');
      }
      await pause(pollMs, signal);
    }
  }

  async #uploadLoop(signal: AbortSignal, untilEmpty: boolean): Promise<void> {
    const { state, pollMs } = this.#options;
    while (!signal.aborted) {
      const waiting = state.documents().filter((document) => document.status === 'queued' || document.status === 'uploading');
      if (untilEmpty && waiting.length === 0) return;
      const now = Date.now();
      const next = waiting.find((document) => document.nextAttemptAt === undefined || Date.parse(document.nextAttemptAt) <= now);
      if (next === undefined) {
        await pause(pollMs, signal);
        continue;
      }
      await this.#deliver(next);
    }
  }

  async #deliver(document: DocumentState): Promise<void> {
    const { uploader, state, reporter, logger, maxRetryMs } = this.#options;
    try {
      const { document: done, receipt } = await uploader.deliver(document);
      reporter.documentDone(done.name, receipt.pageIds, done.destination);
      logger.info({ document: done.name, item: receipt.item, pages: receipt.pageIds.length }, 'document delivered');
    } catch (error) {
      // Every station error but an unreachable server means the document cannot go as it is (DocumentRefusedError among them).
      if (error instanceof StationError && !(error instanceof ServerUnavailableError)) {
        await this.#refuse(document, error);
        return;
      }
      // Unreachable server, or something unexpected on this machine (logged as an error): try again later.
      const attempts = document.attempts + 1;
      const retryAt = new Date(Date.now() + Math.min(maxRetryMs, 1000 * 2 ** (attempts - 1)));
      const message = error instanceof Error ? error.message : String(error);
      await state.update(document.id, (entry) => {
        entry.attempts = attempts;
        entry.lastError = message;
        entry.nextAttemptAt = retryAt.toISOString();
      });
      reporter.serverUnavailable(document.name, message, retryAt);
      if (error instanceof ServerUnavailableError) logger.warn({ document: document.name, attempts, retryAt, err: error }, 'server unavailable; the document stays queued');
      else logger.error({ document: document.name, attempts, retryAt, err: error }, 'delivering the document failed; it stays queued');
    }
  }

  /** A document that cannot go: REASON.txt, the folder to rejected/, the state says why. */
  async #refuse(document: DocumentState, error: StationError): Promise<void> {
    const { state, reporter, logger } = this.#options;
    const reason = error instanceof ServerRefusedError ? `máy chủ từ chối: ${error.serverMessage}` : error.message;
    await writeFile(path.join(document.source, 'REASON.txt'), refusalReport({ folder: document.name, reason, detail: error.message, at: new Date() }));
    const destination =
      document.hotFolder === undefined ? document.source : await moveFolderInto(document.source, path.join(document.hotFolder, OUTCOME_FOLDERS.rejected));
    await state.update(document.id, (entry) => {
      entry.status = 'rejected';
      entry.lastError = error.message;
      entry.destination = destination;
      entry.nextAttemptAt = undefined;
    });
    reporter.documentRejected(document.name, destination, [], reason);
    logger.warn({ document: document.name, err: error }, 'document refused');
  }
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // Aborted: the loop ends.
  }
}
