import type { Logger } from 'pino';
import type { FixityAuditor } from './fixity-auditor.ts';

export interface FixitySchedule {
  /** Time between the starts of two runs; 0 turns the scheduled audit off. */
  intervalMs: number;
  /** Objects per run: with the byte rate, what bounds the load one run puts on storage. */
  objectsPerRun: number;
}

/**
 * Runs the scheduled fixity audit: every `intervalMs`, the `objectsPerRun` most overdue
 * objects (never overlapping: a run still going when the next is due makes that one wait).
 * Returns the function that stops it: a run in progress stops after its current object.
 */
export function scheduleFixityAudits(auditor: FixityAuditor, schedule: FixitySchedule, logger: Logger): () => Promise<void> {
  if (schedule.intervalMs <= 0) return async () => {};
  const stopping = new AbortController();
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= auditor
      .auditDue(schedule.objectsPerRun, stopping.signal)
      .then((result) => logger.info({ checked: result.checked, bytes: result.bytes, failures: result.failures.length }, 'fixity audit run finished'))
      .catch((error: unknown) => logger.warn({ err: error }, 'fixity audit run failed; the next run tries again'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(run, schedule.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    stopping.abort();
    await running;
  };
}
