/** Finds the seeded sandbox users' members through the library (the `seedUsers` option of the sandbox). */
import * as E from 'fp-ts/lib/Either.js';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import type { MxClient } from '../../lib/api/client.js';
import type { MemberRef } from '../../lib/api/refs.js';
import { seedUserId } from '../../lib/sandbox/seed.js';

const unwrap = <A>(r: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

/** The member of seeded user `n` (1-based). */
export const seededMember = async (client: MxClient, n: number): Promise<MemberRef> => {
  const page = unwrap(await firstValueFrom(client.users.list$({ id: seedUserId(n) })));
  const user = page.items[0];
  if (!user?.guid) throw new Error(`seeded user ${seedUserId(n)} not found`);
  const members = (await lastValueFrom(client.members.all$({ userGuid: user.guid }).pipe(toArray()))).map(unwrap);
  const member = members[0];
  if (!member?.guid) throw new Error(`seeded user ${seedUserId(n)} has no member`);
  return { userGuid: user.guid, memberGuid: member.guid };
};
