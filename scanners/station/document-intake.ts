import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkDocument, type DocumentProblem } from '../checks/check-document.ts';
import { checkPage, type PageProblem } from '../checks/check-page.ts';
import { rejectionReport } from '../checks/describe-problem.ts';
import { inspectPage, type PageInspection } from '../checks/inspect-page.ts';
import { listDocumentFolder, listDocumentFolders, OUTCOME_FOLDERS } from '../folder/document-folder.ts';
import { FileStabilityTracker } from '../folder/file-stability.ts';
import type { StationProfile } from '../profiles/station-profile.ts';
import type { StationStateFile } from '../state/station-state.ts';
import { moveFolderInto } from './move-folder.ts';
import type { StationReporter } from './station-reporter.ts';

export interface DocumentIntakeOptions {
  profile: StationProfile;
  state: StationStateFile;
  reporter: StationReporter;
  /** A file is taken once its size and modification time have not changed for this long. */
  stableMs: number;
  /** A document without a `done` marker is taken after this long without any change; 0 waits for the marker. */
  quietMs: number;
  clock?: () => number;
}

interface CheckedPage {
  size: number;
  mtimeMs: number;
  inspection: PageInspection;
  problems: PageProblem[];
}

/**
 * The hot folder's side of the station: watches document folders fill, checks each page as
 * soon as it is complete (and reports it at once, while the book is still on the scanner), and
 * when a document is complete — a `done` marker, or a quiet period — either queues it for
 * upload in the station state or moves it to `rejected/` with a REASON.txt in Vietnamese.
 * Nothing is ever deleted.
 */
export class DocumentIntake {
  readonly #options: DocumentIntakeOptions;
  readonly #tracker: FileStabilityTracker;
  readonly #checked = new Map<string, CheckedPage>();
  readonly #clock: () => number;

  constructor(options: DocumentIntakeOptions) {
    this.#options = options;
    this.#tracker = new FileStabilityTracker(options.stableMs);
    this.#clock = options.clock ?? Date.now;
  }

  /** One look at every document folder of the hot folder. */
  async scan(hotFolder: string): Promise<void> {
    for (const folder of await listDocumentFolders(hotFolder)) {
      if (this.#options.state.active(folder) !== undefined) continue;
      await this.#look(hotFolder, folder);
    }
  }

  /**
   * Checks a folder as it is now, without waiting for files to settle (the one-off `upload`
   * command: the operator says the folder is complete). Queues it or rejects it in place.
   */
  async takeNow(folder: string): Promise<'queued' | 'rejected'> {
    const listing = await listDocumentFolder(folder);
    const pages = [];
    for (const name of listing.pages) pages.push(await this.#check(folder, name, await stat(path.join(folder, name))));
    return this.#decide(undefined, folder, listing.pages, pages);
  }

  async #look(hotFolder: string, folder: string): Promise<void> {
    let listing;
    try {
      listing = await listDocumentFolder(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const pages: CheckedPage[] = [];
    // The marker and the sidecar must settle too: a folder that was just made is still being filled.
    let settled = await this.#settled(folder, listing.names.filter((name) => !listing.pages.includes(name)));
    for (const name of listing.pages) {
      const file = path.join(folder, name);
      const info = await stat(file).catch(() => undefined);
      // An empty page file is a scan that has not started writing yet.
      if (info === undefined || !this.#observe(file, info) || info.size === 0) {
        settled = false;
        continue;
      }
      pages.push(await this.#check(folder, name, info));
    }
    if (!settled) return;
    const now = this.#clock();
    const lastChange = this.#tracker.lastChange(listing.names.map((name) => path.join(folder, name))) ?? now;
    const quiet = this.#options.quietMs > 0 && listing.pages.length > 0 && now - lastChange >= this.#options.quietMs;
    if (!listing.doneMarker && !quiet) return;
    await this.#decide(hotFolder, folder, listing.pages, pages);
  }

  /** Whether these entries (files that are not pages: the marker, the sidecar) have stopped changing. */
  async #settled(folder: string, names: readonly string[]): Promise<boolean> {
    let settled = true;
    for (const name of names) {
      const info = await stat(path.join(folder, name)).catch(() => undefined);
      if (info === undefined || !info.isFile()) continue;
      if (!this.#observe(path.join(folder, name), info)) settled = false;
    }
    return settled;
  }

  /**
   * One look at a file, timed when its stat came back: checking the pages before it can take
   * seconds, and a look timed at the start of the folder's turn would date a change made
   * meanwhile too early, so a file still being written could count as settled.
   */
  #observe(file: string, info: { size: number; mtimeMs: number }): boolean {
    return this.#tracker.observe(file, info, this.#clock());
  }

  /** The page's check, made once per version of the file and reported when made. */
  async #check(folder: string, name: string, info: { size: number; mtimeMs: number }): Promise<CheckedPage> {
    const file = path.join(folder, name);
    const known = this.#checked.get(file);
    if (known !== undefined && known.size === info.size && known.mtimeMs === info.mtimeMs) return known;
    const inspection = await inspectPage(file);
    const checked = { size: info.size, mtimeMs: info.mtimeMs, inspection, problems: checkPage(inspection, this.#options.profile) };
    this.#checked.set(file, checked);
    this.#options.reporter.pageChecked(path.basename(folder), name, checked.problems);
    return checked;
  }

  async #decide(hotFolder: string | undefined, folder: string, names: string[], pages: CheckedPage[]): Promise<'queued' | 'rejected'> {
    const { profile, state, reporter } = this.#options;
    const name = path.basename(folder);
    const documentProblems: DocumentProblem[] = checkDocument(pages.map((page) => page.inspection));
    const pageProblems = names.map((page, index) => ({ name: page, problems: pages[index]!.problems }));
    if (documentProblems.length > 0 || pageProblems.some((page) => page.problems.length > 0)) {
      const report = rejectionReport({ folder: name, profile, pages: pageProblems, document: documentProblems, at: new Date(this.#clock()) });
      const destination = await this.#reject(hotFolder, folder, report);
      await state.add({
        source: folder,
        hotFolder,
        name,
        status: 'rejected',
        profile: profile.name,
        files: [],
        processed: false,
        attempts: 0,
        destination,
      });
      reporter.documentRejected(name, destination, documentProblems);
      return 'rejected';
    }
    await state.add({
      source: folder,
      hotFolder,
      name,
      status: 'queued',
      profile: profile.name,
      files: pages.map((page, index) => ({ name: names[index]!, size: page.size, sha256: page.inspection.sha256, uploaded: false })),
      processed: false,
      attempts: 0,
    });
    this.forget(folder);
    reporter.documentQueued(name, pages.length);
    return 'queued';
  }

  /** REASON.txt into the folder, then the folder into `rejected/` (one-off uploads stay where they are). */
  async #reject(hotFolder: string | undefined, folder: string, report: string): Promise<string> {
    await writeFile(path.join(folder, 'REASON.txt'), report);
    this.forget(folder);
    return hotFolder === undefined ? folder : moveFolderInto(folder, path.join(hotFolder, OUTCOME_FOLDERS.rejected));
  }

  /** Drops what is remembered about a folder the station has finished with. */
  forget(folder: string): void {
    this.#tracker.forgetUnder(folder + path.sep);
    for (const file of this.#checked.keys()) if (file.startsWith(folder + path.sep)) this.#checked.delete(file);
  }
}
