/**
 * A lock file per manifest (`manifest.json.lock`), so that processes sharing an output folder update a member's
 * manifest one at a time: each update reads the manifest, adds its entry and replaces the file, and two updates
 * interleaved would lose one entry.
 *
 * The lock is a file created with `O_EXCL` holding its owner's token (host, pid, start time, random). A waiter
 * that finds it checks the owner: a process that is gone (killed while holding it) leaves a stale lock, which is
 * taken over at once; an owner that cannot be checked (another host) counts as gone once the lock is older than
 * {@link STALE_LOCK_MS} (an update holds it for milliseconds). Taking over renames the stale lock aside and checks
 * that it was the stale one, so two waiters that both saw it stale do not both end up holding the lock.
 *
 * @module
 */
import { link, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { errorCode } from './fs-error.js';
import { ownToken, parseToken, writerGone } from './writer-identity.js';

/** A lock whose owner cannot be checked counts as stale once this old (ms). */
export const STALE_LOCK_MS = 10_000;
/** How long an update waits for the lock before it fails with `ELOCKED`. */
export const LOCK_WAIT_MS = 60_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const readToken = async (file: string): Promise<string | undefined> => {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
};

/** Whether the lock holding `token` is stale: its owner is gone, or cannot be checked and the lock is old. */
const isStale = async (lockFile: string, token: string, now: number): Promise<boolean> => {
  const owner = parseToken(token);
  const gone = owner === undefined ? undefined : await writerGone(owner);
  if (gone !== undefined) return gone;
  try {
    return now - (await stat(lockFile)).mtimeMs > STALE_LOCK_MS;
  } catch {
    return false; // released meanwhile: just try again
  }
};

/** Whether a file name is a lock moved aside by a take-over (`manifest.json.lock.stale-<hex>`). */
export const isStaleLockAside = (name: string): boolean => /\.lock\.stale-[0-9a-f]{8}$/.test(name);

/** Moves a stale lock (the one holding `staleToken`) out of the way; puts back a fresh one moved by mistake. */
const takeOver = async (lockFile: string, staleToken: string): Promise<void> => {
  const aside = `${lockFile}.stale-${randomBytes(4).toString('hex')}`;
  try {
    await rename(lockFile, aside);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return; // someone else took it over first
    throw err;
  }
  const moved = await readToken(aside);
  if (moved !== staleToken && moved !== undefined) {
    // Between our check and the rename another waiter took the stale lock over and made a fresh one: give it back
    // (unless yet another lock was made meanwhile, which then stands).
    await link(aside, lockFile).catch(() => undefined);
  }
  await rm(aside, { force: true });
};

const tryCreate = async (lockFile: string, token: string): Promise<boolean> => {
  try {
    const fh = await open(lockFile, 'wx');
    try {
      await fh.writeFile(token, 'utf8');
    } finally {
      await fh.close();
    }
    return true;
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw err;
  }
};

/**
 * Runs `task` while holding the lock `lockFile`, waiting for it (with backoff) and taking over a stale one.
 * Releases it afterwards — only if it is still ours. Throws `ELOCKED` after {@link LOCK_WAIT_MS}, and fs errors.
 *
 * @example
 * ```ts
 * import { withLock } from './manifest-lock.js';
 * await withLock('./statements/MBR-1/manifest.json.lock', async () => 'updated'); // 'updated'
 * ```
 */
export const withLock = async <A>(lockFile: string, task: () => Promise<A>, waitMs = LOCK_WAIT_MS): Promise<A> => {
  const token = ownToken();
  const until = Date.now() + waitMs;
  let pause = 2;
  for (;;) {
    if (await tryCreate(lockFile, token)) break;
    const held = await readToken(lockFile);
    if (held === undefined) continue; // released between our attempt and the read
    if (await isStale(lockFile, held, Date.now())) {
      // (An empty or unreadable token — an owner that died between creating the lock and writing it — is judged
      // by age, like a lock from another host.)
      await takeOver(lockFile, held);
      continue;
    }
    if (Date.now() > until) throw Object.assign(new Error(`${lockFile} stayed locked for ${waitMs} ms`), { code: 'ELOCKED' });
    await sleep(pause);
    pause = Math.min(50, pause * 1.5);
  }
  try {
    return await task();
  } finally {
    if ((await readToken(lockFile).catch(() => undefined)) === token) await rm(lockFile, { force: true }).catch(() => undefined);
  }
};
