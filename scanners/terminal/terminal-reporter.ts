import type { Writable } from 'node:stream';
import type { DocumentProblem } from '../checks/check-document.ts';
import type { PageProblem } from '../checks/check-page.ts';
import { describeDocumentProblem, describePageProblem } from '../checks/describe-problem.ts';
import type { StationReporter } from '../station/station-reporter.ts';

const BAR_WIDTH = 30;
const numbers = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });
const clock = new Intl.DateTimeFormat('vi-VN', { timeStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' });

/**
 * The station's terminal, in Vietnamese: one line per checked page (✓ or what is wrong),
 * per queued, rejected and delivered document, and a progress bar for the document being
 * uploaded — redrawn in place on a terminal, printed every 10 % into a log file or pipe.
 */
export class TerminalReporter implements StationReporter {
  readonly #out: Writable;
  readonly #interactive: boolean;
  /** The bar currently drawn on the last line (interactive only). */
  #bar: string | undefined;
  readonly #lastStep = new Map<string, number>();

  constructor(out: Writable & { isTTY?: boolean }) {
    this.#out = out;
    this.#interactive = out.isTTY === true;
  }

  pageChecked(document: string, page: string, problems: readonly PageProblem[]): void {
    if (problems.length === 0) this.#line(`✓ ${document}/${page}`);
    else this.#line(`✗ ${document}/${page}: ${problems.map(describePageProblem).join('; ')}`);
  }

  documentRejected(document: string, destination: string, problems: readonly DocumentProblem[], reason?: string): void {
    const why = [...problems.map(describeDocumentProblem), ...(reason === undefined ? [] : [reason])];
    this.#line(`✗ Tài liệu “${document}” bị trả lại → ${destination} (xem REASON.txt)${why.length > 0 ? `: ${why.join('; ')}` : ''}`);
  }

  documentQueued(document: string, pages: number): void {
    this.#line(`→ Tài liệu “${document}”: ${pages} trang đạt yêu cầu, đang chờ gửi`);
  }

  uploadProgress(document: string, sentBytes: number, totalBytes: number): void {
    const share = totalBytes === 0 ? 1 : Math.min(1, sentBytes / totalBytes);
    const filled = Math.round(share * BAR_WIDTH);
    const bar = `↑ ${document} [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${Math.floor(share * 100)}% (${megabytes(sentBytes)}/${megabytes(totalBytes)} MB)`;
    if (this.#interactive) {
      this.#bar = bar;
      this.#out.write(`\r\x1b[2K${bar}`);
      return;
    }
    const step = Math.floor(share * 10);
    if (this.#lastStep.get(document) === step) return;
    this.#lastStep.set(document, step);
    this.#line(bar);
  }

  documentDone(document: string, pageIds: readonly string[], destination: string | undefined): void {
    this.#bar = undefined;
    this.#lastStep.delete(document);
    this.#line(`✓ Tài liệu “${document}” đã gửi xong: ${pageIds.length} trang${destination === undefined ? '' : ` → ${destination}`}`);
  }

  serverUnavailable(document: string, message: string, retryAt: Date): void {
    this.#line(`! Chưa gửi được “${document}” (${message}); thử lại lúc ${clock.format(retryAt)}. Trạm vẫn nhận ảnh quét mới.`);
  }

  /** A full line; the progress bar, if any, is drawn again below it. */
  #line(text: string): void {
    if (this.#interactive && this.#bar !== undefined) this.#out.write(`\r\x1b[2K${text}\n${this.#bar}`);
    else this.#out.write(`${text}\n`);
  }
}

function megabytes(bytes: number): string {
  return numbers.format(bytes / 1024 / 1024);
}
