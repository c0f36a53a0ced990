import { VirtualTimeScheduler, type Observable } from 'rxjs';

const settle = async (rounds: number): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
};

/**
 * Runs an Observable whose timers live on a `VirtualTimeScheduler` while its I/O is real (already-settled)
 * promises: lets the I/O settle, then runs only the earliest due virtual timer(s), and repeats until the
 * Observable completes or errors. So a timeout fires only when nothing else could happen first. Returns every
 * value and the virtual time at which each arrived.
 */
export const runVirtual = async <A>(
  scheduler: VirtualTimeScheduler,
  source: Observable<A>,
  maxRounds = 2_000,
): Promise<{ values: A[]; times: number[]; error?: unknown; completedAt?: number }> => {
  const values: A[] = [];
  const times: number[] = [];
  let finished = false;
  let error: unknown;
  let completedAt: number | undefined;
  const sub = source.subscribe({
    next: (v) => {
      values.push(v);
      times.push(scheduler.now());
    },
    error: (e: unknown) => {
      error = e;
      finished = true;
    },
    complete: () => {
      completedAt = scheduler.now();
      finished = true;
    },
  });
  for (let i = 0; i < maxRounds && !finished; i++) {
    await settle(8);
    if (finished) break;
    const next = scheduler.actions[0];
    if (next === undefined) continue;
    scheduler.maxFrames = next.delay;
    scheduler.flush();
  }
  sub.unsubscribe();
  if (!finished) throw new Error(`runVirtual: did not finish within ${maxRounds} rounds`);
  return { values, times, ...(error !== undefined ? { error } : {}), ...(completedAt !== undefined ? { completedAt } : {}) };
};

/** A fresh virtual-time scheduler (time starts at 0; `now()` follows the timers it runs). */
export const virtualScheduler = (): VirtualTimeScheduler => new VirtualTimeScheduler(undefined, Infinity);
