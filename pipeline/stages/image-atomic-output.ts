import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `outPath` all or nothing: `write` fills a temporary file in the same directory
 * (same filesystem, so the rename is atomic), and only a write that completes — including any
 * checks `write` makes on the temporary file — is renamed over `outPath`. On failure the
 * temporary file is removed and the error rethrown; an existing `outPath` is left untouched.
 * A process killed mid-write leaves at most a hidden `.<name>.<uuid>.partial` file, never a
 * half-written `outPath`.
 *
 * The temporary name does not end in the real extension: writers must set the output format
 * explicitly (sharp's `.jpeg()` / `.tiff()`), never infer it from the file name.
 */
export async function writeAtomically<T>(outPath: string, write: (temporaryPath: string) => Promise<T>): Promise<T> {
  const directory = path.dirname(outPath);
  await mkdir(directory, { recursive: true });
  const temporaryPath = path.join(directory, `.${path.basename(outPath)}.${randomUUID()}.partial`);
  try {
    const result = await write(temporaryPath);
    await rename(temporaryPath, outPath);
    return result;
  } catch (error) {
    await rm(temporaryPath, { force: true });
    throw error;
  }
}
