/** Assertions that an error is a typed, readable value (what every `Left` of the library must be). */
import { expect } from 'chai';
import { isMxError, type MxError, type RequestRef } from '../../../lib/core/errors.js';

const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Checks a property spec may waive because a dedicated test covers them (so one defect fails one test, not
 * every property that happens to meet it): `control` = raw control characters, `object-string` = a
 * `[object Object]` rendering.
 */
export type Waiver = 'control' | 'object-string';

/**
 * One line a person can read: a non-empty string, bounded, no raw control characters (no newline, NUL or ESC,
 * which would let a hostile server forge log lines or drive the terminal), no `[object Object]`.
 */
export const expectReadableText = (text: unknown, max = 1000, waive: ReadonlyArray<Waiver> = []): void => {
  expect(text).to.be.a('string');
  const s = text as string;
  expect(s.trim(), 'empty text').to.not.equal('');
  expect(s.length, `too long: ${s.slice(0, 80)}…`).to.be.at.most(max);
  if (!waive.includes('control')) expect(CONTROL.test(s), `control characters in ${JSON.stringify(s)}`).to.equal(false);
  if (!waive.includes('object-string')) expect(s).to.not.include('[object Object]');
};

/**
 * `e` is an `MxError` (a known `_tag`), plain data (survives JSON), with a readable `message` that names the
 * request (`ref`, when given); a `DecodeError`'s `errors` are readable lines too.
 */
export const expectReadableError = (e: unknown, ref?: RequestRef, waive: ReadonlyArray<Waiver> = []): MxError => {
  expect(isMxError(e), `not an MxError: ${String(e)}`).to.equal(true);
  const err = e as MxError;
  expectReadableText(err.message, 1000, waive);
  expect(JSON.parse(JSON.stringify(err))).to.deep.equal(err);
  if (ref) {
    expect(err.message).to.include(ref.method);
    expect((err as { path?: string }).path).to.equal(ref.path);
  }
  if (err._tag === 'DecodeError') {
    expect(err.errors).to.be.an('array');
    for (const line of err.errors) expectReadableText(line, 400, waive);
  }
  return err;
};
