/**
 * The one check of a numeric option, shared by the client's configuration, the workflow, the batch, the download
 * bounds and the webhook receiver: a value that can never work is refused at once, naming the option.
 *
 * @module
 */

/**
 * What a numeric option accepts.
 *
 * @example
 * ```ts
 * import type { NumberRule } from './option-number.js';
 * const retries: NumberRule = { min: 0, integer: true };
 * const timeout: NumberRule = { min: 0, above: true, infinite: true };
 * ```
 */
export interface NumberRule {
  /** The least value accepted. */
  readonly min: number;
  /** Refuse `min` itself: the value must be greater. */
  readonly above?: boolean;
  /** Whole numbers only. */
  readonly integer?: boolean;
  /** `Infinity` is accepted (it means "no bound"). */
  readonly infinite?: boolean;
}

/** How a refusal is raised: by default a `RangeError` whose message starts with the option's name. */
export type OptionError = (name: string, reason: string) => Error;

const rangeError: OptionError = (name, reason) => new RangeError(`${name}: ${reason}`);

/**
 * `value` when it satisfies `rule`, `fallback` when it is `undefined`; anything else (NaN, a string, a value
 * out of range, a fraction where an integer is asked, `Infinity` where it is not allowed) throws, naming the
 * option, what it accepts and what it got.
 *
 * @example
 * ```ts
 * import { optionNumber } from './option-number.js';
 * optionNumber('download.retries', undefined, 3, { min: 0, integer: true }); // 3
 * optionNumber('download.retries', 1.5, 3, { min: 0, integer: true });       // throws RangeError: download.retries: must be an integer ≥ 0, got 1.5
 * ```
 */
export const optionNumber = (name: string, value: unknown, fallback: number, rule: NumberRule, error: OptionError = rangeError): number => {
  if (value === undefined) return fallback;
  const v = value as number;
  const ok = typeof value === 'number' && !Number.isNaN(v) &&
    (rule.above ? v > rule.min : v >= rule.min) &&
    (v === Infinity ? rule.infinite === true : !rule.integer || Number.isInteger(v));
  if (ok) return v;
  const what = `${rule.integer ? 'an integer' : 'a number'} ${rule.above ? '>' : '≥'} ${rule.min}${rule.infinite ? ' (or Infinity)' : ''}`;
  throw error(name, `must be ${what}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
};
