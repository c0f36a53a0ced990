/** fast-check arbitraries for hostile input: any JS value, malformed JSON text, odd bytes, odd headers. */
import fc from 'fast-check';

/** Any value, including the odd ones JSON never produces (null prototypes, sparse arrays, boxed values…). */
export const anyValue = (): fc.Arbitrary<unknown> =>
  fc.anything({
    maxDepth: 4,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withNullPrototype: true,
    withObjectString: true,
    withSet: true,
    withSparseArray: true,
    withTypedArray: true,
    withUnicodeString: true,
  });

/** Text that is JSON, nearly JSON (cut short, a byte changed), or anything at all. */
export const bodyText = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.json({ maxDepth: 4 }),
    fc.json({ maxDepth: 4 }).chain((j) => fc.nat(j.length).map((n) => j.slice(0, n))),
    fc.tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.string({ minLength: 1, maxLength: 1 }))
      .map(([j, at, ch]) => j.slice(0, at % (j.length + 1)) + ch + j.slice((at % (j.length + 1)) + 1)),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('', ' ', 'null', '[]', '{}', '<html><body>502 Bad Gateway</body></html>', '\uFEFF{}', '{"a":1}{"b":2}', 'NaN', '1e999'),
  );

/** Raw bytes, including invalid UTF-8. */
export const bodyBytes = (): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    bodyText().map((s) => new TextEncoder().encode(s)),
    fc.uint8Array({ maxLength: 300 }),
  );

/** A `Content-Length` header value: right, wrong, or not a number at all. */
export const contentLength = (actual: number): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    fc.constant(undefined),
    fc.constant(String(actual)),
    fc.nat(actual + 100).map(String),
    fc.constantFrom('-1', 'abc', '1e3', ' 12 ', '99999999999999999999', ''),
  );

/** A `Retry-After` value: seconds, an HTTP date, hours, garbage. */
export const retryAfter = (): fc.Arbitrary<string | undefined> =>
  fc.oneof(
    fc.constant(undefined),
    fc.nat(5).map(String),
    fc.constantFrom('7200', '86400', '-5', 'soon', 'Wed, 21 Oct 2015 07:28:00 GMT', '1.5', '99999999999999999999999'),
  );
