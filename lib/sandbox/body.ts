/**
 * Reading a request body, JSON or an HTML form: bounded (413 beyond the limit, delivered after draining the
 * rest), typed (415 for another `Content-Type`), parsed (400 for invalid JSON).
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { errors } from './http-error.js';

/** Beyond this many bytes an oversized body is no longer drained: the connection is dropped. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

const isJsonType = (ct: string | undefined): boolean =>
  ct !== undefined && /^\s*application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(ct);

/**
 * Reads a whole body, bounded: past `maxBytes` it is drained (up to 64 MiB, then the connection is dropped) and
 * rejected with 413 once it ended, so the client reads the answer rather than a reset; an aborted body is 400.
 */
const readBounded = (req: IncomingMessage, maxBytes: number, what: string): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        if (size > MAX_DRAIN_BYTES) req.socket.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(errors.badRequest('request aborted'));
    });
    req.on('end', () => {
      if (tooLarge) reject(errors.payloadTooLarge(`${what} larger than ${maxBytes} bytes`));
      else resolve(Buffer.concat(chunks, size));
    });
  });

/**
 * Reads the body and parses it as JSON; `undefined` when the body is empty.
 *
 * @example
 * ```ts
 * import type { IncomingMessage } from 'node:http';
 * import { readJsonBody } from './body.js';
 * declare const req: IncomingMessage;
 *
 * const body = await readJsonBody(req, 1024 * 1024); // unknown | undefined
 * ```
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const body = await readBounded(req, maxBytes, 'request body');
  if (body.length === 0) return undefined;
  if (!isJsonType(req.headers['content-type'])) {
    throw errors.unsupportedMediaType('the request body must be JSON (Content-Type: application/json)');
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw errors.badRequest('the request body is not valid JSON');
  }
}

/** The largest form body the OAuth window takes. */
export const MAX_FORM_BYTES = 8 * 1024;

/**
 * Reads a small HTML form body (`application/x-www-form-urlencoded`, at most {@link MAX_FORM_BYTES}): 413 beyond
 * (the page is delivered), 415 for another type.
 *
 * @example
 * ```ts
 * import type { IncomingMessage } from 'node:http';
 * import { readFormBody } from './body.js';
 * declare const req: IncomingMessage;
 *
 * (await readFormBody(req)).get('decision'); // 'authorize'
 * ```
 */
export async function readFormBody(req: IncomingMessage): Promise<URLSearchParams> {
  const body = await readBounded(req, MAX_FORM_BYTES, 'form body');
  const type = req.headers['content-type'] ?? '';
  if (body.length > 0 && !/^\s*application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
    throw errors.unsupportedMediaType('the form body must be application/x-www-form-urlencoded');
  }
  return new URLSearchParams(body.toString('utf8'));
}
