/**
 * Leak checks: what the process holds open (sockets, timers, file handles), the HTTP agent's in-flight
 * requests, and files left in a folder.
 */
import { globalAgent } from 'node:http';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { expect } from 'chai';

/** Counts of `process.getActiveResourcesInfo()` by kind (`TCPSocketWrap`, `Timeout`, `FSReqPromise`, …). */
export type ResourceCounts = Readonly<Record<string, number>>;

export const resourceCounts = (): ResourceCounts => {
  // Note: mocha arms its per-test timeout timer only after the test function returns its promise, so take a
  // baseline after the first `await` of a test (see `baseline()`), not synchronously at its start.
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
};

/** Lets the event loop turn `rounds` times (I/O callbacks, closes, clean-up promises), then waits `ms`. */
export const settle = async (rounds = 10, ms = 20): Promise<void> => {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
};

/** A baseline snapshot taken once the test is under way (mocha's own timer armed, pending I/O settled). */
export const baseline = async (): Promise<ResourceCounts> => {
  await settle(2, 0);
  return resourceCounts();
};

/** Kinds that may only go down between two snapshots (sockets, timers, pending fs work, file handles). */
export const LEAK_KINDS = ['TCPSocketWrap', 'TCPServerWrap', 'Timeout', 'Immediate', 'FSReqPromise', 'FSReqCallback', 'FileHandle', 'PipeWrap'];

/**
 * Asserts that `after` holds no more of each {@link LEAK_KINDS} resource than `before` did, retrying while
 * clean-up is still settling (up to ~1 s), and reports both snapshots when it fails.
 */
export const expectNoNewResources = async (before: ResourceCounts, kinds: ReadonlyArray<string> = LEAK_KINDS): Promise<void> => {
  let after = resourceCounts();
  const grown = () => kinds.filter((k) => (after[k] ?? 0) > (before[k] ?? 0));
  for (let i = 0; i < 50 && grown().length > 0; i++) {
    await settle(5, 20);
    after = resourceCounts();
  }
  expect(grown(), `resources left: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`).to.deep.equal([]);
};

/** Requests in flight on the default HTTP agent (cross-fetch's): sockets in use and queued requests. */
export const inFlightRequests = (): number =>
  Object.values(globalAgent.sockets).reduce((n, list) => n + (list?.length ?? 0), 0) +
  Object.values(globalAgent.requests).reduce((n, list) => n + (list?.length ?? 0), 0);

/** Every file under `dir`, relative, `/`-separated, sorted (dotfiles included). */
export const listFiles = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
};

/** Temp files the sink writes before a rename (`.<name>.<hex>.part`). */
export const partFiles = (files: ReadonlyArray<string>): string[] => files.filter((f) => /\.part$/.test(f) || /(^|\/)\./.test(f));
