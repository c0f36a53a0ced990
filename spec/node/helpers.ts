import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { from, type Observable } from 'rxjs';
import { collect } from '../helpers/bounded.js';
import type { MxError } from '../../lib/core/errors.js';
import type { Statement } from '../../lib/codecs/statement.js';
import type { DownloadEvent, DownloadTarget } from '../../lib/workflow/sink.js';

/** A fresh folder under the OS temp folder, and a function that removes it. */
export const makeTempDir = async (): Promise<{ dir: string; cleanup: () => Promise<void> }> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'mx-sink-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
};

/** Every file and folder under `dir` (dotfiles included), relative, `/`-separated, sorted. */
export const listAll = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { recursive: true });
  return entries.map((e) => e.split(path.sep).join('/')).sort();
};

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export const target = (memberGuid: string, statementGuid: string, extra: Partial<Statement> = {}): DownloadTarget => ({
  member: { userGuid: 'USR-1', memberGuid },
  statement: { guid: statementGuid, ...extra },
});

export type Ev = E.Either<MxError, DownloadEvent>;

export const chunkEvents = (chunks: ReadonlyArray<Uint8Array>): Ev[] => {
  let received = 0;
  return chunks.map((bytes) => {
    received += bytes.byteLength;
    return E.right({ kind: 'chunk', bytes, received } as const);
  });
};

export const verified = (bytes: Uint8Array): Ev => E.right({ kind: 'verified', bytes: bytes.byteLength, sha256: sha256Hex(bytes) });

/** The events of a good download of `bytes`, in chunks of `size`. */
export const goodDownload = (bytes: Uint8Array, size = 7): Ev[] => {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.byteLength; i += size) chunks.push(bytes.subarray(i, i + size));
  return [...chunkEvents(chunks), verified(bytes)];
};

export const pdfBytes = (text: string): Uint8Array => new TextEncoder().encode(`%PDF-1.4\n${text}\n%%EOF\n`);

export const networkError: MxError = { _tag: 'NetworkError', method: 'GET', path: '/x.pdf', message: 'reset', code: 'ECONNRESET' };

/** Every value of a finite Observable (bounded: unsubscribes and fails after 15 s). */
export const all = <A>(o: Observable<A>): Promise<A[]> => collect(o);

export const events$ = (evs: ReadonlyArray<Ev>): Observable<Ev> => from(evs);

/** Guids that try to escape the output folder or break file names. */
export const HOSTILE: ReadonlyArray<string> = [
  '../../etc/passwd', 'a/b', 'a\\b', 'a\0b', 'x'.repeat(10_000), 'ünïcødé-☃-😀', '', '.', '..', '/', 'C:\\Windows',
  'con', 'NUL', '.hidden', 'a b', 'STA-1.pdf', '..\\..\\boot.ini',
];
