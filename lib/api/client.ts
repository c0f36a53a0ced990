import { checkPathBaseUrl, resolveConfig, type ClientHints, type MxClientConfig, type ResolvedConfig } from '../core/config.js';
import { defaultApiFetch, defaultDownloadFetch } from '../http/default-fetch.js';
import { createTransport, type Transport } from '../http/transport.js';
import { challengesApi, type ChallengesApi } from './challenges.js';
import { institutionsApi, type InstitutionsApi } from './institutions.js';
import { membersApi, type MembersApi } from './members.js';
import { statementsApi, type StatementsApi } from './statements.js';
import { usersApi, type UsersApi } from './users.js';
import type { MxObservable } from '../core/observable-either.js';

/**
 * An MX Platform API client bound to one configuration. Every method returns a cold
 * `MxObservable<A>`: nothing is sent until you subscribe, each subscription sends its own
 * request, and unsubscribing aborts it. All calls share the client's rate limiter and retry policy.
 */
export interface MxClient {
  /** The configuration in force, after defaults. It holds no secret. */
  readonly config: ResolvedConfig;
  /**
   * What the server's answers have said so far: `hints.sandbox` turns `true` once an answer named the embedded
   * sandbox (`X-MX-Sandbox: mx-statements-rx`). The workflow reads it when a polling phase starts.
   */
  readonly hints: ClientHints;
  readonly users: UsersApi;
  readonly institutions: InstitutionsApi;
  readonly members: MembersApi;
  readonly challenges: ChallengesApi;
  readonly statements: StatementsApi;
  /** The raw transport, for an endpoint this client does not wrap yet. */
  readonly transport: Transport;
}

const NO_HINTS: ClientHints = Object.freeze({ sandbox: false });

/**
 * Creates an MX client. Bad configuration throws `MxConfigError` here, naming the field, rather than failing
 * at the first request. The API key is kept in a closure: it is not on the returned object.
 *
 * @example
 * ```ts
 * import { createMxClient } from 'mx-statements-rx';
 * import * as E from 'fp-ts/lib/Either.js';
 *
 * const client = createMxClient({ environment: 'integration', clientId: 'my-client-id', apiKey: 'my-api-key' });
 * client.institutions.all$({ name: 'MX Bank', supportsAccountStatement: true }).subscribe((result) => {
 *   if (E.isRight(result)) console.log(result.right.code, result.right.name);
 *   else console.error(result.left.message);
 * });
 * ```
 */
export const createMxClient = (config: MxClientConfig): MxClient => {
  const resolved = resolveConfig(config);
  checkPathBaseUrl(resolved.baseUrl, config.fetch !== undefined);
  const transport = createTransport(
    resolved,
    { ...(config.clientId !== undefined ? { clientId: config.clientId } : {}), ...(config.apiKey !== undefined ? { apiKey: config.apiKey } : {}) },
    config.fetch ?? defaultApiFetch(),
    config.downloadFetch ?? config.fetch ?? defaultDownloadFetch(),
    config.onRetry,
  );
  const version = resolved.apiVersion;
  return {
    config: resolved,
    hints: transport.hints ?? NO_HINTS,
    users: usersApi(transport, version),
    institutions: institutionsApi(transport, version),
    members: membersApi(transport, version),
    challenges: challengesApi(transport, version),
    statements: statementsApi(transport, version),
    transport,
  };
};


