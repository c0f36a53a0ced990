/**
 * A server that echoes the request body into its error answer, in whatever encoding: as sent, JSON-quoted again,
 * URL- or form-encoded, HTML-escaped, Base64 or Base64url at any alignment, with any text around it. Whatever
 * the secret (quotes, backslashes, tabs, newlines, spaces, `+`, `%`, non-ASCII), the error the transport returns
 * must not reveal it: the spec decodes the error text every way it knows (its own decoders, not the library's)
 * and looks for the secret in each result.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';

import { createMxClient } from '../../lib/api/client.js';
import { UserResponseBody } from '../../lib/codecs/index.js';
import type { FetchInit, FetchLike, FetchResponseLike } from '../../lib/core/config.js';
import { describeError, redactSecrets } from '../../lib/core/errors.js';
import { collect } from '../helpers/bounded.js';

const API_KEY = 'echo-key-5Yq8Lw';

/** How a server might echo the body back. */
const ENCODERS: Readonly<Record<string, (text: string) => string>> = {
  raw: (t) => t,
  'json-quoted': (t) => JSON.stringify(t),
  'json-ascii': (t) => JSON.stringify(t).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  'json-slash': (t) => JSON.stringify(t).split('/').join('\\/'),
  url: (t) => encodeURIComponent(t),
  'url-lower': (t) => encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
  form: (t) => new URLSearchParams([['body', t]]).toString(),
  html: (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
  base64: (t) => Buffer.from(t).toString('base64'),
  base64url: (t) => Buffer.from(t).toString('base64url'),
};

// -------------------------------------------------------------------------------------------------------------
// the oracle: every decoding of the error text a reader could try
// -------------------------------------------------------------------------------------------------------------

const jsonUnescape = (t: string): string =>
  t.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\(["\\/bfnrt])/g, (_, c: string) => ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' } as Record<string, string>)[c] ?? c);

const urlDecode = (t: string, plus: boolean): string => {
  const bytes: number[] = [];
  const src = plus ? t.replace(/\+/g, ' ') : t;
  for (let i = 0; i < src.length; i++) {
    const m = /^%([0-9a-fA-F]{2})/.exec(src.slice(i, i + 3));
    if (m) {
      bytes.push(parseInt(m[1]!, 16));
      i += 2;
    } else bytes.push(...Buffer.from(src[i]!));
  }
  return Buffer.from(bytes).toString('utf8');
};

const htmlUnescape = (t: string): string =>
  t.replace(/&quot;|&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const base64Decodings = (t: string): string[] => {
  const out: string[] = [];
  for (const run of t.match(/[A-Za-z0-9+/_-]{6,}/g) ?? []) {
    for (let offset = 0; offset < 4; offset++) out.push(Buffer.from(run.slice(offset), run.includes('-') || run.includes('_') ? 'base64url' : 'base64').toString('utf8'));
  }
  return out;
};

/** Every text a reader could get from `text` by undoing up to two layers of the known encodings. */
const decodings = (text: string): string[] => {
  const layer = (t: string): string[] => [t, jsonUnescape(t), urlDecode(t, false), urlDecode(t, true), htmlUnescape(t), ...base64Decodings(t)];
  const once = layer(text);
  return [...new Set(once.flatMap((t) => [t, jsonUnescape(t), urlDecode(t, true)]))];
};

/** Where the secret shows in `text` once decoded, if anywhere. */
const revealed = (text: string, secret: string): string | undefined =>
  decodings(text).find((d) => d.includes(secret) || d.includes(JSON.stringify(secret).slice(1, -1)));

// -------------------------------------------------------------------------------------------------------------

const echoingFetch = (encode: (body: string) => string, prefix: string, suffix: string): FetchLike =>
  (_url: string, init: FetchInit): Promise<FetchResponseLike> => {
    const text = `${prefix}${encode(`you sent: ${init.body ?? ''}`)}${suffix}`;
    const bytes = new TextEncoder().encode(text);
    return Promise.resolve({
      status: 400,
      headers: { get: (n: string) => (n.toLowerCase() === 'content-type' ? 'text/plain' : null) },
      body: new ReadableStream<Uint8Array>({ start: (c) => { c.enqueue(bytes); c.close(); } }),
      text: () => Promise.resolve(text),
    });
  };

/** Secrets with the characters that broke the old scrubbing: quotes, backslashes, tabs, newlines, and more. */
const secret = (): fc.Arbitrary<string> =>
  fc.tuple(
    fc.string({ unit: fc.constantFrom('"', '\\', '\t', '\n', ' ', '+', '%', '&', '<', '/', '=', 'é', '☃', '😀', "'", '\r'), minLength: 1, maxLength: 6 }),
    fc.string({ unit: fc.constantFrom(...'abcdefghijkXYZ0123456789-_'.split('')), minLength: 6, maxLength: 16 }),
    fc.nat(3),
  ).map(([odd, plain, at]) => plain.slice(0, at) + odd + plain.slice(at));

describe('reliability: secrets echoed back in any encoding (property)', () => {
  it('an error body never reveals a credential, whatever the server does to the echoed request', async () => {
    await fc.assert(
      fc.asyncProperty(
        secret(),
        fc.constantFrom(...Object.keys(ENCODERS)),
        fc.string({ maxLength: 5 }),
        fc.string({ maxLength: 20 }),
        async (password, encoding, prefix, suffix) => {
          const client = createMxClient({
            baseUrl: 'https://mx.echo.test', clientId: 'echo', apiKey: API_KEY, retry: false,
            fetch: echoingFetch(ENCODERS[encoding]!, prefix, suffix),
          });
          const out = await collect(client.transport.json$({
            method: 'POST',
            path: '/users/USR-1/members',
            body: { member: { institution_code: 'mxbank', credentials: [{ guid: 'CRD-1', value: password }] } },
            secrets: [password],
          }, UserResponseBody), 5_000, 'the echoed call');
          const [r] = out;
          expect(r && E.isLeft(r)).to.equal(true);
          if (!r || E.isRight(r)) return;
          const e = r.left;
          expect(e._tag).to.equal('BadRequest');
          const body = (e as { body?: string }).body ?? '';
          expect(body, 'the body is kept, the secret redacted in it (not dropped)').to.include('[redacted]');
          for (const [where, text] of [['body', body], ['message', e.message], ['describeError', describeError(e)], ['JSON', JSON.stringify(e)]] as const) {
            const hit = revealed(text, password);
            expect(hit, `${encoding}: the ${where} reveals the password ${JSON.stringify(password)}: ${JSON.stringify(hit)}`).to.equal(undefined);
            expect(text).to.not.include(API_KEY);
          }
        },
      ),
      { numRuns: 400, seed: 0x5ec2e7 },
    );
  });

  it('redactSecrets replaces the JSON-escaped form of a password with ", \\, a tab and a newline (the reported leak)', () => {
    const password = 'pa"ss\\word\twith\nnewline';
    const echoed = `{"error":{"message":"bad credentials","request":${JSON.stringify({ value: password })}}}`;
    expect(echoed).to.include('pa\\"ss\\\\word\\twith\\nnewline');
    const scrubbed = redactSecrets(echoed, [password]);
    expect(scrubbed).to.equal('{"error":{"message":"bad credentials","request":{"value":"[redacted]"}}}');
  });
});
