/**
 * Step 2: the institution — by `code`, or by `name` among institutions that support statements (v20111101:
 * `supports_account_statement=true`; v20250224: `supported_products=statements`).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { catchError, concatMap, defer, map, of, take, throwError, toArray, type Observable } from 'rxjs';
import { supportsStatements, type Institution } from '../codecs/index.js';
import type { NoInstitution } from '../core/errors.js';
import { apiPath, withQuery } from '../http/path.js';
import { errorOf, fail, unwrap } from './either.js';
import type { InstitutionSpec, WorkflowContext } from './input.js';

/**
 * At most this many search results are examined (and at most 20 are named in an error).
 *
 * @example
 * ```ts
 * import { MAX_INSTITUTION_CANDIDATES } from './institution.js';
 * MAX_INSTITUTION_CANDIDATES; // 500
 * ```
 */
export const MAX_INSTITUTION_CANDIDATES = 500;

const normalise = (s: string | null | undefined): string => (s ?? '').trim().replace(/\s+/g, ' ').toLowerCase();

const noInstitution = (path: string, query: string, message: string, found: ReadonlyArray<Institution> = []): NoInstitution => ({
  _tag: 'NoInstitution',
  method: 'GET',
  path,
  query,
  message,
  candidates: found.slice(0, 20).map((i) => ({ code: i.code, name: i.name ?? i.code })),
});

/**
 * Picks the institution a name search meant: the only result, or the only exact (case- and space-insensitive)
 * name match. Otherwise `NoInstitution`, naming the candidates when there were several.
 *
 * @example
 * ```ts
 * import { pickInstitution } from './institution.js';
 * pickInstitution('MX Bank', [{ code: 'mxbank', name: 'MX Bank' }, { code: 'mxbank_oauth', name: 'MX Bank (OAuth)' }]);
 * // right({ code: 'mxbank', name: 'MX Bank' })
 * ```
 */
export const pickInstitution = (
  name: string,
  found: ReadonlyArray<Institution>,
  path = withQuery('/institutions', { name, supports_account_statement: true }),
): E.Either<NoInstitution, Institution> => {
  const exact = found.filter((i) => normalise(i.name) === normalise(name));
  if (exact.length === 1) return E.right(exact[0]!);
  if (exact.length === 0 && found.length === 1) return E.right(found[0]!);
  if (found.length === 0) {
    return E.left(noInstitution(path, name, `no institution supporting statements matches "${name}"`));
  }
  const among = exact.length > 1 ? exact : found;
  const names = among.slice(0, 5).map((i) => `${i.name ?? '?'} (${i.code})`).join(', ');
  return E.left(noInstitution(path, name,
      `"${name}" matches ${among.length} institutions${exact.length > 1 ? ' exactly' : ''}: ${names}${among.length > 5 ? ', …' : ''}; give institution.code`,
      among));
};

/** Emits the one institution meant by `spec`, or fails with `NoInstitution` (or the HTTP error). */
export const findInstitution$ = (ctx: WorkflowContext, spec: InstitutionSpec): Observable<Institution> =>
  defer(() => {
    const { institutions } = ctx.client;
    if ('code' in spec) {
      if (typeof spec.code !== 'string' || spec.code === '') throw new TypeError('institution.code: must be a non-empty string');
      const path = apiPath`/institutions/${spec.code}`;
      return institutions.read$(spec.code).pipe(
        unwrap(),
        catchError((err: unknown) =>
          errorOf(err)?._tag === 'NotFound'
            ? fail(noInstitution(path, spec.code, `no institution has the code "${spec.code}"`))
            : throwError(() => err)),
        concatMap((i) => supportsStatements(i) === false
          ? fail(noInstitution(path, spec.code, `${i.name ?? spec.code} (${i.code}) does not support statements`))
          : of(i)),
      );
    }
    if (typeof spec.name !== 'string' || spec.name.trim() === '') throw new TypeError('institution: give { code } or { name } (non-empty strings)');
    const path = ctx.client.config.apiVersion === 'v20250224'
      ? withQuery('/institutions', { name: spec.name, supported_products: 'statements' })
      : withQuery('/institutions', { name: spec.name, supports_account_statement: true });
    return institutions.all$({ name: spec.name, supportedProducts: ['statements'] }).pipe(
      unwrap(),
      take(MAX_INSTITUTION_CANDIDATES),
      toArray(),
      map((found) => pickInstitution(spec.name, found.filter((i) => supportsStatements(i) !== false), path)),
      concatMap((picked) => (E.isRight(picked) ? of(picked.right) : fail(picked.left))),
    );
  });
