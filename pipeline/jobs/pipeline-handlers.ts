import type { JobHandlers } from '../queue/job-queue.port.ts';
import { packageItemJob } from './package-item.job.ts';
import type { PipelineDependencies } from './pipeline-dependencies.ts';
import type { PipelineJobs } from './pipeline-jobs.ts';
import { processPageJob } from './process-page.job.ts';

/** The one map from job name to handler; a job without a handler does not compile. */
export function pipelineHandlers(deps: PipelineDependencies) {
  return {
    'process-page': (payload, context) => processPageJob(deps, payload, context),
    'package-item': (payload, context) => packageItemJob(deps, payload, context),
  } satisfies JobHandlers<PipelineJobs>;
}
