/**
 * Driving a result stream to its end under the CLI's rules: the first `Left` ends it, `--timeout` bounds it,
 * Ctrl-C cancels it — each by unsubscribing, which aborts the request in flight and lets the sink drop any
 * half-written file.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Observable } from 'rxjs';
import type { MxError } from '../core/errors.js';
import type { FileSystemError } from '../node/fs-error.js';
import { failureExitCode, toFailure, type Failure } from './cli-error.js';
import type { ExitGuard } from './io.js';
import { formatDuration } from './render/format.js';

/** How a run ended. */
export type Outcome = { readonly ok: true } | { readonly ok: false; readonly failure: Failure };

/**
 * Cancels a run: on Ctrl-C (the `interrupt` signal) or when `timeoutMs` has passed; either way the exit guard
 * is told, so the process ends within its grace even if something pending never settles.
 */
export interface RunAbort {
  /** Aborted on either cause; pass it to prompts so they close too. */
  readonly signal: AbortSignal;
  /** The failure behind the abort, once aborted. */
  failure(): Failure | undefined;
  /** Clears the timer and listeners. */
  dispose(): void;
}

/**
 * Creates the {@link RunAbort} of one command run.
 *
 * @example
 * ```ts
 * import { createRunAbort } from './run.js';
 * import type { CliIO } from './io.js';
 * import type { FetchOptions } from './options.js';
 * declare const io: CliIO;
 * declare const options: FetchOptions;
 *
 * const abort = createRunAbort(io.interrupt, options.timeoutMs, io.exitGuard);
 * try {
 *   // … run the command, passing abort.signal to prompts …
 * } finally {
 *   abort.dispose();
 * }
 * ```
 */
export const createRunAbort = (interrupt: AbortSignal, timeoutMs: number | undefined, guard?: ExitGuard): RunAbort => {
  const controller = new AbortController();
  let cause: Failure | undefined;
  const stop = (f: Failure) => {
    if (cause) return;
    cause = f;
    guard?.stopping(failureExitCode(f));
    controller.abort(f);
  };
  const onInterrupt = () => stop({ _tag: 'Interrupted', message: 'stopped by Ctrl-C (SIGINT); no partial file kept' });
  if (interrupt.aborted) onInterrupt();
  else interrupt.addEventListener('abort', onInterrupt, { once: true });
  const timer =
    timeoutMs !== undefined
      ? setTimeout(() => stop({ _tag: 'RunTimeout', message: `--timeout: the run took longer than ${formatDuration(timeoutMs)}; stopped, no partial file kept`, timeoutMs }), timeoutMs)
      : undefined;
  return {
    signal: controller.signal,
    failure: () => cause,
    dispose: () => {
      if (timer) clearTimeout(timer);
      interrupt.removeEventListener('abort', onInterrupt);
    },
  };
};

/**
 * Subscribes to `source$`, hands each `Right` to `onValue`, and resolves with the outcome: `ok` on completion,
 * the failure on the first `Left`, on an error (a thrown `UsageError` from a prompt, say) or on abort.
 * The subscription is always released before the promise resolves.
 *
 * @example
 * ```ts
 * import { fetchStatements$, type FetchStatementsInput, type MxClient } from 'mx-statements-rx';
 * import { createRunAbort, drive } from './run.js';
 * import type { Renderer } from './render/renderer.js';
 * declare const client: MxClient;
 * declare const input: FetchStatementsInput;
 * declare const renderer: Renderer;
 *
 * const abort = createRunAbort(new AbortController().signal, 60_000);
 * const outcome = await drive(fetchStatements$(client, input), (ev) => renderer.event(ev), abort.signal, abort.failure);
 * ```
 */
export const drive = <A>(
  source$: Observable<E.Either<MxError | FileSystemError, A>>,
  onValue: (a: A) => void,
  signal: AbortSignal,
  abortFailure: () => Failure | undefined,
): Promise<Outcome> =>
  new Promise<Outcome>((resolve) => {
    let settled = false;
    let subscription: { unsubscribe(): void } | undefined;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      subscription?.unsubscribe();
      resolve(outcome);
    };
    const onAbort = () => finish({ ok: false, failure: abortFailure() ?? { _tag: 'Interrupted', message: 'stopped; no partial file kept' } });
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    subscription = source$.subscribe({
      next: (r) => {
        if (settled) return;
        if (E.isLeft(r)) finish({ ok: false, failure: r.left });
        else {
          try {
            onValue(r.right);
          } catch (e) {
            finish({ ok: false, failure: toFailure(e) });
          }
        }
      },
      error: (e: unknown) => finish({ ok: false, failure: signal.aborted ? (abortFailure() ?? toFailure(e)) : toFailure(e) }),
      complete: () => finish({ ok: true }),
    });
    if (settled) subscription.unsubscribe();
  });

/**
 * `promise`, or the abort's reason as soon as `signal` aborts (the promise is left to settle on its own): for
 * steps that cannot be cancelled, such as a file system call.
 *
 * @example
 * ```ts
 * import { mkdir } from 'node:fs/promises';
 * import { raceAbort } from './run.js';
 *
 * await raceAbort(mkdir('./statements'), AbortSignal.timeout(5_000));
 * ```
 */
export const raceAbort = <A>(promise: Promise<A>, signal: AbortSignal): Promise<A> =>
  new Promise<A>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (a) => {
        signal.removeEventListener('abort', onAbort);
        resolve(a);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
