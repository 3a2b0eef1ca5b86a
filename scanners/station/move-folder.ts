import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Moves a document folder into `outcomeFolder` (done/ or rejected/) under its own name, or
 * `name-2`, `name-3`… when a folder of that name is already there. A rename on one filesystem:
 * the folder is either here or there, never half copied. Returns the new path.
 */
export async function moveFolderInto(folder: string, outcomeFolder: string): Promise<string> {
  await mkdir(outcomeFolder, { recursive: true });
  const name = path.basename(folder);
  for (let suffix = 1; ; suffix += 1) {
    const target = path.join(outcomeFolder, suffix === 1 ? name : `${name}-${suffix}`);
    if (await exists(target)) continue;
    await rename(folder, target);
    return target;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
