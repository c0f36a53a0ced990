/**
 * Members' statements: built lazily by the statement catalogue (which caches a bounded number of members and
 * is deterministic, so a dropped catalogue is rebuilt identical), visible once a statements job has succeeded.
 *
 * @module
 */
import type { MemberRecord } from './state.js';
import { statementCatalog, type StatementSource } from './statements/index.js';

/** What the store passes to `statementCatalog` besides the member. */
export interface StatementStoreConfig {
  readonly seed: string;
  readonly count: number;
  readonly largePdfBytes: number | undefined;
  readonly referenceDate: string | undefined;
}

/**
 * The statements of members, looked up in the deterministic catalogue.
 *
 * @example
 * ```ts
 * import type { MemberRecord } from './state.js';
 * import { StatementStore } from './statements-store.js';
 * declare const member: MemberRecord;
 *
 * const store = new StatementStore({ seed: 's', count: 6, largePdfBytes: undefined, referenceDate: undefined });
 * const statements = await store.list(member);
 * ```
 */
export class StatementStore {
  constructor(private readonly config: StatementStoreConfig) {}

  /** The member's statements ([] until a statements job has succeeded). */
  list(member: MemberRecord): Promise<ReadonlyArray<StatementSource>> {
    if (!member.statementsAvailable || this.config.count === 0) return Promise.resolve([]);
    return statementCatalog({
      seed: this.config.seed,
      userGuid: member.userGuid,
      memberGuid: member.guid,
      institutionName: member.institution.name,
      count: this.config.count,
      ...(this.config.largePdfBytes === undefined ? {} : { largePdfBytes: this.config.largePdfBytes }),
      ...(this.config.referenceDate === undefined ? {} : { referenceDate: this.config.referenceDate }),
    });
  }

  /** One statement of the member, if it has it. */
  async find(member: MemberRecord, statementGuid: string): Promise<StatementSource | undefined> {
    return (await this.list(member)).find((s) => s.guid === statementGuid);
  }
}
