import type { Logger } from 'pino';
import type { Harvester } from './harvester.ts';

/**
 * Every `intervalMs`, harvests the sources that are due (each has its own interval; see
 * `HarvestSourceRepository.due`), never two rounds at once. 0 turns scheduled harvesting off
 * (on-demand harvests still work). Returns the function that stops it and waits for a round.
 */
export function scheduleHarvests(harvester: Harvester, intervalMs: number, logger: Logger): () => Promise<void> {
  if (intervalMs <= 0) return async () => {};
  const stopping = new AbortController();
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= harvester
      .harvestDue(stopping.signal)
      .then((result) => logger.info(result, 'harvest round finished'))
      .catch((error: unknown) => logger.warn({ err: error }, 'harvest round failed; the next round tries again'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    stopping.abort();
    await running;
  };
}
