/** A real sandbox over loopback HTTP, a client for it with a spy fetch, and its seeded members. */
import crossFetch from 'cross-fetch';
import * as E from 'fp-ts/lib/Either.js';
import { collect, last } from '../../helpers/bounded.js';
import { createMxClient, type MxClient } from '../../../lib/api/client.js';
import type { MemberRef } from '../../../lib/api/refs.js';
import type { FetchInit, FetchLike, MxClientConfig } from '../../../lib/core/config.js';
import { seedUserId, startSandbox, type SandboxHandle, type SandboxOptions } from '../../../lib/sandbox/index.js';

/** One request the spy saw. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly init: FetchInit;
}

/** cross-fetch, recording each request (and its AbortSignal). */
export const spyFetch = () => {
  const seen: SeenRequest[] = [];
  const fetch: FetchLike = (url, init) => {
    seen.push({ method: init.method, url, init });
    return (crossFetch as unknown as FetchLike)(url, init);
  };
  return { fetch, seen };
};

/** Starts a sandbox and a client for it. */
export const sandboxClient = async (options: SandboxOptions, client: Partial<MxClientConfig> = {}) => {
  const sandbox: SandboxHandle = await startSandbox({ aggregationMs: 20, ...options });
  const spy = spyFetch();
  const mx: MxClient = createMxClient({
    baseUrl: sandbox.url,
    clientId: sandbox.clientId,
    apiKey: sandbox.apiKey,
    fetch: spy.fetch,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    ...client,
  });
  return { sandbox, client: mx, seen: spy.seen };
};

const right = <A>(r: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

/** The member of seeded user `n` (1-based). */
export const seededMember = async (client: MxClient, n: number): Promise<MemberRef> => {
  const user = right(await last(client.users.list$({ id: seedUserId(n) }))).items[0];
  if (!user) throw new Error(`no seeded user ${n}`);
  const members = (await collect(client.members.all$({ userGuid: user.guid }))).map(right);
  const member = members[0];
  if (!member) throw new Error(`seeded user ${n} has no member`);
  return { userGuid: user.guid, memberGuid: member.guid };
};
