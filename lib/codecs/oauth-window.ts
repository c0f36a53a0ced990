/**
 * The answer of `GET …/members/{m}/oauth_window_uri` (`OAuthWindowResponse` in both specs).
 *
 * @module
 */
import * as t from 'io-ts';
import { nullable } from './nullable.js';

/**
 * A member's one-time OAuth window: `guid` (MBR-…) and `oauth_window_uri`, both optional and nullable in the specs.
 *
 * @example
 * ```ts
 * import { OAuthWindow } from './oauth-window.js';
 * OAuthWindow.decode({ guid: 'MBR-1', oauth_window_uri: 'https://int-app.moneydesktop.com/oauth/…' }); // right({ … })
 * ```
 */
export const OAuthWindow = t.partial(
  { guid: nullable(t.string), oauth_window_uri: nullable(t.string) },
  'OAuthWindow',
);
/**
 * A decoded {@link OAuthWindow}.
 *
 * @example
 * ```ts
 * import type { OAuthWindow } from 'mx-statements-rx';
 * const w: OAuthWindow = { guid: 'MBR-1', oauth_window_uri: null };
 * ```
 */
export type OAuthWindow = t.TypeOf<typeof OAuthWindow>;

/**
 * `{ member: { guid, oauth_window_uri } }`: requestOAuthWindowURI.
 *
 * @example
 * ```ts
 * import { OAuthWindowResponseBody } from './oauth-window.js';
 * OAuthWindowResponseBody.decode({ member: { guid: 'MBR-1', oauth_window_uri: 'https://example.com/oauth' } });
 * ```
 */
export const OAuthWindowResponseBody = t.type({ member: OAuthWindow }, 'OAuthWindowResponseBody');
/**
 * A decoded {@link OAuthWindowResponseBody}.
 *
 * @example
 * ```ts
 * import type { OAuthWindowResponseBody } from './oauth-window.js';
 * const b: OAuthWindowResponseBody = { member: { guid: 'MBR-1', oauth_window_uri: 'https://example.com/oauth' } };
 * ```
 */
export type OAuthWindowResponseBody = t.TypeOf<typeof OAuthWindowResponseBody>;
