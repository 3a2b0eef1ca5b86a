import { stat } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadStationProfile } from '../profiles/station-profile.ts';
import { StationStateFile } from '../state/station-state.ts';
import { DocumentIntake } from '../station/document-intake.ts';
import { HotFolderStation } from '../station/hot-folder-station.ts';
import { StationError } from '../station-error.ts';
import { statusListing } from '../terminal/status-listing.ts';
import { TerminalReporter } from '../terminal/terminal-reporter.ts';
import { DocumentUploader } from '../upload/document-uploader.ts';
import { ServerClient } from '../upload/server-client.ts';
import { USAGE, type StationCommand, type StationRunOptions } from './station-options.ts';

/** tus's pauses within one attempt after a dropped connection, before the offline queue takes over. */
const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10000];

export interface StationIo {
  out: Writable & { isTTY?: boolean };
  /** Structured technical log (pino JSON). */
  log: Writable;
  /** Aborted to stop `watch` (Ctrl-C) or a waiting `upload`. */
  signal: AbortSignal;
}

/** Runs one station command; resolves with the process exit code (0 fine, 1 a document was rejected). */
export async function runStationCommand(command: StationCommand, io: StationIo): Promise<number> {
  switch (command.command) {
    case 'help':
      io.out.write(USAGE);
      return 0;
    case 'status': {
      const state = await StationStateFile.open(command.statePath);
      io.out.write(statusListing(state.documents()));
      return 0;
    }
    case 'watch':
      await requireFolder(command.hotFolder);
      return withStation(command.options, io, command.hotFolder, async (station) => {
        io.out.write(`Trạm đang theo dõi ${command.hotFolder} (máy chủ ${command.options.server}); Ctrl-C để dừng.\n`);
        await station.run(io.signal);
        return 0;
      });
    case 'upload':
      for (const folder of command.folders) await requireFolder(folder);
      return withStation(command.options, io, undefined, async (station, intake, state) => {
        for (const folder of command.folders) if (state.active(folder) === undefined) await intake.takeNow(folder);
        await station.drain(io.signal);
        const latest = (folder: string) => state.documents().filter((entry) => entry.source === folder).at(-1)?.status;
        return command.folders.some((folder) => latest(folder) === 'rejected') ? 1 : 0;
      });
  }
}

async function withStation(
  options: StationRunOptions,
  io: StationIo,
  hotFolder: string | undefined,
  use: (station: HotFolderStation, intake: DocumentIntake, state: StationStateFile) => Promise<number>,
): Promise<number> {
  const profile = await loadStationProfile(options.profile);
  const state = await StationStateFile.open(options.statePath);
  const release = await state.lock();
  try {
    const logger = pino({ level: options.logLevel, base: { component: 'station' } }, io.log);
    const reporter = new TerminalReporter(io.out);
    const client = new ServerClient({ baseUrl: options.server, token: options.token });
    const intake = new DocumentIntake({ profile, state, reporter, stableMs: options.stableMs, quietMs: options.quietMs });
    const uploader = new DocumentUploader({
      client,
      state,
      defaultCollectionId: options.collectionId,
      parallel: options.parallel,
      chunkSize: options.chunkBytes,
      retryDelays: RETRY_DELAYS_MS,
      process: options.process,
      keepFolders: options.keepFolders,
      onProgress: (document, sent, total) => reporter.uploadProgress(document.name, sent, total),
    });
    const station = new HotFolderStation({ hotFolder, intake, uploader, state, reporter, logger, pollMs: options.pollMs, maxRetryMs: options.maxRetryMs });
    return await use(station, intake, state);
  } finally {
    await release();
  }
}

async function requireFolder(folder: string): Promise<void> {
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) throw new StationError(`${folder} is not a folder`);
}
