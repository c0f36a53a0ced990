/**
 * Test helper: validates values against MX's OpenAPI 3.0 specs (`spec/fixtures/mx-openapi/v20111101.yml`, and
 * `v20250224.yml` when a function's last argument names that version) with Ajv.
 *
 * The spec is loaded once (lazily), its `components.schemas` are converted from OpenAPI 3.0 to JSON Schema
 * draft-07 (`nullable` → a `null` type, `$ref: '#/components/schemas/X'` made resolvable, `example` and other
 * annotations dropped) and added to one Ajv instance. Nothing is loosened except {@link KNOWN_SPEC_MISTAKES}.
 * `additionalProperties` is left as the spec says (unspecified = allowed).
 *
 * Node only (reads a file). Used by the codec conformance specs and by the sandbox specs.
 *
 * @example
 * ```ts
 * import { responseErrors } from '../helpers/openapi.js';
 * expect(responseErrors('readMember', 200, body)).to.deep.equal([]);
 * ```
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/** Where the spec lives: vendored under spec/fixtures (MIT), so any clone can run the conformance specs. */
export const SPEC_URL = new URL('../fixtures/mx-openapi/v20111101.yml', import.meta.url);

/** The versions of MX's spec vendored here; every function below defaults to v20111101. */
export type SpecVersion = 'v20111101' | 'v20250224';

/** Where each version's spec lives. */
export const SPEC_URLS: Readonly<Record<SpecVersion, URL>> = {
  v20111101: SPEC_URL,
  v20250224: new URL('../fixtures/mx-openapi/v20250224.yml', import.meta.url),
};

/** The id under which a version's converted component schemas are registered in Ajv. */
const rootId = (version: SpecVersion): string => `mx-openapi-${version}`;

/** Media types that count as a JSON body. */
const isJsonMediaType = (m: string): boolean => m === 'application/json' || /\+json$/.test(m);

// -------------------------------------------------------------------------------------
// the spec's own mistakes (the ONLY place where a schema is loosened)
// -------------------------------------------------------------------------------------

/**
 * Known mistakes in the v20111101 spec, patched in the loaded document before conversion
 * (mx-api-facts.md §10 item 7): `most_recent_job_guid` and `most_recent_job_detail_text` are typed `boolean`,
 * but the example (and the real API) give a `JOB-…` string or null. v20250224 corrects job_guid to a string.
 * We accept string | boolean | null. If the spec changes under a patch, loading throws so this list is revisited.
 */
export const KNOWN_SPEC_MISTAKES: ReadonlyArray<{
  readonly schema: string;
  readonly property: string;
  readonly specType: string;
  readonly patchedType: ReadonlyArray<string>;
}> = [
  { schema: 'MemberResponse', property: 'most_recent_job_guid', specType: 'boolean', patchedType: ['string', 'boolean'] },
  { schema: 'MemberResponse', property: 'most_recent_job_detail_text', specType: 'boolean', patchedType: ['string', 'boolean'] },
];

/** The same per version: v20250224 corrected `most_recent_job_guid`, not `most_recent_job_detail_text`. */
const MISTAKES: Readonly<Record<SpecVersion, typeof KNOWN_SPEC_MISTAKES>> = {
  v20111101: KNOWN_SPEC_MISTAKES,
  v20250224: KNOWN_SPEC_MISTAKES.filter((m) => m.property !== 'most_recent_job_guid'),
};

// -------------------------------------------------------------------------------------
// loading and conversion
// -------------------------------------------------------------------------------------

interface Loaded {
  readonly version: SpecVersion;
  readonly doc: JsonObject;
  readonly schemas: JsonObject;
  readonly ajv: Ajv;
  readonly operations: ReadonlyMap<string, JsonObject>;
  readonly validators: Map<string, ValidateFunction>;
}

const loaded = new Map<SpecVersion, Loaded>();

const isObject = (u: unknown): u is JsonObject => typeof u === 'object' && u !== null && !Array.isArray(u);

const asObject = (u: unknown, what: string): JsonObject => {
  if (!isObject(u)) throw new Error(`openapi helper: ${what} is not an object in the spec`);
  return u;
};

const applyKnownMistakes = (schemas: JsonObject, version: SpecVersion): void => {
  for (const m of MISTAKES[version]) {
    const props = asObject(asObject(schemas[m.schema], `components.schemas.${m.schema}`).properties, `${m.schema}.properties`);
    const prop = asObject(props[m.property], `${m.schema}.${m.property}`);
    if (prop.type !== m.specType) {
      throw new Error(
        `openapi helper: KNOWN_SPEC_MISTAKES is stale: ${m.schema}.${m.property} is now ${JSON.stringify(prop.type)}`,
      );
    }
    // `nullable` stays as the spec has it; the conversion adds `null` to the type list.
    prop.type = [...m.patchedType];
  }
};

/** Annotation keywords of OpenAPI 3.0 that JSON Schema (strict Ajv) does not know or that carry no constraint. */
const DROPPED = new Set(['example', 'nullable', 'description', 'deprecated', 'xml', 'externalDocs', 'readOnly',
  'writeOnly', 'discriminator', 'title']);

const REF_PREFIX = '#/components/schemas/';

/** Converts one OpenAPI 3.0 schema object to JSON Schema draft-07 (`$ref`s point into `root`). */
const convert = (node: Json, root: string): Json => {
  if (Array.isArray(node)) return node.map((n) => convert(n, root));
  if (!isObject(node)) return node;
  const ref = node.$ref;
  if (typeof ref === 'string') {
    // In OpenAPI 3.0 the siblings of $ref are ignored, except that we honour `nullable` for safety.
    if (!ref.startsWith(REF_PREFIX)) throw new Error(`openapi helper: unsupported $ref ${ref}`);
    const target: JsonObject = { $ref: `${root}#/definitions/${ref.slice(REF_PREFIX.length)}` };
    return node.nullable === true ? { anyOf: [target, { type: 'null' }] } : target;
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (DROPPED.has(k)) continue;
    if (k === 'properties' && isObject(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, convert(s, root)]));
    } else if (k === 'items' || k === 'additionalProperties' || k === 'not') {
      out[k] = convert(v, root);
    } else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
      out[k] = convert(v, root);
    } else {
      out[k] = v;
    }
  }
  if (node.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.type) && !out.type.includes('null')) out.type = [...out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
};

const indexOperations = (doc: JsonObject): Map<string, JsonObject> => {
  const ops = new Map<string, JsonObject>();
  for (const item of Object.values(asObject(doc.paths, 'paths'))) {
    if (!isObject(item)) continue;
    for (const op of Object.values(item)) {
      if (isObject(op) && typeof op.operationId === 'string') ops.set(op.operationId, op);
    }
  }
  return ops;
};

const load = (version: SpecVersion = 'v20111101'): Loaded => {
  const cached = loaded.get(version);
  if (cached) return cached;
  const doc = asObject(parse(readFileSync(fileURLToPath(SPEC_URLS[version]), 'utf8')), 'the document');
  const schemas = asObject(asObject(doc.components, 'components').schemas, 'components.schemas');
  applyKnownMistakes(schemas, version);
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true });
  addFormats.default(ajv);
  // OpenAPI's own formats: numeric ones are checked loosely, the string ones carry no constraint here.
  for (const f of ['int32', 'int64']) ajv.addFormat(f, { type: 'number', validate: (n: number) => Number.isInteger(n) });
  for (const f of ['float', 'double']) ajv.addFormat(f, { type: 'number', validate: () => true });
  for (const f of ['binary', 'byte', 'password']) ajv.addFormat(f, true);
  const root = rootId(version);
  const definitions = Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, convert(s, root)]));
  ajv.addSchema({ $id: root, definitions }, root);
  const l: Loaded = { version, doc, schemas, ajv, operations: indexOperations(doc), validators: new Map() };
  loaded.set(version, l);
  return l;
};

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

const short = (v: unknown): string => {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** `/users/3/guid` → `users[3].guid` (and `` → `(root)`). */
const readablePath = (pointer: string): string => {
  if (pointer === '') return '(root)';
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc === '' ? seg : `${acc}.${seg}`), '');
};

const valueAt = (root: unknown, pointer: string): unknown => {
  if (pointer === '') return root;
  let cur: unknown = root;
  for (const seg of pointer.slice(1).split('/')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
};

const formatError = (root: unknown, e: ErrorObject): string => {
  const where = readablePath(e.instancePath);
  const extra =
    e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})` : '';
  return `${where}: ${e.message ?? e.keyword}${extra}, got ${short(valueAt(root, e.instancePath))}`;
};

const validateWith = (l: Loaded, key: string, schema: () => Json, value: unknown): string[] => {
  let validate = l.validators.get(key);
  if (!validate) {
    validate = l.ajv.compile(schema() as object);
    l.validators.set(key, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => formatError(value, e));
};

const operation = (l: Loaded, operationId: string): JsonObject => {
  const op = l.operations.get(operationId);
  if (!op) throw new Error(`openapi helper: no operation "${operationId}" in the ${l.version} spec`);
  return op;
};

const jsonSchemaOf = (content: Json | undefined, what: string): Json => {
  if (!isObject(content)) throw new Error(`openapi helper: ${what} has no content`);
  const media = Object.keys(content).find(isJsonMediaType);
  const mt = media === undefined ? undefined : content[media];
  if (!isObject(mt) || mt.schema === undefined) throw new Error(`openapi helper: ${what} has no JSON schema`);
  return mt.schema;
};

/**
 * Problems of a response body against the JSON schema of `operationId` + `status` in the spec (`[]` = valid).
 * Throws if the spec has no such operation, no such status, or no JSON schema for it (e.g. 204, or the PDF).
 *
 * @example
 * ```ts
 * responseErrors('readUser', 200, { user: { guid: 'USR-1' } }); // []
 * responseErrors('readMember', 200, { member: { guid: 42 } }); // ['member.guid: must be string,null, got 42']
 * ```
 */
export const responseErrors = (operationId: string, status: number, body: unknown, version: SpecVersion = 'v20111101'): string[] => {
  const l = load(version);
  const responses = asObject(operation(l, operationId).responses, `${operationId}.responses`);
  const response = responses[String(status)];
  if (!isObject(response)) throw new Error(`openapi helper: ${operationId} has no ${status} response in the ${version} spec`);
  const schema = jsonSchemaOf(response.content, `${operationId} ${status}`);
  return validateWith(l, `response:${operationId}:${status}`, () => convert(schema, rootId(version)), body);
};

/**
 * Problems of a request body against the JSON request body schema of `operationId` (`[]` = valid).
 * Throws if the operation has no JSON request body in the spec.
 *
 * @example
 * ```ts
 * requestBodyErrors('createUser', { user: { id: 'u-1' } }); // []
 * ```
 */
export const requestBodyErrors = (operationId: string, body: unknown, version: SpecVersion = 'v20111101'): string[] => {
  const l = load(version);
  const requestBody = operation(l, operationId).requestBody;
  if (!isObject(requestBody)) throw new Error(`openapi helper: ${operationId} has no request body in the ${version} spec`);
  const schema = jsonSchemaOf(requestBody.content, `${operationId} request body`);
  return validateWith(l, `request:${operationId}`, () => convert(schema, rootId(version)), body);
};

/**
 * Problems of a value against the component schema `componentName` (`[]` = valid). Throws on an unknown name.
 *
 * @example
 * ```ts
 * schemaErrors('PaginationResponse', { current_page: 1, per_page: 25, total_entries: 0, total_pages: 0 }); // []
 * ```
 */
export const schemaErrors = (componentName: string, value: unknown, version: SpecVersion = 'v20111101'): string[] => {
  const l = load(version);
  if (!(componentName in l.schemas)) throw new Error(`openapi helper: no component schema "${componentName}"`);
  return validateWith(l, `schema:${componentName}`, () => ({ $ref: `${rootId(version)}#/definitions/${componentName}` }), value);
};

// -------------------------------------------------------------------------------------
// examples and lookups
// -------------------------------------------------------------------------------------

const NO_EXAMPLE = Symbol('no example');

const exampleOfSchema = (l: Loaded, node: Json | undefined, seen: ReadonlySet<string>): unknown => {
  if (!isObject(node)) return NO_EXAMPLE;
  if ('example' in node) return node.example;
  if (typeof node.$ref === 'string') {
    const name = node.$ref.slice(REF_PREFIX.length);
    if (seen.has(name)) return NO_EXAMPLE; // a cycle: stop
    return exampleOfSchema(l, l.schemas[name], new Set([...seen, name]));
  }
  if (Array.isArray(node.allOf)) {
    const parts = node.allOf.map((s) => exampleOfSchema(l, s, seen)).filter(isObject);
    return parts.length > 0 ? Object.assign({}, ...parts) : NO_EXAMPLE;
  }
  if (node.type === 'array' || node.items !== undefined) {
    const item = exampleOfSchema(l, node.items, seen);
    return item === NO_EXAMPLE ? NO_EXAMPLE : [item];
  }
  if (isObject(node.properties)) {
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(node.properties)) {
      const v = exampleOfSchema(l, s, seen);
      if (v !== NO_EXAMPLE) out[k] = v;
    }
    return out;
  }
  return NO_EXAMPLE;
};

/**
 * An example value of a component, built from the `example` of each property (recursing into `$ref`s, `allOf`
 * and arrays, which get one item). Properties without any example are left out. Throws on an unknown name.
 *
 * @example
 * ```ts
 * exampleOf('UserResponseBody'); // { user: { email: 'email@provider.com', guid: 'USR-…', … } }
 * ```
 */
export const exampleOf = (componentName: string, version: SpecVersion = 'v20111101'): unknown => {
  const l = load(version);
  const schema = l.schemas[componentName];
  if (schema === undefined) throw new Error(`openapi helper: no component schema "${componentName}"`);
  const v = exampleOfSchema(l, schema, new Set([componentName]));
  return v === NO_EXAMPLE ? undefined : structuredClone(v);
};

/**
 * Whether the spec has an operation with this id.
 *
 * @example
 * ```ts
 * hasOperation('fetchStatements'); // true
 * ```
 */
export const hasOperation = (operationId: string, version: SpecVersion = 'v20111101'): boolean => load(version).operations.has(operationId);

/**
 * The statuses (as strings) the spec declares for an operation, JSON or not.
 *
 * @example
 * ```ts
 * responseStatuses('createMember'); // ['200', '202']
 * ```
 */
export const responseStatuses = (operationId: string, version: SpecVersion = 'v20111101'): string[] =>
  Object.keys(asObject(operation(load(version), operationId).responses, `${operationId}.responses`));

/**
 * The raw OpenAPI schema of a component (after {@link KNOWN_SPEC_MISTAKES}), as a copy. Throws on an unknown name.
 *
 * @example
 * ```ts
 * Object.keys(componentSchema('PaginationResponse').properties as object); // ['current_page', 'per_page', …]
 * ```
 */
export const componentSchema = (componentName: string, version: SpecVersion = 'v20111101'): Record<string, unknown> => {
  const schema = load(version).schemas[componentName];
  if (!isObject(schema)) throw new Error(`openapi helper: no component schema "${componentName}"`);
  return structuredClone(schema);
};

// -------------------------------------------------------------------------------------
// one version's spec as one object, and request matching (the conformance specs)
// -------------------------------------------------------------------------------------

/**
 * Known mistakes of each spec, patched before conversion (see {@link KNOWN_SPEC_MISTAKES}): v20111101's
 * boolean `most_recent_job_guid` and `most_recent_job_detail_text`, v20250224's `most_recent_job_detail_text`.
 */
export const SPEC_MISTAKES: Readonly<Record<SpecVersion, typeof KNOWN_SPEC_MISTAKES>> = MISTAKES;

/** The helper's functions bound to one version's spec, plus request matching. */
export interface OpenApiSpec {
  readonly version: SpecVersion;
  responseErrors(operationId: string, status: number, body: unknown): string[];
  requestBodyErrors(operationId: string, body: unknown): string[];
  schemaErrors(componentName: string, value: unknown): string[];
  exampleOf(componentName: string): unknown;
  hasOperation(operationId: string): boolean;
  responseStatuses(operationId: string): string[];
  componentSchema(componentName: string): Record<string, unknown>;
  /** The query parameters of an operation: name → its schema (after `$ref`s). */
  queryParameters(operationId: string): Record<string, Record<string, unknown>>;
  /**
   * The operation a request hits: its method and path (no query) against every path template of the spec, the
   * most specific template winning (`…/{statement_guid}.pdf` over `…/{statement_guid}`); `undefined` for none.
   */
  operationAt(method: string, path: string): string | undefined;
}

interface PathTemplate {
  readonly method: string;
  readonly regex: RegExp;
  /** Characters of the template outside its `{parameters}`: the more, the more specific. */
  readonly literal: number;
  readonly operationId: string;
}

const templates = new Map<SpecVersion, ReadonlyArray<PathTemplate>>();

const templatesOf = (version: SpecVersion): ReadonlyArray<PathTemplate> => {
  const known = templates.get(version);
  if (known) return known;
  const out: PathTemplate[] = [];
  for (const [template, item] of Object.entries(asObject(load(version).doc.paths, 'paths'))) {
    if (!isObject(item)) continue;
    const source = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^/]+');
    for (const [method, op] of Object.entries(item)) {
      if (!isObject(op) || typeof op.operationId !== 'string') continue;
      out.push({ method: method.toUpperCase(), regex: new RegExp(`^${source}$`), literal: template.replace(/\{[^}]+\}/g, '').length, operationId: op.operationId });
    }
  }
  templates.set(version, out);
  return out;
};

/**
 * The helper bound to one version's spec.
 *
 * @example
 * ```ts
 * openApiSpec('v20250224').operationAt('POST', '/users/customer-42/members/m-1/fetch_statements'); // 'fetchStatements'
 * ```
 */
export const openApiSpec = (version: SpecVersion): OpenApiSpec => ({
  version,
  responseErrors: (operationId, status, body) => responseErrors(operationId, status, body, version),
  requestBodyErrors: (operationId, body) => requestBodyErrors(operationId, body, version),
  schemaErrors: (componentName, value) => schemaErrors(componentName, value, version),
  exampleOf: (componentName) => exampleOf(componentName, version),
  hasOperation: (operationId) => hasOperation(operationId, version),
  responseStatuses: (operationId) => responseStatuses(operationId, version),
  componentSchema: (componentName) => componentSchema(componentName, version),
  queryParameters: (operationId) => {
    const l = load(version);
    const params = asObject(asObject(l.doc.components, 'components').parameters ?? {}, 'components.parameters');
    const out: Record<string, Record<string, unknown>> = {};
    for (const raw of (operation(l, operationId).parameters ?? []) as Json[]) {
      const p = isObject(raw) && typeof raw.$ref === 'string' ? params[raw.$ref.replace('#/components/parameters/', '')] : raw;
      if (isObject(p) && p.in === 'query' && typeof p.name === 'string') out[p.name] = structuredClone(asObject(p.schema, `${p.name}.schema`));
    }
    return out;
  },
  operationAt: (method, path) =>
    templatesOf(version)
      .filter((t) => t.method === method.toUpperCase() && t.regex.test(path))
      .sort((a, b) => b.literal - a.literal)[0]?.operationId,
});
