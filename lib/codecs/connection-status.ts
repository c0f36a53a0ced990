/**
 * `connection_status` of a member: the known values (mx-api-facts.md §4, the v20250224 enum) plus any other
 * string, and how the workflow should treat each one.
 *
 * @module
 */
import { knownGuard, openStringEnum } from './open-enum.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The 22 known `connection_status` strings (v20111101 has no enum; this is v20250224's, minus `null`).
 *
 * @example
 * ```ts
 * import { KNOWN_CONNECTION_STATUSES } from './connection-status.js';
 * KNOWN_CONNECTION_STATUSES.includes('CONNECTED'); // true
 * ```
 */
export const KNOWN_CONNECTION_STATUSES = [
  'CREATED', 'PREVENTED', 'DENIED', 'CHALLENGED', 'REJECTED', 'LOCKED', 'CONNECTED', 'IMPEDED', 'RECONNECTED',
  'DEGRADED', 'DISCONNECTED', 'DISCONTINUED', 'CLOSED', 'DELAYED', 'FAILED', 'UPDATED', 'DISABLED', 'IMPORTED',
  'RESUMED', 'EXPIRED', 'IMPAIRED', 'PENDING',
] as const;

/**
 * One of the known `connection_status` values.
 *
 * @example
 * ```ts
 * import type { KnownConnectionStatus } from 'mx-statements-rx';
 * const s: KnownConnectionStatus = 'CHALLENGED';
 * ```
 */
export type KnownConnectionStatus = (typeof KNOWN_CONNECTION_STATUSES)[number];

/**
 * A `connection_status` as MX sends it: a known value, or any other string (kept, treated as transient).
 *
 * @example
 * ```ts
 * import type { ConnectionStatus } from 'mx-statements-rx';
 * const s: ConnectionStatus = 'SOMETHING_NEW'; // allowed; 'CONNECTED' etc. autocomplete
 * ```
 */
export type ConnectionStatus = KnownConnectionStatus | (string & {});

/**
 * Decodes any string as a {@link ConnectionStatus}; non-strings fail with `expected ConnectionStatus`.
 *
 * @example
 * ```ts
 * import { ConnectionStatus } from './connection-status.js';
 * ConnectionStatus.decode('RECONNECTED'); // right('RECONNECTED')
 * ```
 */
export const ConnectionStatus = openStringEnum<KnownConnectionStatus>('ConnectionStatus', KNOWN_CONNECTION_STATUSES);

/**
 * Whether a value is one of the {@link KNOWN_CONNECTION_STATUSES}.
 *
 * @example
 * ```ts
 * import { isKnownConnectionStatus } from './connection-status.js';
 * isKnownConnectionStatus('DENIED'); // true
 * isKnownConnectionStatus('HALTED'); // false
 * ```
 */
export const isKnownConnectionStatus: (u: unknown) => u is KnownConnectionStatus =
  knownGuard(KNOWN_CONNECTION_STATUSES);

// -------------------------------------------------------------------------------------
// classification
// -------------------------------------------------------------------------------------

/**
 * What a status means for the workflow: keep polling, answer MFA, success, or give up.
 *
 * @example
 * ```ts
 * import type { ConnectionStatusClass } from 'mx-statements-rx';
 * const c: ConnectionStatusClass = 'terminal';
 * ```
 */
export type ConnectionStatusClass = 'transient' | 'challenged' | 'connected' | 'terminal';

const CLASS_OF: Readonly<Record<KnownConnectionStatus, ConnectionStatusClass>> = {
  CONNECTED: 'connected',
  CHALLENGED: 'challenged',
  PREVENTED: 'terminal',
  DENIED: 'terminal',
  REJECTED: 'terminal',
  EXPIRED: 'terminal',
  LOCKED: 'terminal',
  IMPEDED: 'terminal',
  IMPAIRED: 'terminal',
  IMPORTED: 'terminal',
  DISABLED: 'terminal',
  DISCONTINUED: 'terminal',
  CLOSED: 'terminal',
  DEGRADED: 'terminal',
  DISCONNECTED: 'terminal',
  FAILED: 'terminal',
  CREATED: 'transient',
  UPDATED: 'transient',
  DELAYED: 'transient',
  RESUMED: 'transient',
  PENDING: 'transient',
  RECONNECTED: 'transient',
};

/**
 * Classifies a `connection_status` (mx-api-facts.md §4). `null`, `undefined` and unknown strings are
 * `'transient'`: keep polling until the overall deadline.
 *
 * @example
 * ```ts
 * import { classifyConnectionStatus } from 'mx-statements-rx';
 * classifyConnectionStatus('CHALLENGED'); // 'challenged'
 * classifyConnectionStatus('LOCKED');     // 'terminal'
 * classifyConnectionStatus('NEW_ONE');    // 'transient'
 * ```
 */
export const classifyConnectionStatus = (s: ConnectionStatus | null | undefined): ConnectionStatusClass =>
  isKnownConnectionStatus(s) ? CLASS_OF[s] : 'transient';
