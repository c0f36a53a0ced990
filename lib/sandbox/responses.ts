/**
 * Writing answers: MX's JSON envelopes and error bodies, empty 204s, and streamed PDFs (whole or truncated).
 * Every writer is a no-op on a response that is already sent or whose socket is gone.
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { JSON_TYPE, PDF_TYPE } from './accept.js';
import type { HttpError } from './http-error.js';
import type { StatementSource } from './statements/index.js';

const writable = (res: ServerResponse): boolean => !res.headersSent && !res.destroyed && !res.writableEnded;

/**
 * Sends a JSON body with a `Content-Length` and the version's media type (`contentType`; default MX's vendor
 * type of v20111101).
 *
 * @example
 * ```ts
 * import type { ServerResponse } from 'node:http';
 * import { sendJson } from './responses.js';
 * import { userJson } from './serialize.js';
 * import type { UserRecord } from './state.js';
 * declare const res: ServerResponse;
 * declare const user: UserRecord;
 *
 * sendJson(res, 200, { user: userJson(user, 'v20250224') }, {}, 'application/json');
 * ```
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
  contentType: string = JSON_TYPE,
): void {
  if (!writable(res)) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Sends MX's error body: `{"error":{"status":"404","message":"…"}}`.
 *
 * @example
 * ```ts
 * import type { ServerResponse } from 'node:http';
 * import { errors } from './http-error.js';
 * import { sendError } from './responses.js';
 * declare const res: ServerResponse;
 *
 * sendError(res, errors.notFound('user USR-… not found'));
 * ```
 */
export function sendError(res: ServerResponse, error: HttpError, contentType: string = JSON_TYPE): void {
  sendJson(res, error.status, { error: { status: String(error.status), message: error.message } }, { ...error.headers }, contentType);
}

/**
 * Sends a status with no body (204).
 *
 * @example
 * ```ts
 * import type { ServerResponse } from 'node:http';
 * import { sendEmpty } from './responses.js';
 * declare const res: ServerResponse;
 *
 * sendEmpty(res, 204);
 * ```
 */
export function sendEmpty(res: ServerResponse, status: number): void {
  if (!writable(res)) return;
  res.writeHead(status);
  res.end();
}

/**
 * Headers of every HTML page (the OAuth window): never cached, never framed, no referrer (the link's one-time
 * token must not leak), scripts and styles only inline.
 */
export const HTML_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
};

/**
 * Sends a small HTML page (the OAuth window) with {@link HTML_HEADERS}.
 *
 * @example
 * ```ts
 * import type { ServerResponse } from 'node:http';
 * import { sendHtml } from './responses.js';
 * declare const res: ServerResponse;
 *
 * sendHtml(res, 200, '<p>Authorized</p>');
 * ```
 */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  if (!writable(res)) return;
  res.writeHead(status, { ...HTML_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}

/**
 * Sends a 303 See Other to `location` (the OAuth window's `client_redirect_url`), never cached.
 *
 * @example
 * ```ts
 * import type { ServerResponse } from 'node:http';
 * import { sendRedirect } from './responses.js';
 * declare const res: ServerResponse;
 *
 * sendRedirect(res, 'https://app.example/done?status=success');
 * ```
 */
export function sendRedirect(res: ServerResponse, location: string): void {
  if (!writable(res)) return;
  res.writeHead(303, { ...HTML_HEADERS, Location: location, 'Content-Length': 0 });
  res.end();
}

/**
 * Streams a statement PDF with its exact `Content-Length`. With `truncate`, only the first half of the bytes is
 * sent and then the connection is destroyed (the client sees a body shorter than promised).
 *
 * @example
 * ```ts
 * import type { ServerResponse } from 'node:http';
 * import { sendPdf } from './responses.js';
 * import type { StatementSource } from './statements/index.js';
 * declare const res: ServerResponse;
 * declare const statement: StatementSource;
 *
 * await sendPdf(res, statement, false);
 * ```
 */
export async function sendPdf(res: ServerResponse, source: StatementSource, truncate: boolean): Promise<void> {
  if (!writable(res)) return;
  res.writeHead(200, {
    'Content-Type': PDF_TYPE,
    'Content-Length': source.byteLength,
    'Content-Disposition': `attachment; filename="${source.guid}.pdf"`,
  });
  const stream = source.open();
  if (!truncate) {
    await pipeline(stream, res).catch(() => undefined);
    return;
  }
  const limit = Math.floor(source.byteLength / 2);
  let sent = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const part = buf.subarray(0, Math.max(0, limit - sent));
      if (part.length > 0) await new Promise<void>((resolve) => res.write(part, () => resolve()));
      sent += part.length;
      if (sent >= limit || res.destroyed) break;
    }
  } finally {
    res.socket?.destroy();
  }
}
