/**
 * Reads a fetch response body chunk by chunk, whatever the fetch implementation returned: a WHATWG
 * `ReadableStream` (browsers, Node's fetch) or a Node readable (cross-fetch's node-fetch). Pulls one chunk at
 * a time, so a slow consumer slows the socket instead of filling memory.
 */
export async function* readBody(body: unknown): AsyncGenerator<Uint8Array, void, undefined> {
  if (body === null || body === undefined) return;
  const reader = (body as { getReader?: () => ReadableStreamDefaultReader<Uint8Array> }).getReader;
  if (typeof reader === 'function') {
    const r = reader.call(body);
    try {
      for (;;) {
        const { done, value } = await r.read();
        if (done) return;
        if (value && value.byteLength > 0) yield value;
      }
    } finally {
      r.releaseLock();
    }
  }
  const iterable = body as { [Symbol.asyncIterator]?: () => AsyncIterator<unknown> };
  if (typeof iterable[Symbol.asyncIterator] === 'function') {
    for await (const chunk of iterable as AsyncIterable<unknown>) {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
      if (bytes.byteLength > 0) yield bytes;
    }
    return;
  }
  throw new TypeError('unsupported response body: neither a ReadableStream nor an async iterable');
}

/** Joins chunks into one array. */
export const concatBytes = (chunks: ReadonlyArray<Uint8Array>, total: number): Uint8Array => {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
};
