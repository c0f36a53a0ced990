/** A `fetch` (cross-fetch underneath) that counts requests by kind and answers by status. */
import crossFetch from 'cross-fetch';
import type { FetchLike } from '../../lib/core/config.js';

/** What the counter saw. */
export interface FetchCounts {
  requests: number;
  readonly byKind: Record<string, number>;
  readonly byStatus: Record<string, number>;
  /** Rejected fetches (resets, refusals, aborts). */
  networkErrors: number;
}

/** The kind of an MX request, from its method and path. */
export const requestKind = (method: string, url: string): string => {
  const path = new URL(url).pathname;
  if (path.endsWith('.pdf')) return 'pdf';
  if (path.endsWith('/status')) return 'status';
  if (path.endsWith('/fetch_statements')) return 'fetch_statements';
  if (/\/statements(\/[^/]+)?$/.test(path)) return 'statements';
  if (/\/members$/.test(path)) return method === 'POST' ? 'create_member' : 'list_members';
  if (/^\/users$/.test(path)) return method === 'POST' ? 'create_user' : 'list_users';
  return `${method} other`;
};

/** Wraps cross-fetch; `counts` fills as requests go. */
export const countingFetch = (): { fetch: FetchLike; counts: FetchCounts } => {
  const counts: FetchCounts = { requests: 0, byKind: {}, byStatus: {}, networkErrors: 0 };
  const fetch: FetchLike = async (url, init) => {
    counts.requests += 1;
    const kind = requestKind(init.method, url);
    counts.byKind[kind] = (counts.byKind[kind] ?? 0) + 1;
    try {
      const res = await (crossFetch as unknown as FetchLike)(url, init);
      counts.byStatus[res.status] = (counts.byStatus[res.status] ?? 0) + 1;
      return res;
    } catch (err) {
      counts.networkErrors += 1;
      throw err;
    }
  };
  return { fetch, counts };
};
