import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The text layer of a PDF as poppler's `pdftotext` extracts it (what a reader's copy gives), NFC. */
export async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pdf-'));
  try {
    const file = path.join(dir, 'document.pdf');
    await writeFile(file, pdf);
    const { stdout } = await execFileAsync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    return stdout.normalize('NFC');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
