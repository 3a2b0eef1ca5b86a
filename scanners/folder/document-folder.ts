import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { compareNaturally } from './natural-order.ts';
import { SIDECAR_NAMES } from './item-sidecar.ts';

/** The marker a scanner operator (or the scanning software) drops to say the document is complete. */
export const DONE_MARKERS = ['done', 'DONE', 'done.txt', 'DONE.txt', '.done'] as const;

/** Files of a document folder that are never pages. */
const NOT_PAGES = new Set<string>([
  ...DONE_MARKERS,
  ...SIDECAR_NAMES,
  'REASON.txt',
  'receipt.json',
  'Thumbs.db',
  'desktop.ini',
]);

/** What a document folder holds right now. */
export interface DocumentFolderListing {
  folder: string;
  /** Page files in reading (natural) order; every other file is a page candidate, so a wrong format is reported, not ignored. */
  pages: string[];
  /** Names of every entry, for the sidecar lookup. */
  names: string[];
  doneMarker: boolean;
}

/** Lists a document folder. Hidden files (scanner temp files such as `.~scan.tif`) and sub-folders are left out. */
export async function listDocumentFolder(folder: string): Promise<DocumentFolderListing> {
  const entries = await readdir(folder, { withFileTypes: true });
  const names = entries.map((entry) => entry.name);
  const pages = entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && !NOT_PAGES.has(entry.name) && !entry.name.endsWith('.part'))
    .map((entry) => entry.name)
    .sort(compareNaturally);
  return { folder, pages, names, doneMarker: names.some((name) => (DONE_MARKERS as readonly string[]).includes(name)) };
}

/** Where the station files folders it has finished with, inside the hot folder. */
export const OUTCOME_FOLDERS = { done: 'done', rejected: 'rejected' } as const;

/** The document folders waiting in a hot folder: its sub-folders except the outcome folders and hidden ones. */
export async function listDocumentFolders(hotFolder: string): Promise<string[]> {
  const entries = await readdir(hotFolder, { withFileTypes: true });
  const outcomes = new Set<string>(Object.values(OUTCOME_FOLDERS));
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !outcomes.has(entry.name))
    .map((entry) => path.join(hotFolder, entry.name))
    .sort(compareNaturally);
}
