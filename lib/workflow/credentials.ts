/**
 * Step 3: the credential values for the institution's fields — given by `field_name`, or from a function of
 * the fields (a prompt). Values stay inside the run: they go to `POST …/members` and nowhere else.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { concatMap, defer, from, of, take, throwIfEmpty, type Observable } from 'rxjs';
import type { Credential, CredentialRequest } from '../codecs/index.js';
import type { MissingCredentials } from '../core/errors.js';
import { apiPath } from '../http/path.js';
import { fail } from './either.js';
import type { CredentialValues, CredentialsSpec } from './input.js';

/**
 * Matches values to fields by `field_name`: every field needs a non-empty value, else `MissingCredentials`
 * (naming fields, never values). Names the institution does not ask for are reported with it.
 *
 * @example
 * ```ts
 * import { matchCredentials } from './credentials.js';
 * matchCredentials('mxbank', [{ guid: 'CRD-1', field_name: 'LOGIN' }], { LOGIN: 'mxuser' });
 * // right([{ guid: 'CRD-1', value: 'mxuser' }])
 * ```
 */
export const matchCredentials = (
  institutionCode: string,
  fields: ReadonlyArray<Credential>,
  values: CredentialValues,
): E.Either<MissingCredentials, ReadonlyArray<CredentialRequest>> => {
  if (typeof values !== 'object' || values === null) throw new TypeError('credentials: must be an object of field_name → value');
  const missing: string[] = [];
  const out: CredentialRequest[] = [];
  for (const f of fields) {
    const name = f.field_name ?? f.guid;
    const v = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
    if (typeof v !== 'string' || v === '') missing.push(name);
    else out.push({ guid: f.guid, value: v });
  }
  const known = new Set(fields.map((f) => f.field_name ?? f.guid));
  const unknown = Object.keys(values).filter((k) => !known.has(k));
  if (missing.length > 0) {
    return E.left({
        _tag: 'MissingCredentials',
        method: 'GET',
        path: apiPath`/institutions/${institutionCode}/credentials`,
        institutionCode,
        missingFields: missing,
        unknownFields: unknown,
        message: `${institutionCode} needs ${missing.join(', ')}` + (unknown.length > 0 ? `; not asked for: ${unknown.join(', ')}` : ''),
    });
  }
  return E.right(out);
};

/**
 * Emits the credential requests (`{ guid, value }`) for `fields`, or fails with `MissingCredentials` (no
 * `spec` at all: every field is missing).
 */
export const gatherCredentials$ = (
  institutionCode: string,
  fields: ReadonlyArray<Credential>,
  spec: CredentialsSpec | undefined,
): Observable<ReadonlyArray<CredentialRequest>> =>
  defer(() => (typeof spec === 'function' ? from(spec(fields)) : of(spec ?? {}))).pipe(
    take(1),
    throwIfEmpty(() => new TypeError('credentials: the function completed without giving values')),
    concatMap((values) => {
      const m = matchCredentials(institutionCode, fields, values);
      return E.isRight(m) ? of(m.right) : fail(m.left);
    }),
  );
