import * as E from 'fp-ts/lib/Either.js';
import type { Observable, SchedulerLike } from 'rxjs';
import type { MxClient } from '../../lib/api/client.js';
import { resolveConfig, type MxApiVersion } from '../../lib/core/config.js';
import type { MxError } from '../../lib/core/errors.js';
import { fakeMxClient, type FakeMxApi, type FakeMxCall, type MxEndpointGroup } from '../../lib/testing/fake-client.js';

type Fn = (...args: never[]) => Observable<unknown>;

/** The stubbed endpoints: any subset, by group and method name (`members: { status$: … }`), loosely typed. */
export type FakeApi = { readonly [G in MxEndpointGroup]?: { readonly [K in keyof MxClient[G]]?: Fn } };

/** One call the fake saw. */
export type FakeCall = FakeMxCall;

/**
 * A fake `MxClient` whose endpoints are the given functions (typically returning `cold()` marbles): the
 * package's own `fakeMxClient` (any other endpoint throws "unexpected call", every call is recorded in `calls`),
 * with the specs' client config — a base URL of their choice and a quick retry policy (5 ms, ×2, up to 40 ms)
 * that marble timings count on.
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
): { client: MxClient; calls: ReadonlyArray<FakeCall> } => {
  const { baseUrl, ...fakeOptions } = options;
  const fake = fakeMxClient(api as FakeMxApi, fakeOptions);
  const config = resolveConfig({
    baseUrl: baseUrl ?? 'https://fake.mx.test',
    auth: 'none',
    retry: { baseDelayMs: 5, maxDelayMs: 40, factor: 2 },
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
    random: options.random ?? (() => 1),
    ...(options.apiVersion ? { apiVersion: options.apiVersion } : {}),
  });
  return { client: { ...fake.client, config }, calls: fake.calls };
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
