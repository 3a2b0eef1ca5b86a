/** What a file looked like when last seen, and since when it has looked so. */
interface Observation {
  size: number;
  mtimeMs: number;
  /** Clock time (ms) of the first look at this size and modification time. */
  since: number;
}

/**
 * Decides when a file the scanner software is writing is finished: only once its size and
 * modification time have stayed the same for `stableMs`. Scanner drivers write large TIFFs in
 * bursts with pauses, so "the file exists" or "it opened" says nothing. Pure bookkeeping: the
 * caller supplies the stats and the clock.
 */
export class FileStabilityTracker {
  readonly #stableMs: number;
  readonly #seen = new Map<string, Observation>();

  constructor(stableMs: number) {
    this.#stableMs = stableMs;
  }

  /** Records a look at `file`; true when it has not changed for `stableMs`. */
  observe(file: string, stat: { size: number; mtimeMs: number }, now: number): boolean {
    const previous = this.#seen.get(file);
    if (previous === undefined || previous.size !== stat.size || previous.mtimeMs !== stat.mtimeMs) {
      this.#seen.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, since: now });
      return false;
    }
    return now - previous.since >= this.#stableMs;
  }

  /** The latest change seen among these files (clock ms), or undefined when none was observed. */
  lastChange(files: Iterable<string>): number | undefined {
    let latest: number | undefined;
    for (const file of files) {
      const since = this.#seen.get(file)?.since;
      if (since !== undefined && (latest === undefined || since > latest)) latest = since;
    }
    return latest;
  }

  /** Stops tracking files under a folder that was taken away (uploaded or rejected). */
  forgetUnder(folder: string): void {
    for (const file of this.#seen.keys()) if (file.startsWith(folder)) this.#seen.delete(file);
  }
}
