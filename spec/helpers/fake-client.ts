import * as E from 'fp-ts/lib/Either.js';
import type { Observable, SchedulerLike } from 'rxjs';
import type { MxClient } from '../../lib/api/client.js';
import { resolveConfig, type MxApiVersion } from '../../lib/core/config.js';
import type { MxError } from '../../lib/core/errors.js';
import type { Transport } from '../../lib/http/transport.js';

type Fn = (...args: never[]) => Observable<unknown>;
type Group = 'users' | 'institutions' | 'members' | 'challenges' | 'statements';

/** The stubbed endpoints: any subset, by group and method name (`members: { status$: … }`). */
export type FakeApi = { readonly [G in Group]?: { readonly [K in keyof MxClient[G]]?: Fn } };

/** One call the fake saw. */
export interface FakeCall {
  readonly name: string;
  readonly args: ReadonlyArray<unknown>;
}

/**
 * A fake `MxClient` whose endpoints are the given functions (typically returning `cold()` marbles). Any other
 * endpoint throws "unexpected call", so a spec fails loudly on a request it did not script. Every call is
 * recorded in `calls`.
 */
export const fakeClient = (
  api: FakeApi,
  options: {
    readonly scheduler?: SchedulerLike;
    readonly baseUrl?: string;
    readonly random?: () => number;
    readonly apiVersion?: MxApiVersion;
    /** What `client.hints` says (a live object: a spec may flip `sandbox` while a run goes on). */
    readonly hints?: { sandbox: boolean };
  } = {},
): { client: MxClient; calls: FakeCall[] } => {
  const calls: FakeCall[] = [];
  const group = <G extends Group>(g: G): MxClient[G] =>
    new Proxy({}, {
      get: (_t, prop: string) => (...args: unknown[]) => {
        calls.push({ name: `${g}.${prop}`, args });
        const fn = (api[g] as Record<string, ((...a: unknown[]) => Observable<unknown>) | undefined> | undefined)?.[prop];
        if (!fn) throw new Error(`fakeClient: unexpected call ${g}.${prop}(${JSON.stringify(args)})`);
        return fn(...args);
      },
    }) as MxClient[G];
  const config = resolveConfig({
    baseUrl: options.baseUrl ?? 'https://fake.mx.test',
    auth: 'none',
    retry: { baseDelayMs: 5, maxDelayMs: 40, factor: 2 },
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    random: options.random ?? (() => 1),
    ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
  });
  const transport = new Proxy({}, { get: () => () => { throw new Error('fakeClient: no transport'); } }) as Transport;
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

/** A function that returns `responses[0]` on its first call, `responses[1]` on the second, …; throws beyond. */
export const sequence = <A>(...responses: ReadonlyArray<Observable<A>>) => {
  let i = 0;
  const fn = (): Observable<A> => {
    const next = responses[i++];
    if (!next) throw new Error(`sequence: no response scripted for call ${i}`);
    return next;
  };
  return fn;
};

/** Shorthands for marble values. */
export const R = <A>(a: A): E.Either<MxError, A> => E.right(a);
export const L = (e: MxError): E.Either<MxError, never> => E.left(e);

/** A plausible HTTP error of the given tag. */
export const httpError = (
  _tag: 'Conflict' | 'NotFound' | 'ServerError' | 'BadRequest' | 'RateLimited',
  status: number,
  path = '/x',
  method = 'GET',
): MxError => ({ _tag, status, method, path, message: `${method} ${path} → ${status}` }) as MxError;
