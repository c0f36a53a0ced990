/**
 * The embedded MX sandbox: an offline, in-memory stand-in for MX's integration host (API v20111101 and v20250224,
 * chosen per request by `Accept-Version`), for the demo, the end-to-end specs, the benchmarks and MX's own Node
 * SDK. Node only.
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
export { startSandbox } from './server.js';
export type { SandboxHandle } from './server.js';
export { FAULT_KINDS, SANDBOX_DEFAULTS, resolveOptions } from './options.js';
export type {
  FaultKind,
  ResolvedCors,
  ResolvedFaults,
  ResolvedOptions,
  ResolvedWebhooks,
  SandboxCorsOptions,
  SandboxFaultOptions,
  SandboxLimits,
  SandboxOptions,
  SandboxWebhookOptions,
} from './options.js';
export { REAL_CLOCK, createManualClock } from './clock.js';
export type { ManualClock, SandboxClock } from './clock.js';
export { JSON_MEDIA_TYPES, SANDBOX_API_VERSIONS } from './versions.js';
export type { SandboxApiVersion } from './versions.js';
export { SANDBOX_HEADER, SANDBOX_HEADER_VALUE } from './handler.js';
export { SANDBOX_JOB_HEADER } from './routes/jobs.js';
export { SUPPORTED_PRODUCTS } from './products.js';
export type { SupportedProduct } from './products.js';
export { ACTIONABLE_STATUSES, CONNECTION_STATUS_IDS } from './webhooks/payloads.js';
export type { AggregationWebhook, ConnectionStatusWebhook, SandboxWebhook, StatementWebhook } from './webhooks/payloads.js';
export {
  CORRECT_ANSWER,
  DEFAULT_PASSWORD_RULE,
  FOLLOW_UP_ANSWER,
  MAX_CHALLENGE_ROUNDS,
  MX_BANK_PASSWORDS,
  ONE_TIME_CODE,
  passwordRule,
} from './passwords.js';
export type { ChallengeKind, PasswordRule } from './passwords.js';
export { INSTITUTIONS, MX_BANK_CODE, MX_BANK_OAUTH_CODE } from './institutions-catalog.js';
export type { CatalogCredential, CatalogInstitution } from './institutions-catalog.js';
export { seedUserId } from './seed.js';
