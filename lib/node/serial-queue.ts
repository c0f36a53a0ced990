/**
 * One in-process queue per key (a manifest path): tasks for the same key run one after another, in order.
 *
 * @module
 */

const tails = new Map<string, Promise<void>>();

/** Runs `task` after every task queued earlier for `key` has settled; resolves or rejects as `task` does. */
export const serially = <A>(key: string, task: () => Promise<A>): Promise<A> => {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.then(task);
  const tail = run.then(() => undefined, () => undefined);
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
};
