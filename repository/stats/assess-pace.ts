import { daysBetween } from './reporting-day.ts';

/** Average month length (365.25 / 12 days), so that rates per month do not depend on which month. */
export const DAYS_PER_MONTH = 30.4375;

/** Days of digitisation history that the achieved rate looks back over. */
export const PACE_WINDOW_DAYS = 90;

export interface PaceInput {
  /** The report's day, `YYYY-MM-DD`. */
  today: string;
  holdings: number;
  /** 0–100. */
  targetPercent: number;
  targetDate: string | null;
  /** Items digitised on or before `today`. */
  digitised: number;
  /** Items digitised on the days `today − 89` … `today` (90 days, both ends included). */
  digitisedInWindow: number;
  /** Day of the earliest digitisation on or before `today`, or null if none. */
  firstDigitisedOn: string | null;
}

export interface Pace {
  /** Items that make the target: ⌈targetPercent × holdings / 100⌉. */
  targetItems: number;
  /** Items per month still needed to reach the target by the target date; null without a target date or after it. */
  neededPerMonth: number | null;
  /** Items per month digitised over the look-back window (see `assessPace`). */
  achievedPerMonth: number;
  /** See `assessPace`; null when there is no target date. */
  onTrack: boolean | null;
}

/**
 * Whether a collection digitises fast enough to reach its target by its target date.
 *
 * - `remaining` = max(0, targetItems − digitised), `targetItems` = ⌈targetPercent × holdings / 100⌉.
 * - `achievedPerMonth` = items digitised in the window ÷ window days × 30.4375, where the window
 *   is the last 90 days up to and including `today`, shortened to start on the day of the first
 *   digitisation when that is later (a collection that started last week is judged on that week,
 *   not diluted over 90 days). 0 when nothing was digitised yet.
 * - `neededPerMonth` = remaining ÷ (days from `today` to the target date ÷ 30.4375); 0 when nothing
 *   remains; null when the target date is today or past and something remains (no rate can do it).
 * - `onTrack` is null without a target date; true when nothing remains (target reached, even
 *   after the date); false when something remains and the target date is today or past;
 *   otherwise `achievedPerMonth ≥ neededPerMonth`.
 *
 * The comparison uses the unrounded rates; callers round for display only.
 */
export function assessPace(input: PaceInput): Pace {
  const targetItems = Math.max(0, Math.ceil((input.targetPercent * input.holdings) / 100 - 1e-9));
  const remaining = Math.max(0, targetItems - input.digitised);

  let achievedPerMonth = 0;
  if (input.firstDigitisedOn !== null && input.digitisedInWindow > 0) {
    const sinceFirst = daysBetween(input.firstDigitisedOn, input.today) + 1;
    const windowDays = Math.max(1, Math.min(PACE_WINDOW_DAYS, sinceFirst));
    achievedPerMonth = (input.digitisedInWindow / windowDays) * DAYS_PER_MONTH;
  }

  if (input.targetDate === null) return { targetItems, neededPerMonth: null, achievedPerMonth, onTrack: null };
  if (remaining === 0) return { targetItems, neededPerMonth: 0, achievedPerMonth, onTrack: true };
  const daysLeft = daysBetween(input.today, input.targetDate);
  if (daysLeft <= 0) return { targetItems, neededPerMonth: null, achievedPerMonth, onTrack: false };
  const neededPerMonth = remaining / (daysLeft / DAYS_PER_MONTH);
  return { targetItems, neededPerMonth, achievedPerMonth, onTrack: achievedPerMonth >= neededPerMonth };
}
