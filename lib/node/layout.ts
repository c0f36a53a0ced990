/**
 * Where the sink puts things: `<dir>/<member>/<statement>.pdf`, `<dir>/<member>/manifest.json`, and the temp
 * files beside them. Every path is checked to stay inside the output folder.
 *
 * @module
 */
import * as path from 'node:path';
import type { DownloadTarget } from '../workflow/sink.js';
import { sanitizeFileName } from './sanitize.js';
import { TOKEN_PATTERN, ownToken, parseToken, type WriterIdentity } from './writer-identity.js';

/**
 * The name of the per-member manifest file, `<dir>/<member>/manifest.json`.
 *
 * @example
 * ```ts
 * import * as path from 'node:path';
 * import { readManifest } from 'mx-statements-rx/node';
 * import { MANIFEST_FILE } from './layout.js';
 * import { sanitizeFileName } from './sanitize.js';
 * await readManifest(path.join('./statements', sanitizeFileName('MBR-1'), MANIFEST_FILE));
 * ```
 */
export const MANIFEST_FILE = 'manifest.json';

/** The paths of one statement: absolute ones to use, relative (`/`-separated) ones to record and report. */
export interface StatementPaths {
  /** The member folder, absolute. */
  readonly memberDir: string;
  /** The member folder relative to the output folder (its sanitised name). */
  readonly relMemberDir: string;
  /** The final PDF, absolute. */
  readonly file: string;
  /** The final PDF relative to the output folder, e.g. `MBR-1/STA-1.pdf`. */
  readonly relFile: string;
  /** The member's manifest, absolute. */
  readonly manifest: string;
  /** The member's manifest relative to the output folder. */
  readonly relManifest: string;
}

/** Thrown when a computed path would leave the output folder (cannot happen with sanitised names). */
export class PathEscapeError extends Error {
  constructor(readonly relPath: string) {
    super(`refusing a path outside the output folder: ${relPath}`);
    this.name = 'PathEscapeError';
  }
}

/** Throws {@link PathEscapeError} unless `target` is strictly inside `root` (both absolute). */
export const assertInside = (root: string, target: string): void => {
  const rel = path.relative(root, target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) throw new PathEscapeError(rel);
};

const toPosix = (rel: string): string => rel.split(path.sep).join('/');

/** The paths of `target` under the absolute output folder `root`. */
export const statementPaths = (root: string, target: DownloadTarget): StatementPaths => {
  const memberName = sanitizeFileName(target.member.memberGuid);
  const memberDir = path.resolve(root, memberName);
  const file = path.resolve(memberDir, `${sanitizeFileName(target.statement.guid)}.pdf`);
  const manifest = path.resolve(memberDir, MANIFEST_FILE);
  for (const p of [memberDir, file, manifest]) assertInside(root, p);
  return {
    memberDir,
    relMemberDir: toPosix(path.relative(root, memberDir)),
    file,
    relFile: toPosix(path.relative(root, file)),
    manifest,
    relManifest: toPosix(path.relative(root, manifest)),
  };
};

/**
 * A fresh temp path beside `file`, in the same folder so a rename is atomic: `.<name>.<writer token>.part`, where
 * the token names this process (host tag, pid, start time; see `writer-identity.ts`) plus random bytes, so the
 * next run can tell whether the file's writer is gone and delete it at once.
 */
export const tempPathFor = (file: string): string =>
  path.join(path.dirname(file), `.${path.basename(file)}.${ownToken()}.part`);

const CURRENT_TEMP = new RegExp(`^\\..+\\.(${TOKEN_PATTERN})\\.part$`);
/** The names of earlier versions: `.<name>.<12 hex>.part` (no writer recorded: cleaned up by age only). */
const LEGACY_TEMP = /^\..+\.[0-9a-f]{12}\.part$/;

/**
 * Whether a file name is one {@link tempPathFor} makes, or made in an earlier version (so a sweep of left-over
 * temp files touches nothing else).
 *
 * @example
 * ```ts
 * import { isTempName } from './layout.js';
 * isTempName('.STA-1.pdf.0123456789ab.part'); // true (an earlier version's name)
 * isTempName('notes.part'); // false
 * ```
 */
export const isTempName = (name: string): boolean => CURRENT_TEMP.test(name) || LEGACY_TEMP.test(name);

/**
 * The writer recorded in a temp file name, or `undefined` when the name records none (an earlier version's name).
 *
 * @example
 * ```ts
 * import { tempWriterOf } from './layout.js';
 * tempWriterOf('.STA-1.pdf.0a1b2c3d-4242-123456-deadbeef.part'); // { host: '0a1b2c3d', pid: 4242, start: 123456 }
 * ```
 */
export const tempWriterOf = (name: string): WriterIdentity | undefined => {
  const m = CURRENT_TEMP.exec(name);
  return m ? parseToken(m[1]!) : undefined;
};
