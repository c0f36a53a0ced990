import type * as E from 'fp-ts/lib/Either.js';
import { map, toArray, type Observable } from 'rxjs';
import type { MxError } from '../core/errors.js';
import { ChallengesResponseBody, type Challenge } from '../codecs/index.js';
import { withQuery } from '../http/path.js';
import type { Transport } from '../http/transport.js';
import { apiPath } from '../http/path.js';
import { allPages, toPage } from './paging.js';
import type { MemberRef } from './refs.js';
import * as Ei from './either.js';

/** The challenge endpoint. */
export interface ChallengesApi {
  /**
   * `GET …/members/{member_guid}/challenges` — the open MFA challenges, every page in one list. MX answers 204
   * when the member is not CHALLENGED: that is an empty list here.
   */
  list$(ref: MemberRef): Observable<E.Either<MxError, ReadonlyArray<Challenge>>>;
}

const EMPTY_PAGE = { challenges: [], pagination: { current_page: 1, per_page: 0, total_entries: 0, total_pages: 1 } };

/** Binds the challenge endpoint to a transport. */
export const challengesApi = (http: Transport): ChallengesApi => ({
  list$: ({ userGuid, memberGuid }) =>
    allPages((page) =>
      http.json$(
        { method: 'GET', path: withQuery(apiPath`/users/${userGuid}/members/${memberGuid}/challenges`, { page, records_per_page: 1000 }) },
        ChallengesResponseBody,
        { whenEmpty: () => EMPTY_PAGE },
      ).pipe(map(Ei.map((b) => toPage(b.challenges, b.pagination)))),
    ).pipe(toArray(), map(Ei.sequence)),
});
