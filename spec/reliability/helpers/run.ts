/** Running a workflow to its end and sorting what came out. */
import * as E from 'fp-ts/lib/Either.js';
import type { Observable } from 'rxjs';
import { collect } from '../../helpers/bounded.js';
import type { MxError } from '../../../lib/core/errors.js';
import type { FileSystemError } from '../../../lib/node/fs-error.js';
import type { StatementEvent } from '../../../lib/workflow/events.js';

/** Everything one run emitted: its events, and its final error if it ended with a `Left`. */
export interface RunOutcome {
  readonly events: StatementEvent[];
  readonly error: MxError | FileSystemError | undefined;
  readonly all: Array<E.Either<MxError | FileSystemError, StatementEvent>>;
}

/**
 * Subscribes, collects every item until completion (rejects if the error channel is used, or after `ms`,
 * unsubscribing the run).
 */
export const runToEnd = async (run$: Observable<E.Either<MxError | FileSystemError, StatementEvent>>, ms = 20_000): Promise<RunOutcome> => {
  const all = await collect(run$, ms, 'the workflow run');
  const lefts = all.filter(E.isLeft);
  if (lefts.length > 1) throw new Error(`more than one Left: ${lefts.map((l) => l.left._tag).join(', ')}`);
  if (lefts.length === 1 && !E.isLeft(all[all.length - 1] as E.Either<MxError | FileSystemError, StatementEvent>)) throw new Error('a Left that is not last');
  return { events: all.filter(E.isRight).map((r) => r.right), error: lefts[0]?.left, all };
};

/** The events of one type. */
export const ofType = <T extends StatementEvent['type']>(events: ReadonlyArray<StatementEvent>, type: T) =>
  events.filter((e): e is Extract<StatementEvent, { type: T }> => e.type === type);
