/**
 * Parsing the member bodies of create and update (types, credentials that belong to the institution,
 * `use_cases`, the top-level create fields, `X-CALLBACK-PAYLOAD`). Error messages never include a value.
 *
 * @module
 */
import { errors } from '../http-error.js';
import type { CatalogInstitution } from '../institutions-catalog.js';
import { guidValues, optionalArray, optionalBoolean, optionalString, type JsonObject } from '../validate.js';
import type { SandboxApiVersion } from '../versions.js';

const USE_CASES = new Set(['PFM', 'MONEY_MOVEMENT']);
const REFERRAL_SOURCES = new Set(['BROWSER', 'APP']);

/** The fields create and update share. */
export interface MemberFields {
  readonly id: string | undefined;
  readonly metadata: string | undefined;
  readonly skipAggregation: boolean | undefined;
  readonly backgroundAggregationIsDisabled: boolean | undefined;
  readonly useCases: string[] | undefined;
  readonly credentials: Map<string, string> | undefined;
}

/**
 * Reads the shared member fields; credential guids must belong to `institution`.
 *
 * @example
 * ```ts
 * import type { RouteRequest } from '../context.js';
 * import type { CatalogInstitution } from '../institutions-catalog.js';
 * import { wrapped } from '../validate.js';
 * import { memberFields } from './member-input.js';
 * declare const req: RouteRequest;
 * declare const institution: CatalogInstitution;
 *
 * const fields = memberFields(wrapped(req.body, 'member'), institution, req.version);
 * ```
 */
export function memberFields(m: JsonObject, institution: CatalogInstitution, version: SandboxApiVersion): MemberFields {
  if (version === 'v20250224' && m.skip_aggregation !== undefined) {
    throw errors.badRequest(
      'member.skip_aggregation is not part of v20250224: a creation aggregates the data_request products; an OAuth member takes skip_aggregation on GET …/oauth_window_uri',
    );
  }
  const useCases = optionalArray(m, 'use_cases', 'member', 2);
  for (const u of useCases ?? []) {
    if (typeof u !== 'string' || !USE_CASES.has(u)) throw errors.badRequest('member.use_cases items must be PFM or MONEY_MOVEMENT');
  }
  const items = optionalArray(m, 'credentials', 'member', 20);
  const credentials = items === undefined ? undefined : guidValues(items, 'member.credentials');
  for (const guid of credentials?.keys() ?? []) {
    if (!institution.credentials.some((c) => c.guid === guid)) {
      throw errors.badRequest(`credential ${guid} is not one of institution ${institution.code}'s credentials`);
    }
  }
  return {
    id: optionalString(m, 'id', 'member'),
    metadata: optionalString(m, 'metadata', 'member', 4096),
    skipAggregation: optionalBoolean(m, 'skip_aggregation', 'member'),
    backgroundAggregationIsDisabled: optionalBoolean(m, 'background_aggregation_is_disabled', 'member'),
    useCases: useCases as string[] | undefined,
    credentials,
  };
}

/** The OAuth settings a create body or an `oauth_window_uri` query carries. */
export interface OAuthExtras {
  readonly clientRedirectUrl: string | undefined;
  readonly referralSource: 'BROWSER' | 'APP';
}

/** Schemes a `client_redirect_url` may never use: they would run code or read files in the person's browser. */
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'blob:', 'about:']);

/**
 * Checks a `client_redirect_url`: an absolute URL (`https:`, `http:`, or an app's own scheme), at most 2048
 * characters, never `javascript:`/`data:`/`file:`…; 400 otherwise.
 *
 * @example
 * ```ts
 * import { checkRedirectUrl } from './member-input.js';
 *
 * checkRedirectUrl('https://app.example/oauth-done', 'client_redirect_url'); // ok
 * checkRedirectUrl('javascript:alert(1)', 'client_redirect_url'); // throws HttpError 400
 * ```
 */
export function checkRedirectUrl(value: string, where: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (value.length > 2048 || url === undefined || FORBIDDEN_SCHEMES.has(url.protocol)) {
    throw errors.badRequest(`${where} must be an absolute URL (https:, http: or an app scheme), at most 2048 characters`);
  }
}

const referralSource = (value: string | undefined, where: string): 'BROWSER' | 'APP' => {
  if (value === undefined) return 'BROWSER';
  if (!REFERRAL_SOURCES.has(value)) throw errors.badRequest(`${where} must be BROWSER or APP`);
  return value as 'BROWSER' | 'APP';
};

/**
 * Checks the top-level fields of the create body (`client_redirect_url`, `enable_app2app`, `referral_source`,
 * `ui_message_webview_url_scheme`) and returns the OAuth ones.
 *
 * @example
 * ```ts
 * import type { RouteRequest } from '../context.js';
 * import type { JsonObject } from '../validate.js';
 * import { checkCreateExtras } from './member-input.js';
 * declare const req: RouteRequest;
 *
 * checkCreateExtras(req.body as JsonObject).referralSource; // 'BROWSER' unless APP was asked
 * ```
 */
export function checkCreateExtras(body: JsonObject): OAuthExtras {
  const clientRedirectUrl = optionalString(body, 'client_redirect_url', 'body', 2048);
  if (clientRedirectUrl !== undefined) checkRedirectUrl(clientRedirectUrl, 'client_redirect_url');
  optionalString(body, 'ui_message_webview_url_scheme', 'body');
  optionalBoolean(body, 'enable_app2app', 'body');
  return { clientRedirectUrl, referralSource: referralSource(optionalString(body, 'referral_source', 'body'), 'referral_source') };
}

/**
 * Reads the query of `GET …/oauth_window_uri` (`client_redirect_url`, `referral_source`, `skip_aggregation`,
 * `enable_app2app`, `ui_message_webview_url_scheme`); 400 for a malformed value.
 *
 * @example
 * ```ts
 * import { oauthWindowQuery } from './member-input.js';
 *
 * oauthWindowQuery(new URLSearchParams('skip_aggregation=true')).skipAggregation; // true
 * ```
 */
export function oauthWindowQuery(query: URLSearchParams): OAuthExtras & { readonly skipAggregation: boolean } {
  const get = (k: string): string | undefined => query.get(k) ?? undefined;
  const clientRedirectUrl = get('client_redirect_url');
  if (clientRedirectUrl !== undefined) checkRedirectUrl(clientRedirectUrl, 'client_redirect_url');
  const bool = (k: string): boolean | undefined => {
    const v = get(k);
    if (v === undefined || v === '') return undefined;
    if (v !== 'true' && v !== 'false') throw errors.badRequest(`query parameter ${k} must be true or false`);
    return v === 'true';
  };
  bool('enable_app2app');
  if ((get('ui_message_webview_url_scheme') ?? '').length > 1024) throw errors.badRequest('ui_message_webview_url_scheme is too long');
  return {
    clientRedirectUrl,
    referralSource: referralSource(get('referral_source'), 'referral_source'),
    skipAggregation: bool('skip_aggregation') === true,
  };
}

/**
 * Checks the optional `X-CALLBACK-PAYLOAD` header (at most 1024 characters).
 *
 * @example
 * ```ts
 * import type { RouteRequest } from '../context.js';
 * import { checkCallbackPayload } from './member-input.js';
 * declare const req: RouteRequest;
 *
 * checkCallbackPayload(req.headers['x-callback-payload']);
 * ```
 */
export function checkCallbackPayload(header: string | string[] | undefined): void {
  if (header === undefined) return;
  const v = Array.isArray(header) ? header.join(',') : header;
  if (v.length > 1024) throw errors.badRequest('X-CALLBACK-PAYLOAD must be at most 1024 characters');
}
