/**
 * A scriptable fake of the MX endpoints an existing-member run uses (fetch_statements, status, statements list,
 * PDF download), as a `FetchLike` — for hostile answers the sandbox never gives: lying lengths, wrong hashes,
 * hostile guids, hours-long `Retry-After`, HTML error bodies. Each route can be overridden per spec.
 */
import { createHash } from 'node:crypto';
import type { FetchInit, FetchLike, FetchResponseLike } from '../../../lib/core/config.js';

/** One answer of the fake. `bytes` is the body; `headers` are sent as given (a lying Content-Length included). */
export interface FakeAnswer {
  readonly status: number;
  readonly body?: string | Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A statement the fake lists, with the PDF it serves. */
export interface FakeStatement {
  readonly guid: string;
  readonly pdf: Uint8Array;
  /** Listed `content_hash`; default: the SHA-256 of `pdf`. `null` lists none. */
  readonly contentHash?: string | null;
  /** Overrides the PDF answer (e.g. a lying `Content-Length`). */
  readonly answer?: () => FakeAnswer;
}

/** Which route a request hit. */
export type FakeRoute = 'fetch_statements' | 'status' | 'statements' | 'pdf' | 'other';

/** Options of {@link fakeMx}. */
export interface FakeMxOptions {
  readonly statements: ReadonlyArray<FakeStatement>;
  /** Overrides any route: return an answer, or `undefined` for the default. */
  readonly override?: (route: FakeRoute, url: URL, init: FetchInit, n: number) => FakeAnswer | undefined;
}

export const USER = 'USR-fake';
export const MEMBER = 'MBR-fake';
export const JSON_TYPE = 'application/vnd.mx.api.v1+json';

/** A small, valid PDF whose text is `text`. */
export const pdfOf = (text: string): Uint8Array => new TextEncoder().encode(`%PDF-1.4\n% ${text}\n%%EOF\n`);

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

const json = (status: number, body: unknown): FakeAnswer => ({ status, body: JSON.stringify(body), headers: { 'content-type': JSON_TYPE } });

const member = { guid: MEMBER, user_guid: USER, institution_code: 'mxbank', connection_status: 'CONNECTED', is_being_aggregated: false };

const routeOf = (url: URL): FakeRoute => {
  const p = url.pathname;
  if (p.endsWith('/fetch_statements')) return 'fetch_statements';
  if (p.endsWith('/status')) return 'status';
  if (p.endsWith('.pdf')) return 'pdf';
  if (p.endsWith('/statements')) return 'statements';
  return 'other';
};

const toResponse = (a: FakeAnswer, signal: AbortSignal): FetchResponseLike => {
  const bytes = typeof a.body === 'string' ? new TextEncoder().encode(a.body) : (a.body ?? new Uint8Array());
  const headers = new Map(Object.entries(a.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (signal.aborted) return controller.error(new DOMException('aborted', 'AbortError'));
      if (sent || bytes.byteLength === 0) return controller.close();
      sent = true;
      controller.enqueue(bytes);
      return undefined;
    },
  });
  return {
    status: a.status,
    headers: { get: (n) => headers.get(n.toLowerCase()) ?? null },
    body,
    text: () => Promise.resolve(new TextDecoder().decode(bytes)),
  };
};

/** The fake: its `fetch`, and every request it saw (URL, method, route, and the signal, to prove aborts). */
export const fakeMx = (o: FakeMxOptions) => {
  const seen: Array<{ url: URL; init: FetchInit; route: FakeRoute }> = [];
  const counts = new Map<FakeRoute, number>();
  const fetch: FetchLike = (raw, init) => {
    const url = new URL(raw);
    const route = routeOf(url);
    const n = (counts.get(route) ?? 0) + 1;
    counts.set(route, n);
    seen.push({ url, init, route });
    const custom = o.override?.(route, url, init, n);
    if (custom) return Promise.resolve(toResponse(custom, init.signal));
    switch (route) {
      case 'fetch_statements':
        return Promise.resolve(toResponse(json(202, { member: { ...member, is_being_aggregated: true } }), init.signal));
      case 'status':
        return Promise.resolve(toResponse(json(200, { member }), init.signal));
      case 'statements':
        return Promise.resolve(toResponse(json(200, {
          statements: o.statements.map((s) => ({
            guid: s.guid, member_guid: MEMBER, user_guid: USER, account_guid: 'ACT-1',
            content_hash: s.contentHash === undefined ? sha256(s.pdf) : s.contentHash,
          })),
          pagination: { current_page: 1, per_page: 1000, total_entries: o.statements.length, total_pages: 1 },
        }), init.signal));
      case 'pdf': {
        const segment = decodeURIComponent(url.pathname.split('/').pop()?.replace(/\.pdf$/, '') ?? '');
        const s = o.statements.find((x) => x.guid === segment);
        if (!s) return Promise.resolve(toResponse(json(404, { error: { status: '404', message: 'no such statement' } }), init.signal));
        const a = s.answer?.() ?? { status: 200, body: s.pdf, headers: { 'content-type': 'application/vnd.mx.api.v1+pdf', 'content-length': String(s.pdf.byteLength) } };
        return Promise.resolve(toResponse(a, init.signal));
      }
      default:
        return Promise.resolve(toResponse(json(404, { error: { status: '404', message: 'not faked' } }), init.signal));
    }
  };
  return { fetch, seen };
};
