/**
 * A client bound to the embedded sandbox, and the input of a run against its MX Bank: for end-to-end tests of an
 * app, in Node or in a browser (the sandbox itself runs in Node, started in the test or beside it).
 *
 * @module
 */
import { createMxClient, type MxClient } from '../api/client.js';
import type { MxClientConfig } from '../core/config.js';
import type { NewMemberInput } from '../workflow/input.js';

/**
 * Where a sandbox listens and the credentials it accepts: a `SandboxHandle` from `startSandbox()` (in
 * `mx-statements-rx/sandbox`) is one; so is `{ url, clientId, apiKey }` of one started elsewhere (`npx mx-statements
 * sandbox --port 4010`, whose defaults are `SANDBOX_DEFAULTS`).
 */
export interface SandboxEndpoint {
  readonly url: string;
  readonly clientId: string;
  readonly apiKey: string;
}

/**
 * A client for the sandbox at `sandbox.url`, with its credentials, and no rate limit or retries unless you give
 * them. The sandbox names itself in every answer (`X-MX-Sandbox`), so the workflow polls it at its fast pace
 * (`SANDBOX_POLLING`) on its own: a whole run takes a second or two.
 *
 * @example
 * ```ts
 * import { fetchStatements$, createMemorySink } from 'mx-statements-rx';
 * import { startSandbox } from 'mx-statements-rx/sandbox';
 * import { mxBankInput, sandboxClient } from 'mx-statements-rx/testing';
 *
 * const sandbox = await startSandbox();
 * const sink = createMemorySink();
 * fetchStatements$(sandboxClient(sandbox), { ...mxBankInput(), download: { sink } }).subscribe({
 *   complete: () => void sandbox.close(), // sink.list() holds the verified PDFs
 * });
 * ```
 */
export const sandboxClient = (sandbox: SandboxEndpoint, overrides: Omit<MxClientConfig, 'baseUrl' | 'environment'> = {}): MxClient =>
  createMxClient({ clientId: sandbox.clientId, apiKey: sandbox.apiKey, retry: false, ...overrides, baseUrl: sandbox.url });

/** Options of {@link mxBankInput}. */
export interface MxBankInputOptions {
  /**
   * The password, which picks what MX Bank does (`MX_BANK_PASSWORDS` in `mx-statements-rx/sandbox`): `'password'`
   * (default) connects at once, `'challenge'` asks a TEXT question (answer `'correct'`), `'token'`, `'options'`,
   * `'image'`, `'image_options'` the other challenge types, `'denied'`, `'locked'`… end in that status.
   */
  readonly password?: string;
  /** Your id for the user. Default: a fresh one per call, so runs do not share a member. */
  readonly userId?: string;
  /** `'oauth'`: the sandbox's OAuth institution (no credentials; the run emits `oauth-required`). Default `'credentials'`. */
  readonly institution?: 'credentials' | 'oauth';
}

let seq = 0;

/**
 * The input of a run against the sandbox's MX Bank (user `mxuser`), to spread into `fetchStatements$`'s input.
 *
 * @example
 * ```ts
 * import { Subject } from 'rxjs';
 * import type { ChallengeAnswer } from 'mx-statements-rx';
 * import { mxBankInput } from 'mx-statements-rx/testing';
 *
 * const mfa = new Subject<ChallengeAnswer[]>();
 * const input = { ...mxBankInput({ password: 'challenge' }), mfa }; // answer 'correct' when challenged
 * ```
 */
export const mxBankInput = (options: MxBankInputOptions = {}): NewMemberInput => {
  const user = { id: options.userId ?? `test-user-${Date.now().toString(36)}-${++seq}` };
  return options.institution === 'oauth'
    ? { user, institution: { code: 'mx_bank_oauth' } }
    : { user, institution: { code: 'mxbank' }, credentials: { LOGIN: 'mxuser', PASSWORD: options.password ?? 'password' } };
};
