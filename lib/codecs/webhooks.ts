/**
 * MX's webhooks (mx-api-today.md §5): `STATEMENT`, `AGGREGATION` and `CONNECTION_STATUS` payloads as io-ts
 * codecs, their decoding into typed events (unknown fields kept, unknown types reported, never thrown), a
 * delivery key for de-duplicating MX's redeliveries, and the workflow wakeup each one means. Browser-safe.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { DecodeError, RequestRef } from '../core/errors.js';
import { ConnectionStatus } from './connection-status.js';
import { decodeBody, parseJsonBody } from './decode.js';
import { nullable } from './nullable.js';

/**
 * `STATEMENT`: a statements job completed (`statements_created_count` new statements). `member_guid` is required;
 * every other field is optional (MX may add fields and does not promise their order).
 *
 * @example
 * ```ts
 * import { StatementWebhook } from './webhooks.js';
 * StatementWebhook.is({ type: 'STATEMENT', action: 'member_data_updated', member_guid: 'MBR-1', user_guid: 'USR-1' }); // true
 * ```
 */
export const StatementWebhook = t.intersection(
  [
    t.type({ type: t.literal('STATEMENT'), member_guid: t.string }),
    t.partial({
      action: nullable(t.string),
      completed_at: nullable(t.number),
      completed_on: nullable(t.string),
      statements_created_count: nullable(t.number),
      user_guid: nullable(t.string),
    }),
  ],
  'StatementWebhook',
);
/**
 * A decoded {@link StatementWebhook}.
 *
 * @example
 * ```ts
 * import type { StatementWebhook } from 'mx-statements-rx/node';
 * const w: StatementWebhook = { type: 'STATEMENT', member_guid: 'MBR-1', statements_created_count: 3 };
 * ```
 */
export type StatementWebhook = t.TypeOf<typeof StatementWebhook>;

/**
 * `AGGREGATION`: an aggregation-type job completed on a member.
 *
 * @example
 * ```ts
 * import { AggregationWebhook } from './webhooks.js';
 * AggregationWebhook.is({ type: 'AGGREGATION', member_guid: 'MBR-1', job_guid: 'JOB-1', is_background: false }); // true
 * ```
 */
export const AggregationWebhook = t.intersection(
  [
    t.type({ type: t.literal('AGGREGATION'), member_guid: t.string }),
    t.partial({
      action: nullable(t.string),
      completed_at: nullable(t.number),
      completed_on: nullable(t.string),
      is_background: nullable(t.boolean),
      job_guid: nullable(t.string),
      transactions_created_count: nullable(t.number),
      transactions_updated_count: nullable(t.number),
      user_guid: nullable(t.string),
      user_id: nullable(t.string),
    }),
  ],
  'AggregationWebhook',
);
/**
 * A decoded {@link AggregationWebhook}.
 *
 * @example
 * ```ts
 * import type { AggregationWebhook } from 'mx-statements-rx/node';
 * const w: AggregationWebhook = { type: 'AGGREGATION', member_guid: 'MBR-1', job_guid: 'JOB-1' };
 * ```
 */
export type AggregationWebhook = t.TypeOf<typeof AggregationWebhook>;

/**
 * `CONNECTION_STATUS`: the member reached a state a person must act on (CHALLENGED, DENIED, EXPIRED, IMPAIRED,
 * IMPEDED, LOCKED, PREVENTED, REJECTED; MX never sends CONNECTED or PENDING this way). `connection_status` is an
 * open enum: a value MX adds later still decodes.
 *
 * @example
 * ```ts
 * import { ConnectionStatusWebhook } from './webhooks.js';
 * ConnectionStatusWebhook.is({ type: 'CONNECTION_STATUS', member_guid: 'MBR-1', connection_status: 'CHALLENGED' }); // true
 * ```
 */
export const ConnectionStatusWebhook = t.intersection(
  [
    t.type({ type: t.literal('CONNECTION_STATUS'), member_guid: t.string, connection_status: ConnectionStatus }),
    t.partial({
      action: nullable(t.string),
      connection_status_id: nullable(t.number),
      connection_status_message: nullable(t.string),
      user_guid: nullable(t.string),
    }),
  ],
  'ConnectionStatusWebhook',
);
/**
 * A decoded {@link ConnectionStatusWebhook}.
 *
 * @example
 * ```ts
 * import type { ConnectionStatusWebhook } from 'mx-statements-rx/node';
 * const w: ConnectionStatusWebhook = { type: 'CONNECTION_STATUS', member_guid: 'MBR-1', connection_status: 'LOCKED' };
 * ```
 */
export type ConnectionStatusWebhook = t.TypeOf<typeof ConnectionStatusWebhook>;

/**
 * The webhook types this library reads.
 *
 * @example
 * ```ts
 * import { KNOWN_WEBHOOK_TYPES } from './webhooks.js';
 * KNOWN_WEBHOOK_TYPES.includes('STATEMENT'); // true
 * ```
 */
export const KNOWN_WEBHOOK_TYPES = ['STATEMENT', 'AGGREGATION', 'CONNECTION_STATUS'] as const;

/**
 * One webhook MX delivered, typed by `kind`: the three known types with their decoded payload, or `unknown` for
 * any other `type` (its payload kept as sent, so nothing is lost and nothing crashes). `memberGuid` and
 * `userGuid` are lifted out for convenience. The payload keeps fields this library does not know.
 *
 * @example
 * ```ts
 * import type { WebhookEvent } from 'mx-statements-rx/node';
 * const line = (e: WebhookEvent): string => {
 *   switch (e.kind) {
 *     case 'statement': return `${e.memberGuid}: ${e.payload.statements_created_count ?? 0} new statements`;
 *     case 'connection-status': return `${e.memberGuid} is ${e.payload.connection_status}`;
 *     case 'aggregation': return `${e.memberGuid}: job ${e.payload.job_guid ?? '?'} done`;
 *     default: return `unknown webhook ${e.type}`;
 *   }
 * };
 * ```
 */
export type WebhookEvent =
  | { readonly kind: 'statement'; readonly memberGuid: string; readonly userGuid: string | null; readonly payload: StatementWebhook }
  | { readonly kind: 'aggregation'; readonly memberGuid: string; readonly userGuid: string | null; readonly payload: AggregationWebhook }
  | {
    readonly kind: 'connection-status';
    readonly memberGuid: string;
    readonly userGuid: string | null;
    readonly payload: ConnectionStatusWebhook;
  }
  | {
    readonly kind: 'unknown';
    /** MX's `type`, as sent. */
    readonly type: string;
    readonly memberGuid: string | null;
    readonly userGuid: string | null;
    readonly payload: Readonly<Record<string, unknown>>;
  };

const BODY = t.type({ type: t.string }, 'MxWebhook');

const stringOrNull = (u: unknown): string | null => (typeof u === 'string' && u !== '' ? u : null);

/**
 * Decodes a parsed webhook body. A JSON object with a string `type` is accepted: a known type must match its
 * codec (a `STATEMENT` without `member_guid` is a `DecodeError`), any other type becomes an `unknown` event.
 * Never throws.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * import { decodeWebhook } from 'mx-statements-rx/node';
 * const r = decodeWebhook({ type: 'STATEMENT', member_guid: 'MBR-1', new_field: true }, { method: 'POST', path: '/webhooks' });
 * if (E.isRight(r)) r.right.kind; // 'statement'
 * ```
 */
export const decodeWebhook = (body: unknown, ref: RequestRef): E.Either<DecodeError, WebhookEvent> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return E.left({ _tag: 'DecodeError', method: ref.method, path: ref.path, message: `${ref.method} ${ref.path}: a webhook must be a JSON object`, errors: [] });
  }
  const head = decodeBody(BODY, body, ref);
  if (E.isLeft(head)) return head;
  const record = body as Readonly<Record<string, unknown>>;
  switch (head.right.type) {
    case 'STATEMENT':
      return E.map((payload: StatementWebhook): WebhookEvent => ({ kind: 'statement', memberGuid: payload.member_guid, userGuid: payload.user_guid ?? null, payload }))(
        decodeBody(StatementWebhook, body, ref),
      );
    case 'AGGREGATION':
      return E.map((payload: AggregationWebhook): WebhookEvent => ({ kind: 'aggregation', memberGuid: payload.member_guid, userGuid: payload.user_guid ?? null, payload }))(
        decodeBody(AggregationWebhook, body, ref),
      );
    case 'CONNECTION_STATUS':
      return E.map((payload: ConnectionStatusWebhook): WebhookEvent => ({
        kind: 'connection-status', memberGuid: payload.member_guid, userGuid: payload.user_guid ?? null, payload,
      }))(decodeBody(ConnectionStatusWebhook, body, ref));
    default:
      return E.right({
        kind: 'unknown',
        type: head.right.type,
        memberGuid: stringOrNull(record.member_guid),
        userGuid: stringOrNull(record.user_guid),
        payload: record,
      });
  }
};

/**
 * Parses and decodes a webhook body given as text (see {@link decodeWebhook}); malformed JSON is a `DecodeError`.
 *
 * @example
 * ```ts
 * import { parseWebhook } from 'mx-statements-rx/node';
 * parseWebhook('{"type":"AGGREGATION","member_guid":"MBR-1"}', { method: 'POST', path: '/webhooks' });
 * ```
 */
export const parseWebhook = (text: string, ref: RequestRef): E.Either<DecodeError, WebhookEvent> => {
  const json = parseJsonBody(text, ref);
  return E.isLeft(json) ? json : decodeWebhook(json.right, ref);
};

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

/**
 * The identity of one delivery, for de-duplicating MX's redeliveries: the payload as canonical JSON (keys
 * sorted at every level), so the same webhook sent again with its fields in another order has the same key.
 * MX sends no delivery id; two genuine events with identical payloads (a member CHALLENGED twice: a
 * CONNECTION_STATUS payload has no time) share a key too, so a key alone must not drop such a payload — the
 * receiver drops one only when its first delivery's answer did not go out (a lost wakeup would leave the poll to
 * its slow failsafe).
 *
 * @example
 * ```ts
 * import { webhookDeliveryKey } from 'mx-statements-rx/node';
 * webhookDeliveryKey({ b: 1, a: 2 }) === webhookDeliveryKey({ a: 2, b: 1 }); // true
 * ```
 */
export const webhookDeliveryKey = (payload: unknown): string => canonical(payload);

/**
 * A wakeup for the workflow (`WorkflowOptions.wakeups`): the member the webhook is about, or `undefined` when it
 * names none. Every type wakes its member (a statements job done, an aggregation done, a status a person must act
 * on, or a type this library does not know): a wakeup only cuts a poll's wait short; the state is still read.
 *
 * @example
 * ```ts
 * import { webhookWakeup, type WebhookEvent } from 'mx-statements-rx/node';
 * const e: WebhookEvent = { kind: 'statement', memberGuid: 'MBR-1', userGuid: null, payload: { type: 'STATEMENT', member_guid: 'MBR-1' } };
 * webhookWakeup(e); // { memberGuid: 'MBR-1' }
 * ```
 */
export const webhookWakeup = (event: WebhookEvent): { readonly memberGuid: string } | undefined =>
  event.memberGuid === null ? undefined : { memberGuid: event.memberGuid };
