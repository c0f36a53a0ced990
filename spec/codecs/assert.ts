/**
 * Assertion helpers for the codec specs (`assertSuccess` / `assertFailure` in io-ts's own tests).
 */
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { reportErrors } from '../../lib/codecs/report.js';

/** Decodes `value`, failing the test with readable errors on a Left; returns the decoded value. */
export const decodeOk = <A>(codec: t.Decoder<unknown, A>, value: unknown): A => {
  const r = codec.decode(value);
  if (E.isLeft(r)) expect.fail(`expected ${codec.name} to decode, got:\n  ${reportErrors(r.left).join('\n  ')}`);
  return r.right;
};

/** Decodes `value`, failing the test on a Right; returns the reporter's lines. */
export const decodeErrors = (codec: t.Decoder<unknown, unknown>, value: unknown): string[] => {
  const r = codec.decode(value);
  if (E.isRight(r)) return expect.fail(`expected ${codec.name} to reject ${JSON.stringify(value)}`);
  return reportErrors(r.left);
};
