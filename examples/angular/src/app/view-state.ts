// view-state.ts — what the statements view shows, folded from the run's events (pure, apart from blob URLs).
// fp-ts/Either: bundlers take its ES build (the one io-ts uses), so the app holds one fp-ts.
import * as E from 'fp-ts/Either';
import { describeError, type Challenge, type MemorySink, type MxError, type OAuthRequiredEvent, type StatementEvent } from 'mx-statements-rx';

export interface Pdf {
  readonly guid: string;
  readonly url: string;
  readonly bytes: number;
}

export interface View {
  readonly step: string;
  /** The open MFA round, if any. */
  readonly challenges: ReadonlyArray<Challenge> | null;
  /** The bank's sign-in window to open, for an OAuth institution. */
  readonly oauth: OAuthRequiredEvent | null;
  readonly progress: { readonly statementGuid: string; readonly received: number; readonly total: number | null } | null;
  readonly pdfs: ReadonlyArray<Pdf>;
  readonly error: string | null;
  readonly finished: boolean;
}

export const initialView: View = { step: 'Starting…', challenges: null, oauth: null, progress: null, pdfs: [], error: null, finished: false };

/** A PDF from the memory sink as a blob URL for a download link (revoke it when the view goes). */
const blobUrl = (sink: MemorySink, memberGuid: string, statementGuid: string): string => {
  const pdf = sink.get(memberGuid, statementGuid);
  // A copy typed Uint8Array<ArrayBuffer>, which is what BlobPart takes under TS 5.9.
  return pdf ? URL.createObjectURL(new Blob([new Uint8Array(pdf.data)], { type: 'application/pdf' })) : '';
};

export const reduceView = (sink: MemorySink) => (view: View, r: E.Either<MxError, StatementEvent>): View => {
  if (E.isLeft(r)) {
    // A sign-in that ended in an error (cancelled, closed, denied: by the window's report, or DENIED seen by a poll
    // while the page waited for the sign-in) is the person's choice, not a failure.
    const declined = r.left._tag === 'ConnectionFailed' &&
      (r.left.oauthErrorReason !== undefined || (view.oauth !== null && r.left.connectionStatus === 'DENIED'));
    const step = declined ? 'Not connected' : 'Failed';
    return { ...view, challenges: null, oauth: null, step, error: describeError(r.left), finished: true };
  }
  const ev = r.right;
  switch (ev.type) {
    case 'user-ready':
      return { ...view, step: 'Signed in' };
    case 'institution-found':
      return { ...view, step: `Found ${ev.name ?? ev.code}` };
    case 'member-ready':
      return { ...view, step: 'Connecting to your bank…' };
    case 'oauth-required':
      return { ...view, step: `Sign in at your bank (${ev.institutionCode}) to continue`, oauth: ev };
    case 'status':
      // While MX waits for the sign-in (PENDING), the sign-in button stays; DENIED ends the run next (a refusal).
      return (ev.connectionStatus === 'PENDING' || ev.connectionStatus === 'DENIED') && view.oauth
        ? view
        : { ...view, oauth: null, step: `Connecting… (${ev.connectionStatus ?? 'pending'})` };
    case 'challenged':
      return { ...view, step: 'Your bank asks a question', challenges: ev.challenges };
    case 'challenge-answered':
      return { ...view, step: 'Checking your answer…', challenges: null };
    case 'connected':
      return { ...view, oauth: null, step: 'Connected' };
    case 'statement-listed':
      return { ...view, step: 'Listing statements…' };
    case 'statement-progress':
      return { ...view, step: 'Downloading statements…', progress: { statementGuid: ev.statementGuid, received: ev.received, total: ev.contentLength } };
    case 'statement-downloaded': {
      const pdf: Pdf = { guid: ev.statementGuid, url: blobUrl(sink, ev.memberGuid, ev.statementGuid), bytes: ev.bytes };
      return { ...view, step: 'Downloading statements…', pdfs: [...view.pdfs, pdf] };
    }
    case 'done':
      return { ...view, step: `Done: ${ev.summary.downloaded} statements`, progress: null, finished: true };
    default:
      return view;
  }
};
