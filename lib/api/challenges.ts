import type * as E from 'fp-ts/lib/Either.js';
import { defer, map, toArray, type Observable } from 'rxjs';
import type { MxApiVersion } from '../core/config.js';
import type { MxError } from '../core/errors.js';
import { ChallengesResponseBody, type Challenge } from '../codecs/index.js';
import { withQuery } from '../http/path.js';
import type { Transport } from '../http/transport.js';
import { allPages, toPage } from './paging.js';
import { memberPath, type MemberKey } from './refs.js';
import * as Ei from './either.js';
import type { MxObservable } from '../core/observable-either.js';

/** The challenge endpoint. */
export interface ChallengesApi {
  /**
   * `GET …/members/{member}/challenges` — the open MFA challenges, every page in one list. MX answers 204
   * when the member is not CHALLENGED: that is an empty list here.
   */
  list$(member: MemberKey): MxObservable<ReadonlyArray<Challenge>>;
}

const EMPTY_PAGE = { challenges: [], pagination: { current_page: 1, per_page: 0, total_entries: 0, total_pages: 1 } };

/** Binds the challenge endpoint to a transport speaking `version`. */
export const challengesApi = (http: Transport, version: MxApiVersion): ChallengesApi => ({
  list$: (key) =>
    allPages((page) =>
      defer(() => http.json$(
        { method: 'GET', path: withQuery(`${memberPath(key, version)}/challenges`, { page, records_per_page: 1000 }) },
        ChallengesResponseBody,
        { whenEmpty: () => EMPTY_PAGE },
      )).pipe(map(Ei.map((b) => toPage(b.challenges, b.pagination)))),
    ).pipe(toArray(), map(Ei.sequence)),
});
