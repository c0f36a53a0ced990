/**
 * Checking request bodies and query values, turning every mismatch into a 400 with the field's path.
 *
 * @module
 */
import { errors } from './http-error.js';

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

const isObject = (u: unknown): u is JsonObject => typeof u === 'object' && u !== null && !Array.isArray(u);

const describe = (u: unknown): string => (u === null ? 'null' : Array.isArray(u) ? 'an array' : `a ${typeof u}`);

/**
 * The wrapper object `body[key]` (e.g. `{ "user": { … } }`), which must be a non-empty object.
 *
 * @example
 * ```ts
 * import type { RouteRequest } from './context.js';
 * import { wrapped } from './validate.js';
 * declare const req: RouteRequest;
 *
 * const user = wrapped(req.body, 'user'); // 400 unless the body is { user: { …at least one field } }
 * ```
 */
export function wrapped(body: unknown, key: string): JsonObject {
  if (body === undefined) throw errors.badRequest(`a JSON body { "${key}": { … } } is required`);
  if (!isObject(body)) throw errors.badRequest(`the body must be a JSON object, got ${describe(body)}`);
  const inner = body[key];
  if (inner === undefined) throw errors.badRequest(`the body must have a "${key}" object`);
  if (!isObject(inner)) throw errors.badRequest(`"${key}" must be an object, got ${describe(inner)}`);
  if (Object.keys(inner).length === 0) throw errors.badRequest(`"${key}" must not be empty`);
  return inner;
}

/**
 * The optional string `obj[key]` (`null` counts as absent); 400 for another type.
 *
 * @example
 * ```ts
 * import { optionalString, type JsonObject } from './validate.js';
 * declare const user: JsonObject;
 *
 * optionalString(user, 'id', 'user'); // string | undefined
 * ```
 */
export function optionalString(obj: JsonObject, key: string, where: string, maxLength = 1024): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw errors.badRequest(`${where}.${key} must be a string, got ${describe(v)}`);
  if (v.length > maxLength) throw errors.badRequest(`${where}.${key} is longer than ${maxLength} characters`);
  return v;
}

/**
 * The required string `obj[key]`; 400 when missing, empty or not a string.
 *
 * @example
 * ```ts
 * import { requiredString, type JsonObject } from './validate.js';
 * declare const member: JsonObject;
 *
 * requiredString(member, 'institution_code', 'member'); // string
 * ```
 */
export function requiredString(obj: JsonObject, key: string, where: string): string {
  const v = optionalString(obj, key, where);
  if (v === undefined || v === '') throw errors.badRequest(`${where}.${key} is required`);
  return v;
}

/**
 * The optional boolean `obj[key]` (only `true`/`false`); 400 for another type.
 *
 * @example
 * ```ts
 * import { optionalBoolean, type JsonObject } from './validate.js';
 * declare const member: JsonObject;
 *
 * optionalBoolean(member, 'skip_aggregation', 'member'); // boolean | undefined
 * ```
 */
export function optionalBoolean(obj: JsonObject, key: string, where: string): boolean | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw errors.badRequest(`${where}.${key} must be true or false, got ${describe(v)}`);
  return v;
}

/**
 * The optional array `obj[key]`; 400 for another type or more than `maxItems` items.
 *
 * @example
 * ```ts
 * import { optionalArray, type JsonObject } from './validate.js';
 * declare const member: JsonObject;
 *
 * optionalArray(member, 'credentials', 'member'); // unknown[] | undefined
 * ```
 */
export function optionalArray(obj: JsonObject, key: string, where: string, maxItems = 100): unknown[] | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw errors.badRequest(`${where}.${key} must be an array, got ${describe(v)}`);
  if (v.length > maxItems) throw errors.badRequest(`${where}.${key} has more than ${maxItems} items`);
  return v;
}

/**
 * `[{ guid, value }]` items (credentials or MFA answers) as a map guid → value; 400 on any malformed item or a
 * repeated guid. Error messages never include a value.
 *
 * @example
 * ```ts
 * import { guidValues } from './validate.js';
 *
 * guidValues([{ guid: 'CRD-1', value: 'mxuser' }], 'member.credentials'); // Map { 'CRD-1' => 'mxuser' }
 * ```
 */
export function guidValues(items: ReadonlyArray<unknown>, where: string): Map<string, string> {
  const out = new Map<string, string>();
  items.forEach((item, i) => {
    if (!isObject(item)) throw errors.badRequest(`${where}[${i}] must be an object { guid, value }`);
    const guid = item.guid;
    const value = item.value;
    if (typeof guid !== 'string' || guid === '') throw errors.badRequest(`${where}[${i}].guid must be a non-empty string`);
    if (typeof value !== 'string') throw errors.badRequest(`${where}[${i}].value must be a string`);
    if (value.length > 1024) throw errors.badRequest(`${where}[${i}].value is longer than 1024 characters`);
    if (out.has(guid)) throw errors.badRequest(`${where} has ${guid} twice`);
    out.set(guid, value);
  });
  return out;
}

/**
 * A boolean query parameter (`true`/`false` only); 400 for anything else.
 *
 * @example
 * ```ts
 * import { queryBoolean } from './validate.js';
 *
 * queryBoolean(new URLSearchParams('supports_account_statement=true'), 'supports_account_statement'); // true
 * ```
 */
export function queryBoolean(query: URLSearchParams, key: string): boolean | undefined {
  const v = query.get(key);
  if (v === null || v === '') return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw errors.badRequest(`query parameter ${key} must be true or false`);
}
