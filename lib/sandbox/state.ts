/**
 * The sandbox's in-memory state: users and their members, bounded by the configured limits.
 *
 * @module
 */
import { errors } from './http-error.js';
import type { CatalogInstitution } from './institutions-catalog.js';
import type { ChallengeKind } from './passwords.js';

/** One MFA option (`OptionResponse`). */
export interface ChallengeOption {
  readonly guid: string;
  readonly label: string;
  readonly value: string;
}

/** One MFA image option (`ImageOptionResponse`): an option with its picture as a `data:` URI. */
export interface ImageChallengeOption extends ChallengeOption {
  readonly data_uri: string;
}

/** One MFA challenge the sandbox issued (`ChallengeResponse`), with what passes it. */
export interface ChallengeRecord {
  readonly guid: string;
  readonly type: ChallengeKind;
  readonly label: string;
  readonly field_name: string;
  readonly round: number;
  readonly options?: ReadonlyArray<ChallengeOption>;
  readonly image_options?: ReadonlyArray<ImageChallengeOption>;
  readonly image_data?: string;
  /** Values that pass (never logged, never sent). */
  readonly accepted: ReadonlyArray<string>;
}

/** The kind of a job: a standard aggregation or a statements job. */
export type JobKind = 'aggregate' | 'statements';

/** The most recent job of a member. */
export interface JobRecord {
  readonly guid: string;
  readonly kind: JobKind;
  /** Whether the job also runs a standard aggregation (a plain aggregation, or v20250224 products beside statements). */
  readonly aggregates: boolean;
  running: boolean;
  /** The password the job logs in with (snapshot at start; never logged). */
  readonly password: string | undefined;
  /** True when a required credential was missing or empty at start. */
  readonly impaired: boolean;
  round: number;
  /** Cancels the job's pending timers. */
  cancel: () => void;
}

/** A member as the sandbox keeps it. */
export interface MemberRecord {
  readonly guid: string;
  readonly userGuid: string;
  readonly institution: CatalogInstitution;
  id: string | null;
  metadata: string | null;
  /** Credential values by credential guid (never logged). */
  credentials: Map<string, string>;
  backgroundAggregationIsDisabled: boolean;
  readonly isOauth: boolean;
  oauthAuthorized: boolean;
  useCases: string[];
  connectionStatus: string;
  connectionStatusMessage: string;
  isBeingAggregated: boolean;
  isAuthenticated: boolean;
  aggregatedAt: string | null;
  successfullyAggregatedAt: string | null;
  credentialsChanged: boolean;
  job: JobRecord | null;
  /**
   * A job accepted (202) but not begun yet (`jobStartDelayMs`): meanwhile the member still shows its previous
   * state and `job` (its `most_recent_job_guid`) is the previous job.
   */
  queuedJob: QueuedJob | null;
  /** When a job of each kind last succeeded (clock ms), for the "too soon" rule. */
  lastSuccessAt: Partial<Record<JobKind, number>>;
  /** v20250224 `data_request.products` given at creation (decide the kind of the job an OAuth authorization starts). */
  products: ReadonlyArray<string> | null;
  /** An OAuth member created with `skip_aggregation` (v20111101): authorizing it starts no job. */
  skipAggregationOnAuthorize: boolean;
  challenges: ChallengeRecord[];
  /** True once a statements job has succeeded (or the member was seeded). */
  statementsAvailable: boolean;
}

/** A job accepted but not begun (see {@link MemberRecord.queuedJob}). */
export interface QueuedJob {
  readonly guid: string;
  readonly kind: JobKind;
  readonly aggregates: boolean;
  /** Cancels the pending start. */
  readonly cancel: () => void;
}

/**
 * A new member record with every job field at rest (no job, nothing aggregated).
 *
 * @example
 * ```ts
 * import { findInstitution } from './institutions-catalog.js';
 * import { newMemberRecord } from './state.js';
 *
 * const member = newMemberRecord({ guid: 'MBR-1', userGuid: 'USR-1', institution: findInstitution('mxbank')!, status: 'CREATED', message: 'Created' });
 * ```
 */
export function newMemberRecord(init: {
  readonly guid: string;
  readonly userGuid: string;
  readonly institution: CatalogInstitution;
  readonly status: string;
  readonly message: string;
  readonly isOauth?: boolean;
}): MemberRecord {
  return {
    guid: init.guid,
    userGuid: init.userGuid,
    institution: init.institution,
    id: null,
    metadata: null,
    credentials: new Map(),
    backgroundAggregationIsDisabled: false,
    isOauth: init.isOauth ?? false,
    oauthAuthorized: false,
    useCases: [],
    connectionStatus: init.status,
    connectionStatusMessage: init.message,
    isBeingAggregated: false,
    isAuthenticated: false,
    aggregatedAt: null,
    successfullyAggregatedAt: null,
    credentialsChanged: false,
    job: null,
    queuedJob: null,
    lastSuccessAt: {},
    products: null,
    skipAggregationOnAuthorize: false,
    challenges: [],
    statementsAvailable: false,
  };
}

/** A user as the sandbox keeps it. */
export interface UserRecord {
  readonly guid: string;
  id: string | null;
  email: string | null;
  metadata: string | null;
  isDisabled: boolean;
  readonly members: Map<string, MemberRecord>;
}

/** The limits the state enforces. */
export interface StateLimits {
  readonly maxUsers: number;
  readonly maxMembersPerUser: number;
  readonly maxMembers: number;
}

/**
 * Users (in creation order) and their members, with the uniqueness rules MX applies.
 *
 * @example
 * ```ts
 * import { SandboxState } from './state.js';
 *
 * const state = new SandboxState({ maxUsers: 10, maxMembersPerUser: 5, maxMembers: 20 });
 * state.addUser({ guid: 'USR-1', id: 'u-1', email: null, metadata: null, isDisabled: false, members: new Map() });
 * ```
 */
export class SandboxState {
  private readonly users = new Map<string, UserRecord>();
  private readonly userIds = new Map<string, string>();
  private memberCount = 0;

  constructor(private readonly limits: StateLimits) {}

  /** Adds a user; 409 on a reused `id`, 507 beyond `maxUsers`. */
  addUser(user: UserRecord): void {
    if (user.id !== null && this.userIds.has(user.id)) throw errors.conflict(`a user with id "${user.id}" already exists`);
    if (this.users.size >= this.limits.maxUsers) {
      throw errors.insufficientStorage(`sandbox limit reached: at most ${this.limits.maxUsers} users (option limits.maxUsers)`);
    }
    this.users.set(user.guid, user);
    if (user.id !== null) this.userIds.set(user.id, user.guid);
  }

  /** The user with this guid; 404 otherwise. */
  user(guid: string): UserRecord {
    const user = this.users.get(guid);
    if (!user) throw errors.notFound(`user ${guid} not found`);
    return user;
  }

  /** The user with this guid, or (v20250224's `user_identifier`) with this `id`; 404 otherwise. */
  userByIdentifier(identifier: string): UserRecord {
    const guid = this.users.has(identifier) ? identifier : this.userIds.get(identifier);
    return this.user(guid ?? identifier);
  }

  /** The member with this guid, or (v20250224's `member_identifier`) with this `id`, under `user`; 404 otherwise. */
  memberByIdentifier(user: UserRecord, identifier: string): MemberRecord {
    const byGuid = user.members.get(identifier);
    if (byGuid) return byGuid;
    for (const member of user.members.values()) if (member.id === identifier) return member;
    throw errors.notFound(`member ${identifier} not found for user ${user.guid}`);
  }

  /** Every user, in creation order. */
  allUsers(): ReadonlyArray<UserRecord> {
    return [...this.users.values()];
  }

  /** Removes a user and returns its members (for the caller to cancel their jobs). */
  deleteUser(guid: string): ReadonlyArray<MemberRecord> {
    const user = this.user(guid);
    this.users.delete(guid);
    if (user.id !== null) this.userIds.delete(user.id);
    this.memberCount -= user.members.size;
    return [...user.members.values()];
  }

  /** The member with this guid under this user; 404 for either. */
  member(userGuid: string, memberGuid: string): MemberRecord {
    const member = this.user(userGuid).members.get(memberGuid);
    if (!member) throw errors.notFound(`member ${memberGuid} not found for user ${userGuid}`);
    return member;
  }

  /** The user with this guid, or undefined (never throws). */
  findUser(guid: string): UserRecord | undefined {
    return this.users.get(guid);
  }

  /** The member with these guids, or undefined (never throws). */
  findMember(userGuid: string, memberGuid: string): MemberRecord | undefined {
    return this.users.get(userGuid)?.members.get(memberGuid);
  }

  /** Checks that a member with this id (and these credentials) may be added; 409 or 507 otherwise. */
  checkNewMember(user: UserRecord, id: string | null, institutionCode: string, credentials: ReadonlyMap<string, string>): void {
    for (const other of user.members.values()) {
      if (id !== null && other.id === id) throw errors.conflict(`a member with id "${id}" already exists for this user`);
      if (other.institution.code === institutionCode && sameCredentials(other.credentials, credentials)) {
        throw errors.conflict('a member with the same institution and credentials already exists for this user');
      }
    }
    if (user.members.size >= this.limits.maxMembersPerUser) {
      throw errors.insufficientStorage(
        `sandbox limit reached: at most ${this.limits.maxMembersPerUser} members per user (option limits.maxMembersPerUser)`,
      );
    }
    if (this.memberCount >= this.limits.maxMembers) {
      throw errors.insufficientStorage(`sandbox limit reached: at most ${this.limits.maxMembers} members (option limits.maxMembers)`);
    }
  }

  /** Adds a member (after {@link checkNewMember}). */
  addMember(user: UserRecord, member: MemberRecord): void {
    user.members.set(member.guid, member);
    this.memberCount += 1;
  }

  /** Removes a member and returns it. */
  deleteMember(userGuid: string, memberGuid: string): MemberRecord {
    const member = this.member(userGuid, memberGuid);
    this.user(userGuid).members.delete(memberGuid);
    this.memberCount -= 1;
    return member;
  }

  /** Every member of every user (for `close()`). */
  allMembers(): ReadonlyArray<MemberRecord> {
    return [...this.users.values()].flatMap((u) => [...u.members.values()]);
  }
}

const sameCredentials = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean => {
  if (a.size !== b.size || a.size === 0) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
};
