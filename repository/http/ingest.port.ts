import type { PageStage } from '../database/domain.types.ts';

/** A file received from an operator, spooled to local disk and hashed on the way. */
export interface ReceivedFile {
  /** Local temporary file; the receiver deletes it after the request. */
  path: string;
  /** Name the client gave; for messages only, never used as a storage key. */
  filename: string;
  size: number;
  sha256: string;
  /** Position the client asked for (single-image files only). */
  seq?: number;
}

export interface IngestedFile {
  filename: string;
  sha256: string;
  pageIds: string[];
  /** True when the item already had this file: no new page was made. */
  duplicate: boolean;
}

/**
 * What the operator API needs from the pipeline, implemented there and wired in by the entry
 * point (the repository must not import the pipeline).
 */
export interface PageIngest {
  /**
   * Checks the file's real type, stores it unchanged as a master, and creates its page or
   * pages (a multi-page TIFF gives several). A file the item already has returns the pages it
   * made before. Throws `InvalidInputError` for a type the pipeline never accepts.
   */
  ingest(itemId: string, file: ReceivedFile): Promise<IngestedFile>;
}

export interface ItemProcessing {
  /** Queues every page not yet done, then the item's packaging; returns how many pages were queued. */
  processItem(itemId: string): Promise<{ queuedPages: number }>;
  /** Re-runs one page from a stage (and the item's packaging after it). */
  reprocessPage(pageId: string, fromStage: PageStage): Promise<void>;
}
