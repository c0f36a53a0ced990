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

/**
 * Lets go of a body that will not be read (a refused redirect, a 1xx): cancels a WHATWG stream, or destroys a
 * Node readable after giving it an error listener, so the abort that follows cannot surface as an unhandled
 * `'error'` (node-fetch emits one on the body when its request is aborted). Never throws.
 */
export const discardBody = (body: unknown): void => {
  try {
    if (body === null || body === undefined) return;
    const web = body as { getReader?: unknown; cancel?: () => Promise<void>; locked?: boolean };
    if (typeof web.getReader === 'function' && typeof web.cancel === 'function') {
      if (web.locked !== true) web.cancel().catch(() => undefined);
      return;
    }
    const node = body as { on?: (event: string, listener: () => void) => void; destroy?: () => void };
    if (typeof node.on === 'function') node.on('error', () => undefined);
    if (typeof node.destroy === 'function') node.destroy();
  } catch {
    // nothing more to release
  }
};
