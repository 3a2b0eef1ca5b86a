import type { CorrectionPipeline } from '../../repository/index.ts';
import type { JobQueue } from '../queue/job-queue.port.ts';
import { packageJobId, type PipelineJobs } from '../jobs/pipeline-jobs.ts';
import { correctedHocr } from './corrected-hocr.ts';
import { cropCharacter } from './crop-character.ts';

/** What the correction editor asks of the pipeline: hOCR, character crops, and packaging queued again on `queue`. */
export function queueCorrectionPipeline(queue: JobQueue<PipelineJobs>): CorrectionPipeline {
  return {
    buildHocr: (page, previous) => correctedHocr(page, previous),
    cropCharacter,
    // The same packaging job (and dedup id) the pipeline queues once every page is done.
    repackage: (itemId) => queue.addFlow({ name: 'package-item', payload: { itemId }, jobId: packageJobId(itemId) }, []),
  };
}
