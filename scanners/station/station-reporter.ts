import type { DocumentProblem } from '../checks/check-document.ts';
import type { PageProblem } from '../checks/check-page.ts';

/** What the station tells its operator, as it happens. The terminal view is one implementation; tests record the calls. */
export interface StationReporter {
  /** A page finished arriving and was checked (no problems: it is good). */
  pageChecked(document: string, page: string, problems: readonly PageProblem[]): void;
  /** The document failed its checks or was refused; its folder is now `destination` with REASON.txt. */
  documentRejected(document: string, destination: string, problems: readonly DocumentProblem[], reason?: string): void;
  /** The document passed its checks and waits for upload. */
  documentQueued(document: string, pages: number): void;
  uploadProgress(document: string, sentBytes: number, totalBytes: number): void;
  /** The document's pages are on the server; `destination` is where its folder went (undefined: kept in place). */
  documentDone(document: string, pageIds: readonly string[], destination: string | undefined): void;
  /** The server cannot be reached; queued documents wait and are tried again at `retryAt`. */
  serverUnavailable(document: string, message: string, retryAt: Date): void;
}
