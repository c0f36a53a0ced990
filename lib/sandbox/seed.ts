/**
 * `seedUsers`: pre-created users, each with one CONNECTED MX Bank member whose statements are ready (the PDFs
 * themselves are built lazily on first listing, so a thousand users start in milliseconds).
 *
 * @module
 */
import type { IdFactory } from './ids.js';
import { MX_BANK_CODE, findInstitution } from './institutions-catalog.js';
import { newMemberRecord, type MemberRecord, type SandboxState, type UserRecord } from './state.js';

/**
 * The user `id` of the n-th seeded user (1-based): `seed-user-0001`, …
 *
 * @example
 * ```ts
 * import { seedUserId, type SandboxHandle } from 'mx-statements-rx/sandbox';
 * declare const sandbox: SandboxHandle; // started with { seedUsers: 3 }
 * declare const headers: Record<string, string>; // Authorization: Basic …, Accept: application/vnd.mx.api.v1+json
 *
 * await fetch(`${sandbox.url}/users?id=${seedUserId(1)}`, { headers }); // the first seeded user
 * ```
 */
export const seedUserId = (n: number): string => `seed-user-${String(n).padStart(4, '0')}`;

/**
 * Adds `count` seeded users to the state.
 *
 * @example
 * ```ts
 * import { createIdFactory } from './ids.js';
 * import { seedUsers } from './seed.js';
 * import { SandboxState } from './state.js';
 *
 * const state = new SandboxState({ maxUsers: 1000, maxMembersPerUser: 10, maxMembers: 1000 });
 * seedUsers(state, createIdFactory('seed'), 1000, Date.now());
 * ```
 */
export function seedUsers(state: SandboxState, ids: IdFactory, count: number, nowMs: number): void {
  const institution = findInstitution(MX_BANK_CODE);
  if (!institution) throw new Error('the catalogue has no MX Bank');
  const [login, password] = institution.credentials;
  const at = new Date(nowMs).toISOString();
  for (let n = 1; n <= count; n++) {
    const user: UserRecord = { guid: ids.next('USR'), id: seedUserId(n), email: null, metadata: null, isDisabled: false, members: new Map() };
    state.addUser(user);
    const member: MemberRecord = {
      ...newMemberRecord({ guid: ids.next('MBR'), userGuid: user.guid, institution, status: 'CONNECTED', message: `Connected to ${institution.name}` }),
      id: `seed-member-${String(n).padStart(4, '0')}`,
      credentials: new Map([
        [login?.guid ?? '', 'mxuser'],
        [password?.guid ?? '', 'password'],
      ]),
      isAuthenticated: true,
      aggregatedAt: at,
      successfullyAggregatedAt: at,
      job: {
        guid: ids.next('JOB'), kind: 'statements', aggregates: false, running: false, password: undefined, impaired: false, round: 0,
        cancel: () => undefined,
      },
      lastSuccessAt: { statements: nowMs },
      statementsAvailable: true,
    };
    state.addMember(user, member);
  }
}
