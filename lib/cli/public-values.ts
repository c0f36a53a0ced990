/**
 * Values that look like secrets but are public: MX Bank's documented test passwords and MFA answers
 * (mx-api-facts.md §6), which only switch test scenarios on MX Bank (integration) and the sandbox.
 *
 * @module
 */
import { CORRECT_ANSWER, FOLLOW_UP_ANSWER, MX_BANK_PASSWORDS } from '../sandbox/passwords.js';
import { DEMO } from './options.js';

/**
 * Never scrubbed by the redactor: they are published test values, and scrubbing ordinary words such as
 * `challenge` or `password` would corrupt output (`"type":"challenged"` in `--json`). Any other password,
 * answer or key is a secret, whatever its value.
 *
 * @example
 * ```ts
 * import { MX_BANK_TEST_VALUES } from './public-values.js';
 * import { createRedactor } from './redact.js';
 *
 * const redactor = createRedactor();
 * redactor.exempt(MX_BANK_TEST_VALUES);
 * ```
 */
export const MX_BANK_TEST_VALUES: ReadonlyArray<string> = [
  ...MX_BANK_PASSWORDS.flatMap((r) => (r.password !== null ? [r.password] : [])),
  DEMO.password,
  CORRECT_ANSWER,
  FOLLOW_UP_ANSWER,
];
