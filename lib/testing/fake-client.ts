/**
 * `fakeMxClient`: an `MxClient` whose endpoints are functions you give (usually returning `cold()` marbles), so the
 * real workflow runs against a script, in virtual time.
 *
 * @module
 */
import type { Observable, SchedulerLike } from 'rxjs';
import type { MxClient } from '../api/client.js';
import { resolveConfig, type ClientHints, type MxApiVersion } from '../core/config.js';
import type { Transport } from '../http/transport.js';

/** The endpoint groups of an {@link MxClient}. */
export type MxEndpointGroup = 'users' | 'institutions' | 'members' | 'challenges' | 'statements';

/**
 * The endpoints a fake answers: any subset, by group and method name, each a function of the same arguments as
 * the real one that returns what the real one would (an `MxObservable`, typically a `cold()` marble).
 */
export type FakeMxApi = {
  readonly [G in MxEndpointGroup]?: { readonly [K in keyof MxClient[G]]?: MxClient[G][K] };
};

/** One call the fake saw: `members.status$` with its arguments. */
export interface FakeMxCall {
  readonly name: string;
  readonly args: ReadonlyArray<unknown>;
}

/** Options of {@link fakeMxClient}. */
export interface FakeMxClientOptions {
  /** The client's scheduler (polling, backoff and deadlines run on it). Default: RxJS's async scheduler, which `TestScheduler.run` makes virtual. */
  readonly scheduler?: SchedulerLike;
  /** The API version the client says it speaks (`client.config.apiVersion`). Default `v20111101`. */
  readonly apiVersion?: MxApiVersion;
  /** The jitter source, `[0, 1)`. Default `() => 1`: no randomness, so marble timings are exact. */
  readonly random?: () => number;
  /** What `client.hints` says; `{ sandbox: true }` makes the workflow pick the sandbox's fast polling. Default `{ sandbox: false }`. */
  readonly hints?: ClientHints;
}

/** A fake client and the calls it saw, in order. */
export interface FakeMxClient {
  readonly client: MxClient;
  readonly calls: ReadonlyArray<FakeMxCall>;
}

/**
 * A fake {@link MxClient} for tests: each endpoint you give answers with what your function returns; any other
 * endpoint throws `fakeMxClient: unexpected call …`, so a test fails loudly on a request it did not script. Every
 * call is recorded in `calls`. Nothing touches the network, so `fetchStatements$` runs whole inside
 * `TestScheduler.run`, polling included.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * import { TestScheduler } from 'rxjs/testing';
 * import type { MemberStatus } from 'mx-statements-rx';
 * import { fakeMxClient } from 'mx-statements-rx/testing';
 *
 * new TestScheduler((a, b) => console.assert(JSON.stringify(a) === JSON.stringify(b))).run(({ cold, expectObservable }) => {
 *   const status: MemberStatus = { guid: 'MBR-1', connection_status: 'CONNECTED', is_being_aggregated: false };
 *   const { client, calls } = fakeMxClient({
 *     members: { status$: () => cold('--s|', { s: E.right(status) }) },
 *   });
 *   expectObservable(client.members.status$({ userGuid: 'USR-1', memberGuid: 'MBR-1' })).toBe('--s|', { s: E.right(status) });
 *   return calls; // [{ name: 'members.status$', args: [{ userGuid: 'USR-1', memberGuid: 'MBR-1' }] }] once flushed
 * });
 * ```
 */
export const fakeMxClient = (api: FakeMxApi, options: FakeMxClientOptions = {}): FakeMxClient => {
  const calls: FakeMxCall[] = [];
  const group = <G extends MxEndpointGroup>(g: G): MxClient[G] =>
    new Proxy({}, {
      get: (_target, prop) => {
        if (typeof prop !== 'string') return undefined;
        return (...args: unknown[]): Observable<unknown> => {
          calls.push({ name: `${g}.${prop}`, args });
          const fn = (api[g] as Record<string, ((...a: unknown[]) => Observable<unknown>) | undefined> | undefined)?.[prop];
          if (!fn) throw new Error(`fakeMxClient: unexpected call ${g}.${prop}(${safeJson(args)}): give it in the api of fakeMxClient`);
          return fn(...args);
        };
      },
    }) as MxClient[G];
  const config = resolveConfig({
    baseUrl: 'https://fake.mx.invalid',
    auth: 'none',
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    random: options.random ?? (() => 1),
    ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
  });
  const noTransport = (): never => {
    throw new Error('fakeMxClient: the raw transport is not faked; script the endpoint instead');
  };
  const transport: Transport = { json$: noTransport, empty$: noTransport, bytes$: noTransport };
  return {
    client: {
      config,
      hints: options.hints ?? { sandbox: false },
      users: group('users'),
      institutions: group('institutions'),
      members: group('members'),
      challenges: group('challenges'),
      statements: group('statements'),
      transport,
    },
    calls,
  };
};

const safeJson = (v: unknown): string => {
  try {
    return JSON.stringify(v).slice(0, 200);
  } catch {
    return '…';
  }
};
