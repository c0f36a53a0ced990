// view-state.spec.ts — what the page shows when an OAuth sign-in is refused (ng test: vitest + jsdom).
import * as E from 'fp-ts/Either';
import { createMemorySink, type MxError, type StatementEvent } from 'mx-statements-rx';
import { initialView, reduceView } from './view-state';

const waiting: StatementEvent = { type: 'oauth-required', userGuid: 'USR-1', memberGuid: 'MBR-1', institutionCode: 'mx_bank_oauth', url: 'https://bank.example/w/1' };
const denied: MxError = { _tag: 'ConnectionFailed', method: 'GET', path: '/users/USR-1/members/MBR-1/status', message: 'member MBR-1: DENIED', memberGuid: 'MBR-1', connectionStatus: 'DENIED' };
const status = (connectionStatus: string): StatementEvent =>
  ({ type: 'status', memberGuid: 'MBR-1', connectionStatus, isBeingAggregated: false, attempt: 2, nextDelayMs: null });

describe('reduceView', () => {
  it('a DENIED seen by a poll while the page waits for the sign-in is the person\'s refusal: Not connected', () => {
    const fold = reduceView(createMemorySink());
    const view = [E.right(waiting), E.right(status('PENDING')), E.right(status('DENIED')), E.left(denied)].reduce(fold, initialView);
    expect(view.step).toBe('Not connected');
    expect(view.finished).toBe(true);
  });

  it('DENIED credentials (no sign-in asked for) are a failure', () => {
    const fold = reduceView(createMemorySink());
    const view = [E.right(status('DENIED')), E.left(denied)].reduce(fold, initialView);
    expect(view.step).toBe('Failed');
  });
});
