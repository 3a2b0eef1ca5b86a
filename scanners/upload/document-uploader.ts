import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { listDocumentFolder, OUTCOME_FOLDERS } from '../folder/document-folder.ts';
import { readItemReference } from '../folder/item-sidecar.ts';
import type { DocumentState, FileState, StationStateFile } from '../state/station-state.ts';
import { moveFolderInto } from '../station/move-folder.ts';
import { uploadFileResumably, uploadIdOf } from './resumable-file-upload.ts';
import type { ServerClient } from './server-client.ts';
import { DocumentRefusedError, ServerRefusedError, ServerUnavailableError } from './server-errors.ts';

export interface DocumentUploaderOptions {
  client: ServerClient;
  state: StationStateFile;
  /** Collection of documents whose folder names only an identifier. */
  defaultCollectionId?: string;
  /** Files of one document sent at once. */
  parallel: number;
  chunkSize: number;
  /** tus's own pauses after a dropped connection within one attempt. */
  retryDelays: number[];
  /** Start processing on the server once the pages are there. */
  process: boolean;
  /** Leave finished folders where they are instead of moving them to done/. */
  keepFolders: boolean;
  onProgress: (document: DocumentState, sentBytes: number, totalBytes: number) => void;
}

/** What a finished document's folder holds as proof of delivery. */
export interface UploadReceipt {
  document: string;
  server: string;
  item: { id: string; identifier: string };
  pages: { file: string; size: number; sha256: string; pageIds: string[] }[];
  pageIds: string[];
  processingStarted: boolean;
  finishedAt: string;
}

/**
 * Delivers one queued document, step by step, each step recorded in the station state before
 * the next, so that a station killed anywhere resumes where it was without sending a file or
 * making a page twice:
 * 1. find or register the item;
 * 2. send the files over tus, a few at a time (an interrupted file continues from the server's offset);
 * 3. add all uploads to the item in reading order (idempotent on the server);
 * 4. start processing;
 * 5. write `receipt.json` and move the folder to `done/`.
 * Throws `ServerUnavailableError` (try later) or `DocumentRefusedError` (the document cannot go).
 */
export class DocumentUploader {
  readonly #options: DocumentUploaderOptions;

  constructor(options: DocumentUploaderOptions) {
    this.#options = options;
  }

  async deliver(queued: DocumentState): Promise<{ document: DocumentState; receipt: UploadReceipt }> {
    const { client, state } = this.#options;
    let document = queued;
    if (document.item === undefined) {
      const listing = await listDocumentFolder(document.source);
      const item = await client.resolveItem(await readItemReference(document.source, listing.names), this.#options.defaultCollectionId);
      document = await state.update(document.id, (entry) => {
        entry.item = { id: item.id, identifier: item.identifier };
        entry.status = 'uploading';
      });
    }
    const itemId = document.item!.id;

    // The pages the server made are the proof the uploads were added; until then they are sent and added.
    if (document.pageIds === undefined) {
      await this.#sendFiles(document, itemId);
      document = state.get(document.id)!;
      document = await this.#addPages(document, itemId);
    }
    if (this.#options.process && !document.processed) {
      await client.processItem(itemId);
      document = await state.update(document.id, (entry) => {
        entry.processed = true;
      });
    }
    const receipt = this.#receipt(document);
    await writeFile(path.join(document.source, 'receipt.json'), `${JSON.stringify(receipt, null, 2)}\n`);
    const destination =
      this.#options.keepFolders || document.hotFolder === undefined
        ? undefined
        : await moveFolderInto(document.source, path.join(document.hotFolder, OUTCOME_FOLDERS.done));
    document = await state.update(document.id, (entry) => {
      entry.status = 'done';
      entry.destination = destination;
      entry.lastError = undefined;
      entry.nextAttemptAt = undefined;
    });
    return { document, receipt };
  }

  /** Sends every file not yet on the server, `parallel` at a time. */
  async #sendFiles(document: DocumentState, itemId: string): Promise<void> {
    const total = document.files.reduce((sum, file) => sum + file.size, 0);
    const sent = new Map(document.files.map((file) => [file.name, file.uploaded ? file.size : 0]));
    const report = () => this.#options.onProgress(document, [...sent.values()].reduce((sum, value) => sum + value, 0), total);
    report();
    const waiting = document.files.filter((file) => !file.uploaded);
    const worker = async () => {
      for (let file = waiting.shift(); file !== undefined; file = waiting.shift()) {
        await this.#sendFile(document, itemId, file, (bytes) => {
          sent.set(file.name, bytes);
          report();
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#options.parallel, waiting.length) }, worker));
  }

  async #sendFile(document: DocumentState, itemId: string, file: FileState, onSent: (bytes: number) => void): Promise<void> {
    const { client, state } = this.#options;
    const local = path.join(document.source, file.name);
    const now = await stat(local).catch(() => undefined);
    if (now === undefined || now.size !== file.size) {
      throw new DocumentRefusedError(`"${file.name}" changed or disappeared after it was checked; check the document again`);
    }
    const url = await uploadFileResumably({
      endpoint: client.uploadEndpoint,
      headers: client.headers,
      file: local,
      metadata: { itemId, filename: file.name, sha256: file.sha256 },
      uploadUrl: file.uploadUrl,
      chunkSize: this.#options.chunkSize,
      retryDelays: this.#options.retryDelays,
      onUploadUrl: async (uploadUrl) => {
        await state.update(document.id, (entry) => {
          entryFile(entry, file.name).uploadUrl = uploadUrl;
        });
      },
      onProgress: (bytes) => onSent(bytes),
    });
    await state.update(document.id, (entry) => {
      const stored = entryFile(entry, file.name);
      stored.uploadUrl = url;
      stored.uploaded = true;
    });
  }

  /**
   * Adds the uploads as pages in reading order. An upload the server no longer has (expired
   * while the station was off) sends its files again next time; the server recognises pages it
   * already made by their sha256, so none is made twice.
   */
  async #addPages(document: DocumentState, itemId: string): Promise<DocumentState> {
    const uploads = document.files.map((file) => ({ id: uploadIdOf(file.uploadUrl!), sha256: file.sha256 }));
    try {
      const added = await this.#options.client.addUploads(itemId, uploads);
      return await this.#options.state.update(document.id, (entry) => {
        entry.files.forEach((file, index) => {
          file.pageIds = added.files[index]?.pageIds;
        });
        entry.pageIds = added.pageIds;
      });
    } catch (error) {
      if (error instanceof ServerRefusedError && error.status === 404) {
        await this.#options.state.update(document.id, (entry) => {
          for (const file of entry.files) {
            file.uploaded = false;
            file.uploadUrl = undefined;
          }
        });
        throw new ServerUnavailableError(`the server no longer has the uploads of ${document.name} (expired?): they will be sent again`, { cause: error });
      }
      throw error;
    }
  }

  #receipt(document: DocumentState): UploadReceipt {
    return {
      document: document.name,
      server: this.#options.client.baseUrl,
      item: document.item!,
      pages: document.files.map((file) => ({ file: file.name, size: file.size, sha256: file.sha256, pageIds: file.pageIds ?? [] })),
      pageIds: document.pageIds ?? [],
      processingStarted: document.processed,
      finishedAt: new Date().toISOString(),
    };
  }
}

function entryFile(entry: DocumentState, name: string): FileState {
  const found = entry.files.find((file) => file.name === name);
  if (found === undefined) throw new Error(`file ${name} is not part of document ${entry.name}`);
  return found;
}
