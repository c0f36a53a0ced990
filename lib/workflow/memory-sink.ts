/**
 * A bounded in-memory {@link StatementSink}, for browsers (make Blob URLs from it) and tests.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { Observable, defer, of } from 'rxjs';
import type { MxError, SinkFull } from '../core/errors.js';
import type { MxObservable } from '../core/observable-either.js';
import { usableContentHash } from './download-limits.js';
import type { DownloadEvent, DownloadTarget, SavedStatement, StatementSink } from './sink.js';

/**
 * Options of {@link createMemorySink}.
 *
 * @example
 * ```ts
 * import { createMemorySink, type MemorySinkOptions } from 'mx-statements-rx';
 * const o: MemorySinkOptions = { maxBytes: 16 * 1024 * 1024 };
 * createMemorySink(o);
 * ```
 */
export interface MemorySinkOptions {
  /** The most bytes held in all (kept statements plus downloads in progress). Default 64 MiB. */
  readonly maxBytes?: number;
}

/**
 * A stored statement.
 *
 * @example
 * ```ts
 * import { createMemorySink } from 'mx-statements-rx';
 * const s = createMemorySink().get('MBR-1', 'STA-1'); // MemoryStatement | undefined
 * s?.data.byteLength;
 * ```
 */
export interface MemoryStatement extends SavedStatement {
  readonly memberGuid: string;
  readonly statementGuid: string;
  readonly data: Uint8Array;
}

/**
 * A {@link StatementSink} that keeps verified PDFs in memory, with accessors.
 *
 * @example
 * ```ts
 * import { createMemorySink, type MemorySink } from 'mx-statements-rx';
 * const sink: MemorySink = createMemorySink();
 * sink.list().map((s) => s.location);
 * ```
 */
export interface MemorySink extends StatementSink {
  /** The stored PDF of a statement, if any. */
  get(memberGuid: string, statementGuid: string): MemoryStatement | undefined;
  /** Every stored statement, in the order saved. */
  list(): ReadonlyArray<MemoryStatement>;
  /** Forget one statement (or all with no argument), freeing its bytes. */
  delete(memberGuid?: string, statementGuid?: string): void;
  /** Bytes held now. */
  readonly size: number;
}

const keyOf = (memberGuid: string, statementGuid: string) => `${memberGuid}/${statementGuid}`;

/**
 * Creates a {@link MemorySink}. It keeps a statement only after the workflow's `verified` event, and refuses
 * (with `SinkFull`) a download that would take it over `maxBytes`, keeping what it held. Locations are
 * `memory:<member>/<statement>`.
 *
 * @example
 * ```ts
 * import { createMemorySink, fetchStatements$ } from 'mx-statements-rx';
 * const sink = createMemorySink({ maxBytes: 32 * 1024 * 1024 });
 * // fetchStatements$(client, { ...input, download: { sink } }) … then:
 * // const pdf = sink.get(memberGuid, statementGuid)?.data;  // new Blob([pdf], { type: 'application/pdf' })
 * ```
 */
export const createMemorySink = (options: MemorySinkOptions = {}): MemorySink => {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const stored = new Map<string, MemoryStatement>();
  /** When each member's last successful statements job ended (for `maxAge`). */
  const jobs = new Map<string, number>();
  let size = 0;

  const full = (target: DownloadTarget, needed: number): SinkFull => ({
    _tag: 'SinkFull',
    method: 'WRITE',
    path: `memory:${keyOf(target.member.memberGuid, target.statement.guid)}`,
    statementGuid: target.statement.guid,
    maxBytes,
    neededBytes: needed,
    message: `the memory sink is full (${maxBytes} bytes; ${needed} more needed)`,
  });

  const save$ = (target: DownloadTarget, download$: MxObservable<DownloadEvent>) =>
    new Observable<E.Either<MxError, SavedStatement>>((subscriber) => {
      const key = keyOf(target.member.memberGuid, target.statement.guid);
      const chunks: Uint8Array[] = [];
      let reserved = 0;
      const release = () => {
        size -= reserved;
        reserved = 0;
      };
      const finish = (r: E.Either<MxError, SavedStatement>) => {
        subscriber.next(r);
        subscriber.complete();
      };
      const sub = download$.subscribe({
        next: (r) => {
          if (subscriber.closed) return;
          if (E.isLeft(r)) {
            release();
            finish(r);
            return;
          }
          const ev = r.right;
          if (ev.kind === 'chunk') {
            const previous = stored.get(key)?.bytes ?? 0;
            if (size + ev.bytes.byteLength - previous > maxBytes) {
              release();
              finish(E.left(full(target, ev.bytes.byteLength)));
              return;
            }
            chunks.push(ev.bytes.slice());
            size += ev.bytes.byteLength;
            reserved += ev.bytes.byteLength;
            return;
          }
          const data = new Uint8Array(ev.bytes);
          let at = 0;
          for (const c of chunks) {
            data.set(c.subarray(0, Math.max(0, Math.min(c.byteLength, data.byteLength - at))), at);
            at += c.byteLength;
          }
          const old = stored.get(key);
          if (old) size -= old.bytes;
          reserved = 0; // the reservation becomes the stored copy
          const saved: MemoryStatement = {
            memberGuid: target.member.memberGuid,
            statementGuid: target.statement.guid,
            location: `memory:${key}`,
            bytes: ev.bytes,
            sha256: ev.sha256,
            data,
            ...(ev.unverified === true ? { unverified: true as const } : {}),
          };
          stored.delete(key);
          stored.set(key, saved);
          finish(E.right({ location: saved.location, bytes: saved.bytes, sha256: saved.sha256, ...(ev.unverified === true ? { unverified: true as const } : {}) }));
        },
        error: (err: unknown) => {
          release();
          subscriber.error(err);
        },
        complete: () => {
          if (subscriber.closed) return;
          release();
          subscriber.error(new Error('memory sink: the download completed without a verified event'));
        },
      });
      return () => {
        sub.unsubscribe();
        release();
      };
    });

  return {
    has$: (target) => {
      const key = keyOf(target.member.memberGuid, target.statement.guid);
      let s = stored.get(key);
      if (s?.unverified === true && usableContentHash(target.statement) === s.sha256) {
        // kept unverified earlier; MX now sends a hash the bytes match: it is verified now
        const { unverified: _, ...verified } = s;
        s = verified;
        stored.set(key, s);
      }
      return of(E.right(s ? { location: s.location, bytes: s.bytes, sha256: s.sha256, ...(s.unverified === true ? { unverified: true as const } : {}) } : undefined));
    },
    save$,
    lastStatementsJob$: (member) => defer(() => of(E.right(jobs.get(member.memberGuid)))),
    recordStatementsJob$: (member, at) => defer(() => {
      jobs.set(member.memberGuid, Math.max(at, jobs.get(member.memberGuid) ?? -Infinity));
      return of(E.right(undefined));
    }),
    get: (m, s) => stored.get(keyOf(m, s)),
    list: () => [...stored.values()],
    delete: (m, s) => {
      for (const [k, v] of stored) {
        if ((m === undefined || v.memberGuid === m) && (s === undefined || v.statementGuid === s)) {
          size -= v.bytes;
          stored.delete(k);
        }
      }
    },
    get size() {
      return size;
    },
  };
};
