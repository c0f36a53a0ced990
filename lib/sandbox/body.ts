/**
 * Reading a JSON request body: bounded (413 beyond the limit, after draining a little), typed (415 for a
 * non-JSON `Content-Type`), parsed (400 for invalid JSON).
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
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
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
      if (tooLarge) return reject(errors.payloadTooLarge(`request body larger than ${maxBytes} bytes`));
      if (size === 0) return resolve(undefined);
      if (!isJsonType(req.headers['content-type'])) {
        return reject(errors.unsupportedMediaType('the request body must be JSON (Content-Type: application/json)'));
      }
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(errors.badRequest('the request body is not valid JSON'));
      }
    });
  });
}

/** The largest form body the OAuth window takes. */
export const MAX_FORM_BYTES = 8 * 1024;

/**
 * Reads a small HTML form body (`application/x-www-form-urlencoded`, at most {@link MAX_FORM_BYTES}): 413 beyond,
 * 415 for another type.
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
export function readFormBody(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        reject(errors.payloadTooLarge(`form body larger than ${MAX_FORM_BYTES} bytes`));
        req.socket.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(errors.badRequest('request aborted'));
    });
    req.on('end', () => {
      const type = req.headers['content-type'] ?? '';
      if (size > 0 && !/^\s*application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
        return reject(errors.unsupportedMediaType('the form body must be application/x-www-form-urlencoded'));
      }
      resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    });
  });
}
