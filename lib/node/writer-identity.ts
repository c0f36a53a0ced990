/**
 * Who wrote a temp file or holds a lock: this process's identity (a host tag, its pid and its start time) as a
 * token put into temp file names and lock files, and the check whether the process behind a token is gone — so
 * the next run can clean up after a killed one at once instead of waiting for files to age.
 *
 * A pid alone is not enough (pids are reused), so the token carries the process's start time: on Linux the
 * `starttime` of `/proc/<pid>/stat` (clock ticks since boot), compared with that of whatever process has the pid
 * now. Elsewhere the start time is only recorded, and a writer counts as gone only when no process has its pid.
 * A token from another host (a shared or network folder) cannot be checked: the caller falls back to age.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';

/** A writer, as recorded in a token. */
export interface WriterIdentity {
  /** 8 hex digits of the SHA-256 of the host name. */
  readonly host: string;
  readonly pid: number;
  /** Linux: `starttime` from `/proc/<pid>/stat`; elsewhere the process start in ms since the epoch. */
  readonly start: number;
}

/** `starttime` (field 22) of a `/proc/<pid>/stat` text; the command name (field 2) may hold spaces and `)`. */
export const parseProcStartTime = (stat: string): number | undefined => {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const value = Number(rest[19]);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
};

const procStartTime = (text: string | undefined): number | undefined => (text === undefined ? undefined : parseProcStartTime(text));

const readOwnStart = (): { start: number; proc: boolean } => {
  try {
    const start = procStartTime(readFileSync(`/proc/${process.pid}/stat`, 'utf8'));
    if (start !== undefined) return { start, proc: true };
  } catch {
    // no procfs (macOS, Windows): the start time is recorded, not checked
  }
  return { start: Math.round(performance.timeOrigin), proc: false };
};

let own: (WriterIdentity & { readonly proc: boolean }) | undefined;

/** This process's identity (computed once). */
export const ownIdentity = (): WriterIdentity => {
  if (own === undefined) {
    const { start, proc } = readOwnStart();
    own = { host: createHash('sha256').update(hostname()).digest('hex').slice(0, 8), pid: process.pid, start, proc };
  }
  return own;
};

/** The token of this process plus `randomHex` random bytes: `<host>-<pid>-<start>-<random>`. */
export const ownToken = (randomHexBytes = 4): string => {
  const id = ownIdentity();
  return `${id.host}-${id.pid}-${id.start}-${randomBytes(randomHexBytes).toString('hex')}`;
};

const TOKEN = /^([0-9a-f]{8})-(\d{1,10})-(\d{1,16})-[0-9a-f]{8}$/;

/** The identity in a token, or `undefined` when it is not one. */
export const parseToken = (token: string): WriterIdentity | undefined => {
  const m = TOKEN.exec(token);
  if (!m) return undefined;
  const pid = Number(m[2]);
  const start = Number(m[3]);
  return Number.isSafeInteger(pid) && pid > 0 && Number.isSafeInteger(start) ? { host: m[1]!, pid, start } : undefined;
};

/** Whether a token's pattern (for file-name checks). */
export const TOKEN_PATTERN = '[0-9a-f]{8}-\\d{1,10}-\\d{1,16}-[0-9a-f]{8}';

/**
 * Whether the writer is gone: `true` (no such process, or the pid now belongs to a process started at another
 * time), `false` (it is running: this process, or a live one), `undefined` (cannot tell: another host, or no
 * way to read start times here and the pid is in use).
 *
 * @example
 * ```ts
 * import { ownIdentity, writerGone } from './writer-identity.js';
 * await writerGone(ownIdentity()); // false
 * ```
 */
export const writerGone = async (writer: WriterIdentity): Promise<boolean | undefined> => {
  const me = ownIdentity() as WriterIdentity & { readonly proc: boolean };
  if (writer.host !== me.host) return undefined;
  if (writer.pid === me.pid) return writer.start !== me.start;
  if (me.proc) {
    let stat: string;
    try {
      stat = await readFile(`/proc/${writer.pid}/stat`, 'utf8');
    } catch {
      return true; // no such process
    }
    const start = procStartTime(stat);
    return start === undefined ? undefined : start !== writer.start;
  }
  try {
    process.kill(writer.pid, 0);
    return undefined; // a process has the pid: maybe the writer, maybe a reuse
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return code === 'ESRCH' ? true : undefined;
  }
};
