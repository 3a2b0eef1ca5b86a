import { randomBytes } from 'node:crypto';
import type { ExecutionContext, TestFn } from 'ava';
import type { JobContext, JobHandler, JobHandlers, JobQueue } from '../../../pipeline/index.ts';
import { ConfigurationError, ConflictError, InvalidInputError, NotFoundError, UpstreamError } from '../../../storage/index.ts';
import { delay, gate, waitFor } from './helpers/wait-for.ts';

/**
 * The behaviour every job-queue adapter must show, run unchanged against BullMQ on the real
 * Redis and against the in-process runner on PGlite and on PostgreSQL. Every test uses its own
 * queue name, so the tests of a file run concurrently on one backend.
 */

/** The payload map of the tests: an interface, like the pipeline's own job map. */
export interface TestJobs {
  work: { key: string };
  parent: { key: string };
  child: { key: string };
}
export const TEST_JOB_NAMES = ['work', 'parent', 'child'] as const;

/** Small timings so that retries, leases and stops take well under a second each. */
export const TEST_TIMINGS = Object.freeze({
  attempts: 3,
  backoffMs: 100,
  outageBackoffMs: 400,
  leaseMs: 1_000,
  stopTimeoutMs: 2_000,
  abortGraceMs: 1_000,
});

export interface QueueTarget {
  /** The lease (lock duration) of the target's queues: `TEST_TIMINGS.leaseMs` unless the backend needs more. */
  leaseMs: number;
  /**
   * Opens a queue object named `queueName` on this file's backend, with `TEST_TIMINGS` and
   * `jobNames: TEST_JOB_NAMES`. Opening the same name again reaches the same jobs (a restart,
   * or a second worker process).
   */
  open(queueName: string): Promise<JobQueue<TestJobs>>;
  /**
   * Adds job `jobId` and leaves it as a worker that died while running it would: taken
   * (active), its owner gone, its lease or lock left to expire.
   */
  abandonJob(queueName: string, job: { payload: TestJobs['work']; jobId: string }): Promise<void>;
}

type Handlers = JobHandlers<TestJobs>;

/** Handlers for every name; the ones a test does not expect fail it loudly. */
function handlers(overrides: Partial<Handlers>): Handlers {
  const unexpected =
    (name: string): JobHandler<object> =>
    async (payload) => {
      throw new Error(`unexpected ${name} job ${JSON.stringify(payload)}`);
    };
  return { work: unexpected('work'), parent: unexpected('parent'), child: unexpected('child'), ...overrides };
}

let counter = 0;
function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(3).toString('hex')}`;
}

interface Call<P> {
  payload: P;
  context: JobContext;
  startedAt: number;
}

export function runJobQueueContract(test: TestFn, target: QueueTarget): void {
  async function openQueue(t: ExecutionContext): Promise<{ queue: JobQueue<TestJobs>; queueName: string }> {
    const queueName = uniqueName('q');
    const queue = await target.open(queueName);
    t.teardown(() => queue.close());
    return { queue, queueName };
  }

  async function reopen(t: ExecutionContext, queueName: string): Promise<JobQueue<TestJobs>> {
    const queue = await target.open(queueName);
    t.teardown(() => queue.close());
    return queue;
  }

  test('ping answers and describe says where the jobs live', async (t) => {
    const { queue } = await openQueue(t);
    await t.notThrowsAsync(queue.ping());
    t.true(queue.describe().length > 0);
    t.true(['bullmq', 'in-process'].includes(queue.adapter));
  });

  test('a job runs once with its payload, id and attempt 1', async (t) => {
    const { queue } = await openQueue(t);
    const calls: Call<TestJobs['work']>[] = [];
    const jobId = uniqueName('job');
    t.true(await queue.add('work', { key: 'Thư viện Hà Nội' }, { jobId }));
    await queue.startWorker(
      handlers({ work: async (payload, context) => void calls.push({ payload, context, startedAt: Date.now() }) }),
      { concurrency: 1 },
    );
    await waitFor('the job to complete', async () => (await queue.counts()).completed === 1);
    t.is(calls.length, 1);
    t.deepEqual(calls[0]!.payload, { key: 'Thư viện Hà Nội' });
    t.is(calls[0]!.context.jobId, jobId);
    t.is(calls[0]!.context.name, 'work');
    t.is(calls[0]!.context.attempt, 1);
    t.false(calls[0]!.context.signal.aborted);
    t.like(await queue.counts(), { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 1 });
  });

  test('a job added with delayMs waits that long', async (t) => {
    const { queue } = await openQueue(t);
    let startedAt = 0;
    const addedAt = Date.now();
    await queue.add('work', { key: 'later' }, { delayMs: 400 });
    t.is((await queue.counts()).delayed, 1);
    await queue.startWorker(handlers({ work: async () => void (startedAt = Date.now()) }), { concurrency: 1 });
    await waitFor('the delayed job to complete', async () => (await queue.counts()).completed === 1);
    t.true(startedAt - addedAt >= 380, `ran ${startedAt - addedAt} ms after it was added`);
  });

  test('a failing job is retried with exponential backoff until it succeeds', async (t) => {
    const { queue } = await openQueue(t);
    const calls: Call<TestJobs['work']>[] = [];
    await queue.add('work', { key: 'flaky' });
    await queue.startWorker(
      handlers({
        work: async (payload, context) => {
          calls.push({ payload, context, startedAt: Date.now() });
          if (context.attempt < 3) throw new Error(`S3 timed out on attempt ${context.attempt}`);
        },
      }),
      { concurrency: 1 },
    );
    await waitFor('the job to complete', async () => (await queue.counts()).completed === 1);
    t.deepEqual(
      calls.map((call) => call.context.attempt),
      [1, 2, 3],
    );
    const [first, second, third] = calls.map((call) => call.startedAt) as [number, number, number];
    // Backoff 100 ms, then 200 ms (lower bounds only; 20 ms of slack for timer granularity).
    t.true(second - first >= TEST_TIMINGS.backoffMs - 20, `first retry after ${second - first} ms`);
    t.true(third - second >= 2 * TEST_TIMINGS.backoffMs - 20, `second retry after ${third - second} ms`);
    t.like(await queue.counts(), { failed: 0, completed: 1 });
  });

  test('a failure of a service the job needs (UpstreamError) is retried after the longer outage backoff', async (t) => {
    const { queue } = await openQueue(t);
    const startedAt: number[] = [];
    await queue.add('work', { key: 'store-down' });
    await queue.startWorker(
      handlers({
        work: async (_payload, context) => {
          startedAt.push(Date.now());
          if (context.attempt < 3) throw new UpstreamError('object store at http://minio:9000 did not answer: check that it is running');
        },
      }),
      { concurrency: 1 },
    );
    await waitFor('the job to complete', async () => (await queue.counts()).completed === 1);
    const [first, second, third] = startedAt as [number, number, number];
    // 400 ms, then 800 ms instead of 100 ms and 200 ms (lower bounds; 20 ms of slack).
    t.true(second - first >= TEST_TIMINGS.outageBackoffMs - 20, `first retry after ${second - first} ms`);
    t.true(third - second >= 2 * TEST_TIMINGS.outageBackoffMs - 20, `second retry after ${third - second} ms`);
  });

  test('a non-retryable error fails the job at once, its message as the reason', async (t) => {
    const { queue } = await openQueue(t);
    let calls = 0;
    const jobId = uniqueName('bad-input');
    const message = 'Page 3 is not a TIFF or JPEG (magic bytes 25 50 44 46): re-scan it';
    await queue.add('work', { key: 'page-3' }, { jobId });
    await queue.startWorker(
      handlers({
        work: async () => {
          calls += 1;
          throw new InvalidInputError(message);
        },
      }),
      { concurrency: 1 },
    );
    await waitFor('the job to fail', async () => (await queue.counts()).failed === 1);
    const failed = await queue.failedJobs();
    t.is(failed.length, 1);
    t.like(failed[0], { id: jobId, name: 'work', payload: { key: 'page-3' }, reason: message, attempts: 1 });
    t.true(failed[0]!.failedAt instanceof Date && !Number.isNaN(failed[0]!.failedAt.getTime()));
    // Nothing is retried later either.
    await delay(3 * TEST_TIMINGS.backoffMs);
    t.is(calls, 1);
    t.like(await queue.counts(), { waiting: 0, delayed: 0, active: 0, failed: 1 });
  });

  test('when retries run out the job fails with the last reason; retryFailed runs it again', async (t) => {
    const { queue } = await openQueue(t);
    let fixed = false;
    const attempts: number[] = [];
    const jobId = uniqueName('exhausted');
    await queue.add('work', { key: 'ocr' }, { jobId });
    await queue.startWorker(
      handlers({
        work: async (_payload, context) => {
          attempts.push(context.attempt);
          if (!fixed) throw new Error(`Tesseract crashed on attempt ${context.attempt}`);
        },
      }),
      { concurrency: 1 },
    );
    await waitFor('the job to fail', async () => (await queue.counts()).failed === 1);
    t.deepEqual(attempts, [1, 2, 3]);
    const [failed] = await queue.failedJobs({ limit: 10 });
    t.like(failed, { id: jobId, reason: 'Tesseract crashed on attempt 3', attempts: 3 });
    t.deepEqual(await queue.failedJobs({ limit: 10, offset: 1 }), []);

    await t.throwsAsync(queue.retryFailed(uniqueName('no-such-job')), { instanceOf: NotFoundError });
    fixed = true;
    await queue.retryFailed(jobId);
    await waitFor('the retried job to complete', async () => (await queue.counts()).completed === 1);
    t.deepEqual(attempts, [1, 2, 3, 1], 'a retried job starts with a fresh set of attempts');
    t.deepEqual(await queue.failedJobs(), []);
    await t.throwsAsync(queue.retryFailed(jobId), { instanceOf: ConflictError });
  });

  test('a flow parent runs once, after every child has finished, a failed one included', async (t) => {
    const { queue } = await openQueue(t);
    const slow = gate();
    t.teardown(() => slow.open()); // before the queue closes, should the test fail early
    const events: string[] = [];
    const parentRuns: Call<TestJobs['parent']>[] = [];
    const parentId = uniqueName('package');
    const added = await queue.addFlow({ name: 'parent', payload: { key: 'item-1' }, jobId: parentId }, [
      { name: 'child', payload: { key: 'ok' } },
      { name: 'child', payload: { key: 'bad' }, jobId: uniqueName('page-bad') },
      { name: 'child', payload: { key: 'slow' } },
    ]);
    t.true(added);
    t.false(
      await queue.addFlow({ name: 'parent', payload: { key: 'item-1' }, jobId: parentId }, [{ name: 'child', payload: { key: 'again' } }]),
      'a flow whose parent is pending is not added again',
    );
    await queue.startWorker(
      handlers({
        child: async ({ key }) => {
          events.push(`start ${key}`);
          if (key === 'bad') throw new InvalidInputError('Page 2 is blank: re-scan it');
          if (key === 'slow') await slow.promise;
          events.push(`done ${key}`);
        },
        parent: async (payload, context) => {
          events.push('parent');
          parentRuns.push({ payload, context, startedAt: Date.now() });
        },
      }),
      { concurrency: 3 },
    );
    await waitFor('the quick children to finish and the slow one to start', async () => {
      const counts = await queue.counts();
      return events.includes('start slow') && counts.failed === 1 && counts.completed === 1;
    });
    t.is((await queue.counts())['waiting-children'], 1);
    // Give the parent every chance to run too early (several polls), then check it did not.
    await delay(400);
    t.deepEqual(parentRuns, []);

    slow.open();
    await waitFor('the parent to run', () => parentRuns.length > 0);
    t.is(events.indexOf('parent'), events.length - 1);
    t.true(events.indexOf('done slow') < events.indexOf('parent'));
    t.deepEqual(parentRuns[0]!.payload, { key: 'item-1' });
    t.is(parentRuns[0]!.context.jobId, parentId);
    await waitFor('the parent to complete', async () => (await queue.counts()).completed === 3);
    await delay(300);
    t.is(parentRuns.length, 1);
    t.like(await queue.counts(), { waiting: 0, active: 0, 'waiting-children': 0, failed: 1, completed: 3 });
    t.deepEqual(
      (await queue.failedJobs()).map((job) => job.reason),
      ['Page 2 is blank: re-scan it'],
    );
  });

  test('a finished flow can be added again with the same ids, re-running a failed child', async (t) => {
    const { queue } = await openQueue(t);
    const parentId = uniqueName('package');
    const childId = uniqueName('page');
    let scanFixed = false;
    const runs: string[] = [];
    const flow = () =>
      queue.addFlow({ name: 'parent', payload: { key: 'item' }, jobId: parentId }, [
        { name: 'child', payload: { key: 'page' }, jobId: childId },
      ]);
    await queue.startWorker(
      handlers({
        child: async () => {
          runs.push('child');
          if (!scanFixed) throw new InvalidInputError('Page is upside down: re-scan it');
        },
        parent: async () => void runs.push('parent'),
      }),
      { concurrency: 2 },
    );
    t.true(await flow());
    await waitFor('the first flow to finish', async () => (await queue.counts()).completed === 1);
    t.like(await queue.counts(), { failed: 1 });
    scanFixed = true;
    t.true(await flow());
    await waitFor('the second flow to finish', async () => (await queue.counts()).completed === 2);
    t.deepEqual(runs, ['child', 'parent', 'child', 'parent']);
    t.like(await queue.counts(), { failed: 0, 'waiting-children': 0 });
  });

  test('a flow refuses a child whose id is pending elsewhere, adding nothing', async (t) => {
    const { queue } = await openQueue(t);
    const pageId = uniqueName('page');
    await queue.add('child', { key: 'alone' }, { jobId: pageId });
    await t.throwsAsync(
      queue.addFlow({ name: 'parent', payload: { key: 'item' }, jobId: uniqueName('package') }, [
        { name: 'child', payload: { key: 'in-flow' }, jobId: pageId },
      ]),
      { instanceOf: ConflictError },
    );
    t.like(await queue.counts(), { waiting: 1, 'waiting-children': 0 });
  });

  test('a jobId deduplicates while the job is pending and allows a re-run once it finished', async (t) => {
    const { queue } = await openQueue(t);
    const jobId = uniqueName('page-7');
    const seen: string[] = [];
    t.true(await queue.add('work', { key: 'first' }, { jobId }));
    t.false(await queue.add('work', { key: 'duplicate' }, { jobId }));
    t.like(await queue.counts(), { waiting: 1 });
    await queue.startWorker(handlers({ work: async ({ key }) => void seen.push(key) }), { concurrency: 2 });
    await waitFor('the first run to complete', async () => (await queue.counts()).completed === 1);
    t.true(await queue.add('work', { key: 're-run' }, { jobId }));
    await waitFor('the re-run', () => seen.length === 2);
    t.deepEqual(seen, ['first', 're-run']);
  });

  test('never more than `concurrency` handlers run at once', async (t) => {
    const { queue } = await openQueue(t);
    let running = 0;
    let most = 0;
    let done = 0;
    for (let i = 0; i < 7; i += 1) await queue.add('work', { key: `page-${i}` });
    await queue.startWorker(
      handlers({
        work: async () => {
          running += 1;
          most = Math.max(most, running);
          // Hold the slot until the worker has filled all three (bounded), so overlap is certain.
          await waitFor('three handlers at once', () => running >= 3, 1_500).catch(() => undefined);
          await delay(30);
          running -= 1;
          done += 1;
        },
      }),
      { concurrency: 3 },
    );
    await waitFor('all jobs to complete', async () => done === 7 && (await queue.counts()).completed === 7);
    t.is(most, 3);
  });

  test('stopWorker lets a job that finishes in time complete', async (t) => {
    const { queue } = await openQueue(t);
    const started = gate();
    let finished = false;
    await queue.add('work', { key: 'short' });
    await queue.startWorker(
      handlers({
        work: async () => {
          started.open();
          await delay(300);
          finished = true;
        },
      }),
      { concurrency: 1 },
    );
    await started.promise;
    await queue.stopWorker(5_000);
    t.true(finished);
    t.like(await queue.counts(), { waiting: 0, active: 0, completed: 1 });
  });

  test('graceful stop aborts a long job, hands it back, and a new worker runs it again', async (t) => {
    const { queue, queueName } = await openQueue(t);
    const started = gate();
    let abortedFirstRun = false;
    const jobId = uniqueName('long');
    await queue.add('work', { key: 'long' }, { jobId });
    await queue.startWorker(
      handlers({
        work: async (_payload, { signal }) => {
          started.open();
          await new Promise<void>((_resolve, reject) => {
            signal.addEventListener('abort', () => {
              abortedFirstRun = true;
              reject(signal.reason as Error);
            });
          });
        },
      }),
      { concurrency: 1 },
    );
    await started.promise;
    await queue.stopWorker(200);
    t.true(abortedFirstRun);
    t.like(await queue.counts(), { waiting: 1, active: 0, delayed: 0, failed: 0, completed: 0 });

    const restarted = await reopen(t, queueName);
    const second: JobContext[] = [];
    await restarted.startWorker(handlers({ work: async (_payload, context) => void second.push(context) }), { concurrency: 1 });
    await waitFor('the handed-back job to complete', async () => (await restarted.counts()).completed === 1);
    t.is(second.length, 1);
    t.is(second[0]!.jobId, jobId);
    t.is(second[0]!.attempt, 1, 'a run handed back by a stop uses up no attempt');
  });

  test('a job whose worker died runs again and completes', async (t) => {
    const queueName = uniqueName('q');
    const jobId = uniqueName('orphan');
    await target.abandonJob(queueName, { payload: { key: 'orphan' }, jobId });
    const queue = await reopen(t, queueName);
    t.is((await queue.counts()).active, 1, 'the dead worker still holds the job');
    const runs: Call<TestJobs['work']>[] = [];
    await queue.startWorker(
      handlers({ work: async (payload, context) => void runs.push({ payload, context, startedAt: Date.now() }) }),
      { concurrency: 1 },
    );
    await waitFor('the orphaned job to complete', async () => (await queue.counts()).completed === 1);
    t.is(runs.length, 1);
    t.is(runs[0]!.context.jobId, jobId);
    t.deepEqual(runs[0]!.payload, { key: 'orphan' });
  });

  test('a job running longer than its lease is not taken over by another worker', async (t) => {
    const { queue, queueName } = await openQueue(t);
    const other = await reopen(t, queueName);
    let runs = 0;
    const handler = handlers({
      work: async () => {
        runs += 1;
        await delay(2.5 * target.leaseMs);
      },
    });
    await queue.add('work', { key: 'big-tiff' });
    await queue.startWorker(handler, { concurrency: 1 });
    await other.startWorker(handler, { concurrency: 1 });
    await waitFor('the long job to complete', async () => (await queue.counts()).completed === 1);
    t.is(runs, 1);
  });

  test('a job added before a restart runs after it', async (t) => {
    const queueName = uniqueName('q');
    const before = await target.open(queueName);
    const jobId = uniqueName('persisted');
    await before.add('work', { key: 'kept' }, { jobId });
    await before.close();

    const after = await reopen(t, queueName);
    t.like(await after.counts(), { waiting: 1 });
    const runs: JobContext[] = [];
    await after.startWorker(handlers({ work: async (_payload, context) => void runs.push(context) }), { concurrency: 1 });
    await waitFor('the persisted job to complete', async () => (await after.counts()).completed === 1);
    t.deepEqual(
      runs.map((context) => context.jobId),
      [jobId],
    );
  });

  test('startWorker refuses handlers missing a job name, and a second worker on one queue', async (t) => {
    const { queue } = await openQueue(t);
    const incomplete = { work: async () => {}, parent: async () => {} } as unknown as Handlers;
    const error = await t.throwsAsync(queue.startWorker(incomplete, { concurrency: 1 }), { instanceOf: ConfigurationError });
    t.regex(error.message, /'child'/);
    await queue.startWorker(handlers({}), { concurrency: 1 });
    await t.throwsAsync(queue.startWorker(handlers({}), { concurrency: 1 }), { instanceOf: ConflictError });
  });

  test('a job whose name has no handler fails without retry, naming the job', async (t) => {
    const { queue } = await openQueue(t);
    await queue.add('ghost' as 'work', { key: 'from a newer version' });
    await queue.startWorker(handlers({}), { concurrency: 1 });
    await waitFor('the job to fail', async () => (await queue.counts()).failed === 1);
    const [failed] = await queue.failedJobs();
    t.regex(failed!.reason, /No handler for job 'ghost'/);
    t.is(failed!.attempts, 1);
  });

  test('malformed ids, delays and pages are refused as invalid input', async (t) => {
    const { queue } = await openQueue(t);
    for (const jobId of ['page:1', '12345', '', 'x'.repeat(201), 'trang số 1']) {
      await t.throwsAsync(queue.add('work', { key: 'x' }, { jobId }), { instanceOf: InvalidInputError }, jobId);
    }
    await t.throwsAsync(queue.add('work', { key: 'x' }, { delayMs: -1 }), { instanceOf: InvalidInputError });
    await t.throwsAsync(queue.add('work', { key: 'x' }, { delayMs: 1.5 }), { instanceOf: InvalidInputError });
    await t.throwsAsync(queue.failedJobs({ limit: 0 }), { instanceOf: InvalidInputError });
    await t.throwsAsync(queue.failedJobs({ offset: -1 }), { instanceOf: InvalidInputError });
    t.like(await queue.counts(), { waiting: 0, delayed: 0 });
  });
}
