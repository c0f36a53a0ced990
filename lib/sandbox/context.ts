/**
 * What route handlers get: the sandbox's services, and the parsed request.
 *
 * @module
 */
import type { IdFactory } from './ids.js';
import type { JobRunner } from './jobs.js';
import type { OAuthWindows } from './oauth/windows.js';
import type { ResolvedOptions } from './options.js';
import type { SandboxState } from './state.js';
import type { StatementSource } from './statements/index.js';
import type { StatementStore } from './statements-store.js';
import type { TimerSet } from './timers.js';
import type { SandboxApiVersion } from './versions.js';

/** The services shared by every handler of one sandbox. */
export interface SandboxContext {
  readonly options: ResolvedOptions;
  readonly state: SandboxState;
  readonly jobs: JobRunner;
  readonly ids: IdFactory;
  readonly statements: StatementStore;
  /** Every timer, on the configured clock (`timers.now()` is the sandbox's time). */
  readonly timers: TimerSet;
  /** The one-time OAuth window links. */
  readonly oauth: OAuthWindows;
  /** The sandbox's own URL (`http://host:port`), known once it listens. */
  readonly baseUrl: () => string;
}

/** A request as a handler sees it. */
export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body, `undefined` when empty or when the route takes none. */
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The API version the request is answered in (`Accept-Version`); HTML pages get the default v20111101. */
  readonly version: SandboxApiVersion;
  /** A form body (`application/x-www-form-urlencoded`) for routes that take one. */
  readonly form?: URLSearchParams;
}

/** What a handler answers. */
export type RouteResult =
  | { readonly type: 'json'; readonly status: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly type: 'empty'; readonly status: number }
  | { readonly type: 'pdf'; readonly source: StatementSource }
  | { readonly type: 'html'; readonly status: number; readonly html: string }
  | { readonly type: 'redirect'; readonly status: 303; readonly location: string };

/**
 * Shorthand for a JSON result.
 *
 * @example
 * ```ts
 * import { json, type RouteResult } from './context.js';
 * import { userJson } from './serialize.js';
 * import type { UserRecord } from './state.js';
 *
 * const userResult = (user: UserRecord): RouteResult => json(200, { user: userJson(user, 'v20111101') });
 * ```
 */
export const json = (status: number, body: unknown, headers?: Readonly<Record<string, string>>): RouteResult =>
  headers === undefined ? { type: 'json', status, body } : { type: 'json', status, body, headers };

/**
 * Shorthand for an empty result.
 *
 * @example
 * ```ts
 * import { empty, type RouteResult } from './context.js';
 *
 * const deleted = (): RouteResult => empty(204);
 * ```
 */
export const empty = (status: number): RouteResult => ({ type: 'empty', status });
