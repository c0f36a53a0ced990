/**
 * Money formatting for statements: integer cents in, `'$1,234.56'` / `'-$12.00'` out.
 *
 * @module
 */

/**
 * Formats integer cents as US dollars with two decimals and thousands separators (locale independent).
 *
 * @example
 * ```ts
 * import { formatMoney } from './money.js';
 *
 * formatMoney(123456); // '$1,234.56'
 * formatMoney(-1200);  // '-$12.00'
 * ```
 */
export function formatMoney(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`formatMoney: not integer cents: ${cents}`);
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const rest = (abs % 100).toString().padStart(2, '0');
  return `${cents < 0 ? '-' : ''}$${dollars}.${rest}`;
}
