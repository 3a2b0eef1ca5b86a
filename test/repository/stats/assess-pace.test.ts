import test from 'ava';
import { assessPace, type PaceInput } from '../../../repository/stats/index.ts';

const base: PaceInput = {
  today: '2030-06-30',
  holdings: 1000,
  targetPercent: 70,
  targetDate: '2030-12-31',
  digitised: 400,
  digitisedInWindow: 90,
  firstDigitisedOn: '2029-01-01',
};

test('on track when the achieved rate covers the needed rate, not when it falls short', (t) => {
  // 300 remaining over 184 days (6.045 months) = 49.6 per month; 90 in 90 days = 30.4 per month.
  const slow = assessPace(base);
  t.is(slow.targetItems, 700);
  t.is(Math.round(slow.neededPerMonth! * 10) / 10, 49.6);
  t.is(Math.round(slow.achievedPerMonth * 10) / 10, 30.4);
  t.false(slow.onTrack);
  const fast = assessPace({ ...base, digitisedInWindow: 150 }); // 50.7 per month
  t.true(fast.onTrack);
});

test('the window shortens to the first digitisation', (t) => {
  // 10 items since 10 days ago: 10 / 10 days, not 10 / 90 days.
  const pace = assessPace({ ...base, digitisedInWindow: 10, firstDigitisedOn: '2030-06-21' });
  t.is(pace.achievedPerMonth, 30.4375);
});

test('edges: no target date, target reached, deadline today or past, nothing digitised', (t) => {
  t.is(assessPace({ ...base, targetDate: null }).onTrack, null);
  t.is(assessPace({ ...base, targetDate: null }).neededPerMonth, null);
  t.like(assessPace({ ...base, digitised: 700, targetDate: '2020-01-01' }), { onTrack: true, neededPerMonth: 0 });
  t.like(assessPace({ ...base, targetDate: '2030-06-30' }), { onTrack: false, neededPerMonth: null });
  t.like(assessPace({ ...base, targetDate: '2030-06-29' }), { onTrack: false, neededPerMonth: null });
  t.like(assessPace({ ...base, digitised: 0, digitisedInWindow: 0, firstDigitisedOn: null }), { achievedPerMonth: 0, onTrack: false });
  // ⌈70.5 % × 3⌉ = ⌈2.115⌉ = 3; ⌈70 % × 10⌉ = 7 exactly (no float drift to 8).
  t.is(assessPace({ ...base, holdings: 3, targetPercent: 70.5 }).targetItems, 3);
  t.is(assessPace({ ...base, holdings: 10, targetPercent: 70 }).targetItems, 7);
  t.is(assessPace({ ...base, holdings: 0 }).targetItems, 0);
});
