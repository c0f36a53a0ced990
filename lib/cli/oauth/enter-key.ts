/**
 * One key while the run goes on: Enter does something (open the OAuth link), nothing is echoed, and Ctrl-C still
 * interrupts the run. The terminal is in raw mode only while listening, and is put back on `stop()`.
 *
 * @module
 */

/** A terminal input that can be put in raw mode (process.stdin on a TTY). */
export interface KeyInput {
  readonly isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  removeListener(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** A key listener; `stop()` is idempotent. */
export interface KeyListener {
  stop(): void;
}

/**
 * Listens for Enter on a terminal (raw mode, no echo) and calls `onEnter` for each press; Ctrl-C calls
 * `onInterrupt` (raw mode turns off the terminal's own SIGINT). Returns `undefined` when `input` is not a terminal.
 *
 * @example
 * ```ts
 * import { listenForEnter } from './enter-key.js';
 *
 * const keys = listenForEnter(process.stdin, () => console.error('opening…'), () => process.kill(process.pid, 'SIGINT'));
 * // … later, before any prompt reads stdin:
 * keys?.stop();
 * ```
 */
export const listenForEnter = (input: KeyInput, onEnter: () => void, onInterrupt: () => void): KeyListener | undefined => {
  if (input.isTTY !== true || typeof input.setRawMode !== 'function') return undefined;
  let stopped = false;
  const onData = (chunk: Buffer | string) => {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    for (const ch of text) {
      if (stopped) return;
      if (ch === '\u0003') onInterrupt();
      else if (ch === '\r' || ch === '\n') onEnter();
    }
  };
  input.setRawMode(true);
  input.on('data', onData);
  input.resume();
  return {
    stop: () => {
      if (stopped) return;
      stopped = true;
      input.removeListener('data', onData);
      input.setRawMode?.(false);
      input.pause();
    },
  };
};
