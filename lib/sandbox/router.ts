/**
 * The route table's matcher: `METHOD /users/:user_guid/…` patterns (a `:param.pdf` segment matches a suffix).
 *
 * @module
 */
import type { Produces } from './accept.js';
import type { RouteRequest, RouteResult, SandboxContext } from './context.js';
import { errors } from './http-error.js';

/** One operation of the sandbox. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/users/:user_guid/members`; `:statement_guid.pdf` matches a segment ending in `.pdf`. */
  readonly path: string;
  /** The spec's operationId (or a sandbox-only name). */
  readonly operationId: string;
  readonly produces: Produces | 'html';
  /**
   * Which body is read: JSON `'required'` (400 when empty) or `'optional'`, a small HTML `'form'`
   * (`application/x-www-form-urlencoded`), or `'none'` (not read).
   */
  readonly body: 'required' | 'optional' | 'form' | 'none';
  /** Public routes need no Basic auth (the OAuth window). */
  readonly public?: boolean;
  readonly handle: (ctx: SandboxContext, req: RouteRequest) => RouteResult | Promise<RouteResult>;
}

/** A matched route and its decoded path parameters. */
export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

interface Segment {
  readonly literal?: string;
  readonly param?: string;
  readonly suffix?: string;
}

const compile = (path: string): Segment[] =>
  path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      if (!s.startsWith(':')) return { literal: s };
      const dot = s.indexOf('.');
      return dot < 0 ? { param: s.slice(1) } : { param: s.slice(1, dot), suffix: s.slice(dot) };
    });

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    throw errors.badRequest('malformed percent-encoding in the path');
  }
};

const matchSegments = (pattern: ReadonlyArray<Segment>, parts: ReadonlyArray<string>): Record<string, string> | undefined => {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const seg = pattern[i];
    const part = parts[i];
    if (seg === undefined || part === undefined) return undefined;
    if (seg.literal !== undefined) {
      if (seg.literal !== part) return undefined;
      continue;
    }
    let raw = part;
    if (seg.suffix !== undefined) {
      if (!raw.endsWith(seg.suffix) || raw.length === seg.suffix.length) return undefined;
      raw = raw.slice(0, -seg.suffix.length);
    }
    const value = decode(raw);
    if (value === '' || seg.param === undefined) return undefined;
    params[seg.param] = value;
  }
  return params;
};

/**
 * Matches requests against a route table, in order (put `…/:id.pdf` before `…/:id`).
 *
 * @example
 * ```ts
 * import { Router } from './router.js';
 * import { ROUTES } from './routes/index.js';
 *
 * const router = new Router(ROUTES);
 * router.match('GET', '/users/USR-1'); // { route, params: { user_guid: 'USR-1' } }
 * ```
 */
export class Router {
  private readonly compiled: ReadonlyArray<{ route: Route; segments: Segment[] }>;

  constructor(routes: ReadonlyArray<Route>) {
    this.compiled = routes.map((route) => ({ route, segments: compile(route.path) }));
  }

  /** The route for this method and path; 404 for an unknown path, 405 (with `Allow`) for a known path. */
  match(method: string, path: string): RouteMatch {
    const parts = path.split('/').filter((s) => s !== '');
    const allowed: string[] = [];
    for (const { route, segments } of this.compiled) {
      const params = matchSegments(segments, parts);
      if (!params) continue;
      if (route.method === method) return { route, params };
      allowed.push(route.method);
    }
    if (allowed.length > 0) {
      throw errors.methodNotAllowed(`${method} is not allowed on ${path}`, [...new Set(allowed)].join(', '));
    }
    throw errors.notFound(`no such endpoint: ${method} ${path}`);
  }

  /** Whether some route (of any method) has this path and is public. */
  isPublic(method: string, path: string): boolean {
    try {
      return this.match(method, path).route.public === true;
    } catch {
      return false;
    }
  }
}
