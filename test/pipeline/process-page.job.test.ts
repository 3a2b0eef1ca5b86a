import test from 'ava';
import { smallestLevelAtLeast } from '../../pipeline/jobs/process-page.job.ts';

const levels = [
  { width: 2480, height: 3508 },
  { width: 1240, height: 1754 },
  { width: 620, height: 877 },
  { width: 310, height: 438 },
  { width: 155, height: 219 },
];

test('the thumbnail is read from the smallest pyramid level still as large as it', (t) => {
  t.is(smallestLevelAtLeast(levels, 400), 3);
  t.is(smallestLevelAtLeast(levels, 439), 2);
  t.is(smallestLevelAtLeast(levels, 219), 4);
  t.is(smallestLevelAtLeast(levels, 5000), 0, 'a page smaller than the thumbnail is read at full size');
});
