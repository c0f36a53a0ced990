/**
 * Where a member's statements job stands, from one status answer.
 *
 * @module
 */
import { classifyConnectionStatus, type MemberStatus } from '../codecs/index.js';

/**
 * `done`: `CONNECTED` and `is_being_aggregated` false (MX's end condition). `challenged`: waiting for MFA
 * answers. `terminal`: DENIED, REJECTED, EXPIRED, LOCKED, IMPEDED, PREVENTED, FAILED, … `working`: anything
 * else, unknown statuses and `CONNECTED` while still aggregating included.
 *
 * @example
 * ```ts
 * import type { MemberPhase } from './phase.js';
 * const p: MemberPhase = 'challenged';
 * ```
 */
export type MemberPhase = 'working' | 'challenged' | 'done' | 'terminal';

/**
 * Classifies one status answer into a {@link MemberPhase}.
 *
 * @example
 * ```ts
 * import { memberPhase } from './phase.js';
 * memberPhase({ connection_status: 'CONNECTED', is_being_aggregated: true });  // 'working'
 * memberPhase({ connection_status: 'CONNECTED', is_being_aggregated: false }); // 'done'
 * memberPhase({ connection_status: 'SOMETHING_NEW' });                         // 'working'
 * ```
 */
export const memberPhase = (s: Pick<MemberStatus, 'connection_status' | 'is_being_aggregated'>): MemberPhase => {
  switch (classifyConnectionStatus(s.connection_status)) {
    case 'connected':
      return s.is_being_aggregated === false ? 'done' : 'working';
    case 'challenged':
      return 'challenged';
    case 'terminal':
      return 'terminal';
    default:
      return 'working';
  }
};
