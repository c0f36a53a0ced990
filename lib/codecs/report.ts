/**
 * A small, total reporter for io-ts `Errors`: one readable line per problem, such as
 * `member.connection_status: expected ConnectionStatus | null, got 42`. It never throws, whatever the value.
 *
 * @module
 */
import type * as t from 'io-ts';

/**
 * Most lines {@link reportErrors} returns (when there are more problems, the last line says how many).
 *
 * @example
 * ```ts
 * import { MAX_REPORT_LINES } from './report.js';
 * MAX_REPORT_LINES; // 20
 * ```
 */
export const MAX_REPORT_LINES = 20;

/** Longest rendering of a value in a line. */
const MAX_VALUE_CHARS = 60;

// -------------------------------------------------------------------------------------
// values
// -------------------------------------------------------------------------------------

const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** JSON-like text of `v`, stopping once `budget` characters are produced; cycles and getters are safe. */
const render = (v: unknown, budget: number, seen: Set<object>): string => {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v.length > budget ? v.slice(0, budget) : v);
    case 'number':
    case 'boolean':
      return String(v);
    case 'bigint':
      return `${String(v)}n`;
    case 'symbol':
      return 'Symbol()';
    case 'function':
      return '[function]';
    default:
      break;
  }
  const o = v as object;
  if (seen.has(o)) return '[circular]';
  seen.add(o);
  const isArray = Array.isArray(o);
  const parts: string[] = [];
  let used = 2;
  const keys = isArray ? null : Object.keys(o);
  const n = isArray ? (o as unknown[]).length : (keys?.length ?? 0);
  for (let i = 0; i < n && used < budget; i++) {
    const key = keys ? keys[i] : undefined;
    const child = keys ? (o as Record<string, unknown>)[key ?? ''] : (o as unknown[])[i];
    const text = (keys ? `${JSON.stringify(key)}:` : '') + render(child, budget - used, seen);
    parts.push(text);
    used += text.length + 1;
  }
  const more = parts.length < n ? ',…' : '';
  seen.delete(o);
  return isArray ? `[${parts.join(',')}${more}]` : `{${parts.join(',')}${more}}`;
};

/**
 * A short rendering of any value (JSON-like, cut to 60 characters); never throws.
 *
 * @example
 * ```ts
 * import { previewValue } from './report.js';
 * previewValue({ a: 1 }); // '{"a":1}'
 * ```
 */
export const previewValue = (v: unknown, max: number = MAX_VALUE_CHARS): string => {
  try {
    return cut(render(v, max, new Set()), max);
  } catch {
    return '[unprintable]';
  }
};

// -------------------------------------------------------------------------------------
// paths
// -------------------------------------------------------------------------------------

const BRANCHING = new Set(['UnionType', 'IntersectionType']);
const INDEXED = new Set(['ArrayType', 'ReadonlyArrayType', 'TupleType', 'ReadonlyType']);

const tagOf = (type: t.Decoder<unknown, unknown> | undefined): string | undefined =>
  (type as { _tag?: unknown } | undefined)?._tag as string | undefined;

const isIdentifier = (k: string): boolean => /^[A-Za-z_$][\w$]*$/.test(k);

/** The data path of an io-ts context: `users[3].guid`; union/intersection branch indexes are left out. */
const pathOf = (context: t.Context): string => {
  let path = '';
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1];
    const entry = context[i];
    if (!parent || !entry) continue;
    const tag = tagOf(parent.type);
    if (tag !== undefined && BRANCHING.has(tag)) continue;
    if (tag !== undefined && INDEXED.has(tag) && /^\d+$/.test(entry.key)) path += `[${entry.key}]`;
    else if (isIdentifier(entry.key)) path += path === '' ? entry.key : `.${entry.key}`;
    else path += `[${JSON.stringify(entry.key)}]`;
  }
  return path === '' ? '(root)' : path;
};

/**
 * The name of the type that failed: the innermost one, except that a failure inside an intersection's part is
 * reported as the whole intersection (`expected User`, not `expected { guid: string }`).
 */
const expectedName = (context: t.Context): string => {
  let i = context.length - 1;
  while (i > 0 && tagOf(context[i - 1]?.type) === 'IntersectionType') i--;
  return context[i]?.type.name ?? 'unknown';
};

// -------------------------------------------------------------------------------------
// reporter
// -------------------------------------------------------------------------------------

interface Problem {
  readonly path: string;
  readonly expected: string[];
  readonly value: unknown;
  message?: string;
}

/** Every path strictly enclosing `path`: `a.b[0].c` → `(root)`, `a`, `a.b`, `a.b[0]`. */
const enclosing = (path: string): string[] => {
  if (path === '(root)') return [];
  const out = ['(root)'];
  for (let i = 1; i < path.length; i++) {
    const ch = path[i];
    if (ch === '.' || ch === '[') out.push(path.slice(0, i));
  }
  return out;
};

/**
 * One problem per path. Where a union failed both shallowly (`expected null`) and deeper inside another branch
 * (`challenges[0].guid`), only the deeper, more useful problems are kept.
 */
const collect = (errors: t.Errors): Problem[] => {
  const byPath = new Map<string, Problem>();
  for (const e of errors) {
    try {
      const path = pathOf(e.context);
      const expected = expectedName(e.context);
      const entry = byPath.get(path) ?? { path, expected: [], value: e.value };
      for (const name of expected.split(' | ')) if (!entry.expected.includes(name)) entry.expected.push(name);
      if (e.message !== undefined && entry.message === undefined) entry.message = e.message;
      byPath.set(path, entry);
    } catch {
      const path = `(unreadable error ${byPath.size})`;
      byPath.set(path, { path, expected: ['?'], value: undefined });
    }
  }
  const parents = new Set<string>();
  for (const path of byPath.keys()) for (const outer of enclosing(path)) parents.add(outer);
  return [...byPath.values()].filter((p) => !parents.has(p.path));
};

/**
 * The problems of io-ts `Errors`, counted and described in one pass: `count` distinct problems and at most
 * {@link MAX_REPORT_LINES} readable `lines`. Never throws.
 *
 * @example
 * ```ts
 * import { summarizeErrors } from './report.js';
 * summarizeErrors([]); // { count: 0, lines: [] }
 * ```
 */
export const summarizeErrors = (errors: t.Errors): { readonly count: number; readonly lines: string[] } => {
  try {
    const problems = collect(errors);
    const fits = problems.length <= MAX_REPORT_LINES;
    const lines = problems.slice(0, fits ? MAX_REPORT_LINES : MAX_REPORT_LINES - 1).map(({ path, expected, value, message }) =>
      message !== undefined
        ? `${path}: ${cut(message, 120)}`
        : `${path}: expected ${cut(expected.join(' | '), 120)}, got ${previewValue(value)}`,
    );
    return { count: problems.length, lines: fits ? lines : [...lines, `… and ${problems.length - lines.length} more problems`] };
  } catch {
    return { count: errors.length, lines: [`(root): ${errors.length} decode errors (could not be described)`] };
  }
};

/**
 * Turns io-ts `Errors` into readable lines `path: expected T, got value`, merging the branches of a union at
 * one path (`expected string | null`), at most {@link MAX_REPORT_LINES} lines. Never throws.
 *
 * @example
 * ```ts
 * import * as t from 'io-ts';
 * import * as E from 'fp-ts/lib/Either.js';
 * import { reportErrors } from './report.js';
 * const r = t.type({ guid: t.string }).decode({});
 * if (E.isLeft(r)) reportErrors(r.left); // ['guid: expected string, got undefined']
 * ```
 */
export const reportErrors = (errors: t.Errors): string[] => summarizeErrors(errors).lines;
