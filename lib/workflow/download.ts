/**
 * Step 9: download each statement into the sink, verified, with bounded concurrency; skip what the sink holds.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { Subject, concatMap, defer, finalize, from, map, merge, mergeMap, of, tap, type Observable } from 'rxjs';
import type { MemberRef } from '../api/refs.js';
import type { Statement } from '../codecs/index.js';
import { isRetryable, type MxError } from '../core/errors.js';
import { apiPath } from '../http/path.js';
import { isRetryableDownloadFailure, usableContentHash } from './download-limits.js';
import { fail, unwrap } from './either.js';
import type { StatementDownloadedEvent, StatementProgressEvent, StatementSkippedEvent } from './events.js';
import type { ResolvedDownload, WorkflowContext } from './input.js';
import { retryStep } from './retry-step.js';
import type { DownloadTarget, SavedStatement } from './sink.js';
import { unverifiedRefusal, verifyPdf$ } from './verify.js';

/** The events of the download phase. */
export type DownloadPhaseEvent = StatementProgressEvent | StatementDownloadedEvent | StatementSkippedEvent;

/** Whether a failed download may pass on another attempt: a transient HTTP failure, or one of its own. */
const retryableDownload = (e: MxError): boolean => isRetryable(e) || isRetryableDownloadFailure(e);

/**
 * A stored copy still stands for the statement when its SHA-256 equals MX's `content_hash`; with no usable hash
 * (only reachable with `requireContentHash: false`) there is nothing newer to compare it with, so it stands.
 */
const stillCurrent = (saved: SavedStatement, hash: string | undefined): boolean =>
  hash === undefined || hash === saved.sha256.toLowerCase();

/**
 * One statement: without a usable `content_hash` it is refused at once (`IntegrityError` `unverified`: nothing
 * requested, nothing reported as stored) unless `download.requireContentHash` is false. Then `sink.has$` →
 * `statement-skipped` when stored and current; else the verified download streamed into `sink.save$` →
 * `statement-downloaded` (with `statement-progress` before it when asked). A transient or integrity failure, or
 * a download too slow or too long, is retried (`download.retries`); the last failure ends the run.
 */
export const downloadStatement$ = (
  ctx: WorkflowContext,
  d: ResolvedDownload,
  ref: MemberRef,
  statement: Statement,
): Observable<DownloadPhaseEvent> =>
  defer(() => {
    const target: DownloadTarget = { member: ref, statement };
    const pdfRef = { ...ref, statementGuid: statement.guid };
    const path = `${apiPath`/users/${ref.userGuid}/members/${ref.memberGuid}/statements/${statement.guid}`}.pdf`;
    const hash = usableContentHash(statement);
    if (hash === undefined && d.safety.requireContentHash) return fail(unverifiedRefusal({ method: 'GET', path }, statement));

    const save$ = defer(() => {
      const progress = new Subject<StatementProgressEvent>();
      const verified$ = verifyPdf$(ctx.client.statements.pdf$(pdfRef), statement, ctx.hasher, { method: 'GET', path }, {
        ...d.safety,
        scheduler: ctx.scheduler,
      }).pipe(
        tap((r) => {
          if (d.progress && E.isRight(r) && r.right.kind === 'chunk') {
            progress.next({
              type: 'statement-progress',
              memberGuid: ref.memberGuid,
              statementGuid: statement.guid,
              received: r.right.received,
              contentLength: r.right.contentLength ?? null,
            });
          }
        }),
      );
      const saved$ = d.sink.save$(target, verified$).pipe(
        unwrap(),
        map((saved): StatementDownloadedEvent => ({
          type: 'statement-downloaded',
          memberGuid: ref.memberGuid,
          statementGuid: statement.guid,
          bytes: saved.bytes,
          sha256: saved.sha256,
          location: saved.location,
          ...(saved.unverified === true ? { unverified: true as const } : {}),
        })),
        finalize(() => progress.complete()),
      );
      return merge(progress, saved$);
    }).pipe(retryStep(ctx, d.retries, retryableDownload));

    return d.sink.has$(target).pipe(
      unwrap(),
      concatMap((saved): Observable<DownloadPhaseEvent> =>
        saved !== undefined && stillCurrent(saved, hash)
          ? of<StatementSkippedEvent>({
            type: 'statement-skipped',
            memberGuid: ref.memberGuid,
            statementGuid: statement.guid,
            bytes: saved.bytes,
            sha256: saved.sha256,
            location: saved.location,
            ...(hash === undefined && saved.unverified === true ? { unverified: true as const } : {}),
          })
          : save$),
    );
  });

/** Every statement, at most `download.concurrency` at once (`mergeMap(fn, n)`), in completion order. */
export const downloadAll$ = (
  ctx: WorkflowContext,
  d: ResolvedDownload,
  ref: MemberRef,
  statements: ReadonlyArray<Statement>,
): Observable<DownloadPhaseEvent> =>
  from(statements).pipe(mergeMap((s) => downloadStatement$(ctx, d, ref, s), d.concurrency));

/** Lists every statement of the member (every page), one `statement-listed` each, and hands the list on. */
export const listStatements$ = (ctx: WorkflowContext, ref: MemberRef): Observable<Statement> =>
  ctx.client.statements.all$(ref).pipe(unwrap());
