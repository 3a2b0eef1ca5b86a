/** The scan-station side: hot folder, station profiles, local pre-checks, resumable upload with an offline queue. Talks to the server over HTTP only. */
export { parseStationCommand, USAGE, type StationCommand, type StationRunOptions } from './cli/station-options.ts';
export { runStationCommand, type StationIo } from './cli/run-station-command.ts';
export { StationError } from './station-error.ts';
export { DocumentIntake, type DocumentIntakeOptions } from './station/document-intake.ts';
export { HotFolderStation, type HotFolderStationOptions } from './station/hot-folder-station.ts';
export type { StationReporter } from './station/station-reporter.ts';
export { StationStateFile, type DocumentState, type DocumentStatus, type FileState } from './state/station-state.ts';
export { DocumentUploader, type DocumentUploaderOptions, type UploadReceipt } from './upload/document-uploader.ts';
export { ServerClient, type ServerClientOptions } from './upload/server-client.ts';
export { DocumentRefusedError, ServerRefusedError, ServerUnavailableError } from './upload/server-errors.ts';
export { compareNaturally, sortNaturally } from './folder/natural-order.ts';
export { FileStabilityTracker } from './folder/file-stability.ts';
export { readItemReference, type ItemReference, type ItemMetadata } from './folder/item-sidecar.ts';
export { listDocumentFolder, listDocumentFolders, DONE_MARKERS, OUTCOME_FOLDERS } from './folder/document-folder.ts';
export { loadStationProfile, BUILT_IN_PROFILES, type StationProfile } from './profiles/station-profile.ts';
export { statusListing } from './terminal/status-listing.ts';
export { TerminalReporter } from './terminal/terminal-reporter.ts';
