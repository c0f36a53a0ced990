/**
 * The per-member manifest `<dir>/<member>/manifest.json`: what was saved, with its size and SHA-256.
 * Read tolerantly (missing or corrupt → empty), written atomically and one write at a time per file.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { writeFileAtomic } from './atomic-write.js';
import { errorCode } from './fs-error.js';
import { usableContentHash } from '../workflow/download-limits.js';
import { withLock } from './manifest-lock.js';
import { serially } from './serial-queue.js';

/**
 * The manifest format version this code writes and reads (a manifest of another version counts as corrupt).
 *
 * @example
 * ```ts
 * import { MANIFEST_VERSION } from './manifest.js';
 * const empty = { version: MANIFEST_VERSION, statements: [] };
 * ```
 */
export const MANIFEST_VERSION = 1;

const NullableString = t.union([t.string, t.null]);
const NonNegativeInt = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'NonNegativeInt');

/**
 * One saved statement. `file` is relative to the output folder, with `/` separators. `verified: false` marks a
 * PDF kept without a `content_hash` to check it against (`requireContentHash: false`); entries written before
 * the field existed have none, and count as verified exactly when they recorded a `content_hash`.
 */
export const ManifestEntry = t.intersection([
  t.type({
    member_guid: t.string,
    user_guid: t.string,
    statement_guid: t.string,
    account_guid: NullableString,
    file: t.string,
    bytes: NonNegativeInt,
    sha256: t.string,
    content_hash: NullableString,
    created_at: NullableString,
    saved_at: t.string,
  }),
  t.partial({ verified: t.boolean }),
]);
/**
 * One saved statement, as recorded in the manifest (`file` relative to the output folder, `/`-separated).
 *
 * @example
 * ```ts
 * import type { ManifestEntry } from 'mx-statements-rx/node';
 * const bytesOf = (entries: ReadonlyArray<ManifestEntry>) => entries.reduce((n, e) => n + e.bytes, 0);
 * ```
 */
export type ManifestEntry = t.TypeOf<typeof ManifestEntry>;

/** The whole manifest file. */
export const Manifest = t.type({ version: t.literal(MANIFEST_VERSION), statements: t.array(ManifestEntry) });
/**
 * The whole manifest file: `{ version: 1, statements: ManifestEntry[] }`.
 *
 * @example
 * ```ts
 * import type { Manifest } from 'mx-statements-rx/node';
 * const guids = (m: Manifest) => m.statements.map((e) => e.statement_guid);
 * ```
 */
export type Manifest = t.TypeOf<typeof Manifest>;

/**
 * What reading a manifest found: `missing` (no file or folder), `corrupt` (not JSON, or the wrong shape) or `ok`.
 *
 * @example
 * ```ts
 * import type { ManifestRead } from 'mx-statements-rx/node';
 * const count = (r: ManifestRead) => (r.kind === 'ok' ? r.manifest.statements.length : 0);
 * ```
 */
export type ManifestRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'corrupt' }
  | { readonly kind: 'ok'; readonly manifest: Manifest };

/**
 * Reads and checks a manifest. Missing (or its folder missing) and corrupt are results; other fs errors throw.
 * Read-only: a corrupt manifest is moved aside only by the next save into that folder.
 *
 * @example
 * ```ts
 * import { readManifest } from 'mx-statements-rx/node';
 * const r = await readManifest('./statements/MBR-1/manifest.json');
 * if (r.kind === 'ok') console.log(r.manifest.statements.length, 'saved');
 * ```
 */
export const readManifest = async (file: string): Promise<ManifestRead> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    if (code === 'EISDIR') return { kind: 'corrupt' };
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'corrupt' };
  }
  const decoded = Manifest.decode(json);
  return E.isRight(decoded) ? { kind: 'ok', manifest: decoded.right } : { kind: 'corrupt' };
};

/** The entry for one statement of one member, if recorded. */
export const findEntry = (manifest: Manifest, memberGuid: string, statementGuid: string): ManifestEntry | undefined =>
  manifest.statements.find((e) => e.member_guid === memberGuid && e.statement_guid === statementGuid);

/** `manifest` with `entry` added, replacing an older entry for the same member and statement in place. */
export const upsertEntry = (manifest: Manifest, entry: ManifestEntry): Manifest => {
  const i = manifest.statements.findIndex(
    (e) => e.member_guid === entry.member_guid && e.statement_guid === entry.statement_guid,
  );
  const statements = i < 0
    ? [...manifest.statements, entry]
    : manifest.statements.map((e, j) => (j === i ? entry : e));
  return { version: MANIFEST_VERSION, statements };
};

/** Where a corrupt manifest is moved: `manifest.json.corrupt-<time>-<random>` beside it. */
export const corruptPathFor = (file: string, now: Date): string =>
  `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;

/**
 * Writes `entry` into the manifest `file` (read, update, atomic replace; a corrupt manifest is moved aside
 * first). Not queued: call it inside `serially(file, …)`, as {@link recordEntry} does.
 */
export const writeEntry = async (file: string, entry: ManifestEntry, fsync: boolean, now: Date): Promise<void> => {
  const read = await readManifest(file);
  if (read.kind === 'corrupt') await rename(file, corruptPathFor(file, now));
  const base: Manifest = read.kind === 'ok' ? read.manifest : { version: MANIFEST_VERSION, statements: [] };
  await writeFileAtomic(file, `${JSON.stringify(upsertEntry(base, entry), null, 2)}\n`, fsync);
};

/** The lock file of a manifest: `manifest.json.lock` beside it. */
export const lockPathFor = (manifest: string): string => `${manifest}.lock`;

/**
 * Runs `task` as the only updater of the manifest `file`: queued behind every other update of it in this
 * process, and holding its lock file against other processes (see `manifest-lock.ts`), so concurrent saves —
 * in one process or several — never lose entries.
 */
export const exclusively = <A>(file: string, task: () => Promise<A>): Promise<A> =>
  serially(file, () => withLock(lockPathFor(file), task));

/** Records `entry` in the manifest `file`, as the only updater of it (see {@link exclusively}). */
export const recordEntry = (file: string, entry: ManifestEntry, fsync: boolean, now: Date): Promise<void> =>
  exclusively(file, () => writeEntry(file, entry, fsync, now));

/**
 * Whether an entry records a verified PDF: its `verified` field, or for entries written before that field
 * existed, whether it recorded a usable `content_hash`.
 */
export const entryVerified = (entry: ManifestEntry): boolean =>
  entry.verified ?? usableContentHash({ content_hash: entry.content_hash }) !== undefined;
