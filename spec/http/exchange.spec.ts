/**
 * The failure of a non-2xx answer: its body is read only up to 4 KiB, scrubbed of secrets and cut to 500
 * characters. A secret that straddles the 4 KiB cut must not survive as a prefix.
 */
import { expect } from 'chai';
import { WITHHELD_SERVER_TEXT } from '../../lib/core/errors.js';
import { statusFailure, type WireRequest } from '../../lib/http/exchange.js';

const SECRET = `pw-${'correct-horse-battery-staple-'.repeat(6)}end`; // 186 characters, no repeat of its own start inside
const req: WireRequest = { method: 'POST', path: '/users/USR-1/members', url: 'https://mx.example/users/USR-1/members', headers: {}, secrets: [SECRET] };

/** A body of `chunkSize`-byte chunks, as a WHATWG stream. */
const streamOf = (text: string, chunkSize: number): ReadableStream<Uint8Array> => {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull: (c) => {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + chunkSize));
      at += chunkSize;
    },
  });
};

const answer = (body: ReadableStream<Uint8Array>) => ({
  status: 400,
  headers: { get: () => null },
  body,
  text: async () => '',
});

/** An echo of the secret many times, laid out so the 4 KiB cut falls `into` characters inside one echo. */
const echoBody = (into: number): string => {
  const head = '{"errors":[';
  const item = `${JSON.stringify(SECRET)},`;
  const n = Math.floor((4096 - head.length - into) / item.length);
  const pad = 'x'.repeat(4096 - head.length - into - n * item.length);
  return `${head}${pad}${item.repeat(n + 3)}"end"]}`;
};

describe('http/exchange: statusFailure', () => {
  for (const chunkSize of [4096 * 4, 1000, 7]) {
    for (const into of [1, 5, 60, 150]) {
      it(`no prefix of an echoed secret survives the 4 KiB cut (${into} characters in, ${chunkSize}-byte chunks)`, async () => {
        const failure = await statusFailure(answer(streamOf(echoBody(into), chunkSize)), req, () => 0);
        const body = failure.error._tag === 'BadRequest' ? failure.error.body ?? '' : '';
        expect(body).to.contain('[redacted]');
        expect(body.length).to.be.at.most(500);
        // the redacted echoes shrank the text below 500 characters: what the cut left of the last echo would show
        for (let k = 4; k <= SECRET.length; k++) expect(body, `prefix of ${k}`).not.to.contain(SECRET.slice(0, k));
      });
    }
  }

  it('reads no more than 4 KiB of a body however it is chunked, and keeps a body that was not cut whole', async () => {
    // 4 KiB of echoes (which redaction shrinks well below 500 characters), then text that must not be read
    const head = `${JSON.stringify(SECRET)},`.repeat(Math.ceil(4096 / (SECRET.length + 3)));
    for (const chunkSize of [64 * 1024, 1000]) {
      const big = await statusFailure(answer(streamOf(`${head}BEYOND-THE-LIMIT`, chunkSize)), req, () => 0);
      expect(big.error._tag === 'BadRequest' && big.error.body, `${chunkSize}-byte chunks`).not.to.contain('BEYOND');
    }
    const small = await statusFailure(answer(streamOf('{"message":"no such institution: pw-c"}', 7)), req, () => 0);
    expect(small.error._tag === 'BadRequest' && small.error.body).to.equal('{"message":"no such institution: pw-c"}');
  });

  it('withholds a body that echoes a secret of 1 or 2 characters in any form but Base64; keeps one that does not', async () => {
    const pinReq: WireRequest = { ...req, secrets: [SECRET, '4"'] };
    for (const echo of ['{"credentials":[{"value":"4\\""}]}', 'PIN=4%22 refused', 'you sent 4" as your PIN', 'PIN 4&quot;', 'twice: 4\\\\\\"']) {
      const failure = await statusFailure(answer(streamOf(echo, 7)), pinReq, () => 0);
      const body = failure.error._tag === 'BadRequest' ? failure.error.body : undefined;
      expect(body, echo).to.equal(WITHHELD_SERVER_TEXT);
    }
    // every other encoding of other short secrets: lower-case hex, form '+', HTML, \u-escaped, %21
    for (const [secret, echo] of [['1/', 'a=1%2f'], ['1 ', 'a=1+&b'], ['<1', '&lt;1'], ['é1', '"\\u00e91"'], ['1!', 'x=1%21']] as const) {
      const failure = await statusFailure(answer(streamOf(echo, 7)), { ...req, secrets: [secret] }, () => 0);
      expect(failure.error._tag === 'BadRequest' && failure.error.body, `${secret} as ${echo}`).to.equal(WITHHELD_SERVER_TEXT);
    }
    const kept = await statusFailure(answer(streamOf('{"message":"the PIN is wrong"}', 7)), pinReq, () => 0);
    expect(kept.error._tag === 'BadRequest' && kept.error.body).to.equal('{"message":"the PIN is wrong"}');
  });
});
