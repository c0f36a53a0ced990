/**
 * The embedded MX sandbox: an offline, in-memory stand-in for MX's integration host (API v20111101 and v20250224,
 * chosen per request by `Accept-Version`), for the demo, the end-to-end specs, the benchmarks and MX's own Node
 * SDK. Node only. `spec/dist/surface.spec.ts` pins this list.
 *
 * @example
 * ```ts
 * import { startSandbox, SANDBOX_DEFAULTS, MX_BANK_PASSWORDS } from 'mx-statements-rx/sandbox';
 *
 * const sandbox = await startSandbox({ aggregationMs: 200 });
 * // … point a client at sandbox.url with sandbox.clientId / sandbox.apiKey …
 * await sandbox.close();
 * ```
 *
 * @module
 */
export { startSandbox, type SandboxHandle } from './server.js';
export type { OAuthWindowCompletion } from './oauth/windows.js';
export { SANDBOX_DEFAULTS } from './options.js';
export type {
  SandboxOptions, SandboxCorsOptions, SandboxFaultOptions, SandboxLimits, SandboxWebhookOptions, FaultKind,
} from './options.js';
export { createManualClock, type ManualClock, type SandboxClock } from './clock.js';
export type { SandboxApiVersion } from './versions.js';
export { MX_BANK_PASSWORDS, CORRECT_ANSWER, ONE_TIME_CODE, FOLLOW_UP_ANSWER, type ChallengeKind, type PasswordRule } from './passwords.js';
export { INSTITUTIONS, MX_BANK_CODE, MX_BANK_OAUTH_CODE, type CatalogCredential, type CatalogInstitution } from './institutions-catalog.js';
export type { AggregationWebhook, ConnectionStatusWebhook, SandboxWebhook, StatementWebhook } from './webhooks/payloads.js';
export { seedUserId } from './seed.js';
