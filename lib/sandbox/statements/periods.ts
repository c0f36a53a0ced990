/**
 * Calendar arithmetic for statement periods, in UTC, on `'YYYY-MM-DD'` strings.
 *
 * @module
 */

/**
 * One whole calendar month, `'YYYY-MM-DD'` bounds inclusive.
 *
 * @example
 * ```ts
 * import type { Period } from './periods.js';
 *
 * const october: Period = { start: '2026-10-01', end: '2026-10-31' };
 * ```
 */
export interface Period {
  readonly start: string;
  readonly end: string;
}

const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * Parses `'YYYY-MM-DD'` to a UTC midnight `Date`, throwing a `RangeError` on anything else.
 *
 * @example
 * ```ts
 * import { parseDay } from './periods.js';
 *
 * parseDay('2026-11-01').toISOString(); // '2026-11-01T00:00:00.000Z'
 * ```
 */
export function parseDay(day: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!date || Number.isNaN(date.getTime()) || isoDay(date) !== day) {
    throw new RangeError(`not a 'YYYY-MM-DD' date: ${JSON.stringify(day)}`);
  }
  return date;
}

/**
 * Adds days to a `'YYYY-MM-DD'` date.
 *
 * @example
 * ```ts
 * import { addDays } from './periods.js';
 *
 * addDays('2026-10-31', 1); // '2026-11-01'
 * ```
 */
export function addDays(day: string, days: number): string {
  const date = parseDay(day);
  date.setUTCDate(date.getUTCDate() + days);
  return isoDay(date);
}

/**
 * The `months` whole calendar months ending before `referenceDate`, oldest first.
 *
 * @example
 * ```ts
 * import { monthlyPeriods } from './periods.js';
 *
 * monthlyPeriods('2026-11-01', 2);
 * // [{ start: '2026-09-01', end: '2026-09-30' }, { start: '2026-10-01', end: '2026-10-31' }]
 * ```
 */
export function monthlyPeriods(referenceDate: string, months: number): Period[] {
  const ref = parseDay(referenceDate);
  // The month containing the reference date never ends before it: the latest period is the month before.
  const periods: Period[] = [];
  for (let k = months - 1; k >= 0; k--) {
    const monthIndex = ref.getUTCMonth() - 1 - k;
    const start = new Date(Date.UTC(ref.getUTCFullYear(), monthIndex, 1));
    const end = new Date(Date.UTC(ref.getUTCFullYear(), monthIndex + 1, 0));
    periods.push({ start: isoDay(start), end: isoDay(end) });
  }
  return periods;
}

/**
 * The calendar month right after the one containing `period`.
 *
 * @example
 * ```ts
 * import { nextPeriod } from './periods.js';
 *
 * nextPeriod({ start: '2026-12-01', end: '2026-12-31' }); // { start: '2027-01-01', end: '2027-01-31' }
 * ```
 */
export function nextPeriod(period: Period): Period {
  const start = addDays(period.end, 1);
  const d = parseDay(start);
  return { start, end: isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0))) };
}
