/**
 * What a child process is doing, read from Linux's /proc, for specs that must act once a child is stuck in a
 * given system call (and not after a guessed delay, which a loaded machine outlasts).
 *
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { until } from './bounded.js';

/** The kernel functions the threads of `pid` are sleeping in (`/proc/<pid>/task/<tid>/wchan`); empty once it is gone. */
export const kernelWaits = (pid: number): string[] => {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tids.flatMap((tid) => {
    try {
      return [readFileSync(`/proc/${pid}/task/${tid}/wchan`, 'utf8').trim()];
    } catch {
      return []; // that thread ended meanwhile
    }
  });
};

/**
 * Resolves once a thread of `pid` sleeps in a kernel function matching `wchan` (an `open()` of a FIFO with no
 * writer sleeps in `wait_for_partner`, Linux's `fifo_open`); rejects after `timeoutMs`, naming what it saw.
 *
 * @example
 * ```ts
 * await untilKernelWait(child.pid!, /^(wait_for_partner|fifo_open)$/, 'the child blocked opening the FIFO');
 * ```
 */
export const untilKernelWait = async (pid: number, wchan: RegExp, what: string, timeoutMs = 15_000): Promise<void> => {
  if (process.platform !== 'linux') throw new Error(`${what}: reading a process's kernel waits needs Linux's /proc`);
  let seen: string[] = [];
  try {
    await until(what, () => (seen = kernelWaits(pid)).some((w) => wchan.test(w)), timeoutMs);
  } catch (e) {
    throw new Error(`${(e as Error).message} (the threads of ${pid} were waiting in: ${seen.join(', ') || 'nothing: it ended'})`);
  }
};
