import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { StationError } from '../station-error.ts';

export const DOCUMENT_STATUSES = ['queued', 'uploading', 'done', 'rejected'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

const fileState = z.object({
  name: z.string(),
  size: z.number(),
  sha256: z.string(),
  /** The tus upload's address once the server made it: a restart continues it instead of sending the file again. */
  uploadUrl: z.string().optional(),
  uploaded: z.boolean(),
  /** The pages the server made of this file. */
  pageIds: z.array(z.string()).optional(),
});

const documentState = z.object({
  id: z.string(),
  /** The document folder's absolute path when it was taken. */
  source: z.string(),
  /** The hot folder it came from, for the done/ and rejected/ folders (the one-off `upload` has none). */
  hotFolder: z.string().optional(),
  name: z.string(),
  status: z.enum(DOCUMENT_STATUSES),
  profile: z.string(),
  item: z.object({ id: z.string(), identifier: z.string() }).optional(),
  files: z.array(fileState),
  /** The pages the server made of the whole document: set once its uploads were added. */
  pageIds: z.array(z.string()).optional(),
  processed: z.boolean(),
  attempts: z.number(),
  lastError: z.string().optional(),
  nextAttemptAt: z.string().optional(),
  /** Where the folder went (done/… or rejected/…). */
  destination: z.string().optional(),
  queuedAt: z.string(),
  updatedAt: z.string(),
});

const stationState = z.object({ version: z.literal(1), documents: z.record(z.string(), documentState) });

export type FileState = z.infer<typeof fileState>;
export type DocumentState = z.infer<typeof documentState>;
export type StationState = z.infer<typeof stationState>;

/**
 * The station's memory across restarts: one small JSON file, replaced atomically (written
 * beside, fsynced, renamed) on every change, so a killed station finds either the old or the
 * new state, never half of one. Only one station process may use a state file: `lock()` takes
 * it, and takes over a lock whose process is gone (a station that was killed).
 */
export class StationStateFile {
  readonly file: string;
  #state: StationState = { version: 1, documents: {} };
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string) {
    this.file = file;
  }

  static async open(file: string): Promise<StationStateFile> {
    const store = new StationStateFile(path.resolve(file));
    await mkdir(path.dirname(store.file), { recursive: true });
    let text: string | undefined;
    try {
      text = await readFile(store.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== undefined) {
      const parsed = stationState.safeParse(safeJson(text));
      if (!parsed.success) throw new StationError(`The station state ${store.file} is damaged (${parsed.error.issues[0]?.message}); move it aside to start afresh`);
      store.#state = parsed.data;
    }
    return store;
  }

  /** Every document, oldest first. */
  documents(): DocumentState[] {
    return Object.values(this.#state.documents).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
  }

  get(id: string): DocumentState | undefined {
    return this.#state.documents[id];
  }

  /** The document taken from this folder and not finished yet (queued or uploading). */
  active(source: string): DocumentState | undefined {
    return this.documents().find((document) => document.source === source && (document.status === 'queued' || document.status === 'uploading'));
  }

  /** Adds a document taken from a folder and writes the file before returning. */
  async add(document: Omit<DocumentState, 'id' | 'queuedAt' | 'updatedAt'>): Promise<DocumentState> {
    const now = new Date().toISOString();
    const added: DocumentState = { ...document, id: randomUUID(), queuedAt: now, updatedAt: now };
    this.#state.documents[added.id] = added;
    await this.#save();
    return added;
  }

  /** Changes a document's state and writes the file before returning. */
  async update(id: string, change: (document: DocumentState) => void): Promise<DocumentState> {
    const document = this.#state.documents[id];
    if (document === undefined) throw new StationError(`No document ${id} in the station state`);
    change(document);
    document.updatedAt = new Date().toISOString();
    await this.#save();
    return document;
  }

  /**
   * Takes the state file for this process (`{file}.lock` holding the pid). Throws when another
   * living station holds it; a lock left by a dead process is taken over. Returns the release.
   */
  async lock(): Promise<() => Promise<void>> {
    const lockFile = `${this.file}.lock`;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const handle = await open(lockFile, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        return () => rm(lockFile, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
        if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
          throw new StationError(`Another station (process ${holder}) is using ${this.file}; stop it first or give another --state file`);
        }
        await rm(lockFile, { force: true });
      }
    }
    throw new StationError(`Could not lock ${this.file}`);
  }

  #save(): Promise<void> {
    // Writes are serialised: each writes the whole state as it is when its turn comes.
    this.#writing = this.#writing.then(() => writeAtomically(this.file, `${JSON.stringify(this.#state, null, 2)}\n`));
    return this.#writing;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${randomUUID()}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
