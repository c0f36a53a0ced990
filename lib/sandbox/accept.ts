/**
 * Content negotiation on `Accept`: the vendor types of API version 1, leniently (missing, `*` wildcards and the
 * plain types pass, as the official SDK sends no Accept of its own); another version of the vendor type gets 406.
 *
 * @module
 */
import { errors } from './http-error.js';

/** The JSON media type of API v20111101. */
export const JSON_TYPE = 'application/vnd.mx.api.v1+json';
/** The PDF media type of API v20111101. */
export const PDF_TYPE = 'application/vnd.mx.api.v1+pdf';

/** What a route produces. */
export type Produces = 'json' | 'pdf';

const ACCEPTED: Readonly<Record<Produces, ReadonlySet<string>>> = {
  json: new Set(['*/*', 'application/*', 'application/json', JSON_TYPE]),
  pdf: new Set(['*/*', 'application/*', 'application/pdf', PDF_TYPE]),
};

/**
 * Throws 406 unless the `Accept` header admits what the route produces.
 *
 * @example
 * ```ts
 * import { checkAccept } from './accept.js';
 *
 * checkAccept('application/vnd.mx.api.v1+json', 'json'); // ok
 * checkAccept('application/vnd.mx.api.v2+json', 'json'); // throws HttpError 406
 * ```
 */
export function checkAccept(header: string | undefined, produces: Produces): void {
  if (header === undefined || header.trim() === '') return;
  const ranges = header.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return { type, refused: q !== undefined && Number(q.slice(2)) === 0 };
  });
  if (ranges.some((r) => !r.refused && ACCEPTED[produces].has(r.type))) return;
  const wanted = produces === 'json' ? JSON_TYPE : PDF_TYPE;
  throw errors.notAcceptable(`Accept ${JSON.stringify(header.slice(0, 100))} is not acceptable here: use ${wanted}`);
}
