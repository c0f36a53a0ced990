/**
 * Parsing the member bodies of create and update (types, credentials that belong to the institution,
 * `use_cases`, the top-level create fields, `X-CALLBACK-PAYLOAD`). Error messages never include a value.
 *
 * @module
 */
import { errors } from '../http-error.js';
import type { CatalogInstitution } from '../institutions-catalog.js';
import { guidValues, optionalArray, optionalBoolean, optionalString, type JsonObject } from '../validate.js';

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
 * const fields = memberFields(wrapped(req.body, 'member'), institution);
 * ```
 */
export function memberFields(m: JsonObject, institution: CatalogInstitution): MemberFields {
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

/**
 * Checks the top-level fields of the create body (`client_redirect_url`, `enable_app2app`, `referral_source`,
 * `ui_message_webview_url_scheme`).
 *
 * @example
 * ```ts
 * import type { RouteRequest } from '../context.js';
 * import type { JsonObject } from '../validate.js';
 * import { checkCreateExtras } from './member-input.js';
 * declare const req: RouteRequest;
 *
 * checkCreateExtras(req.body as JsonObject);
 * ```
 */
export function checkCreateExtras(body: JsonObject): void {
  optionalString(body, 'client_redirect_url', 'body');
  optionalString(body, 'ui_message_webview_url_scheme', 'body');
  optionalBoolean(body, 'enable_app2app', 'body');
  const referral = optionalString(body, 'referral_source', 'body');
  if (referral !== undefined && !REFERRAL_SOURCES.has(referral)) throw errors.badRequest('referral_source must be BROWSER or APP');
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
