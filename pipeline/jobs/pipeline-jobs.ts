import type { PageStage } from '../../repository/index.ts';

/** Every job the pipeline runs, by name, with its payload. */
export interface PipelineJobs {
  /** Runs a page's stages from `fromStage` (default: the first one not done) to the end. */
  'process-page': { pageId: string; fromStage?: PageStage };
  /** Once every page has finished: searchable PDF, IIIF manifest, item marked digitised (or failed). */
  'package-item': { itemId: string };
}

export type PipelineJobName = keyof PipelineJobs;

export const PIPELINE_JOB_NAMES = ['process-page', 'package-item'] as const satisfies readonly PipelineJobName[];

/** Deduplication ids: one pending job per page and per item at a time. */
export const pageJobId = (pageId: string) => `page.${pageId}`;
export const packageJobId = (itemId: string) => `package.${itemId}`;
