/**
 * The exit codes of `mx-statements`, as one table (the docs are generated from the same rows) and the mapping
 * from an {@link MxError} to its code.
 *
 * @module
 */
import type { MxError } from '../core/errors.js';
import type { FileSystemError } from '../node/fs-error.js';

/** Every exit code the CLI uses, by name. */
export const EXIT = {
  /** The command finished: every statement saved (or already there and verified). */
  ok: 0,
  /** A bug or an unexpected exception (please report it), or `sandbox` could not start (e.g. `EADDRINUSE`). */
  internal: 1,
  /** Bad flags or arguments, missing API keys, or missing input with no terminal to ask on. */
  usage: 2,
  /**
   * The institution refused the connection: DENIED, REJECTED (wrong MFA answer), LOCKED, EXPIRED, FAILED…; or an
   * OAuth sign-in was denied or cancelled in its window, or not finished within `--oauth-timeout`.
   */
  connection: 3,
  /** MFA was required but could not be answered: no answer given, answers do not fit, or the MFA deadline passed. */
  mfa: 4,
  /**
   * The network or MX failed: refused/reset connections, request timeouts, 5xx, 429, polling never ended, a PDF
   * over its size, time or throughput bounds (`DownloadLimitExceeded`).
   */
  network: 5,
  /** A downloaded PDF failed its checks (not a PDF, truncated, SHA-256 mismatch), or MX sent no `content_hash` (without `--allow-unverified`). */
  integrity: 6,
  /**
   * MX refused a request: bad API key (401/403), unknown user/member (404), no such institution, bad request, an
   * answer we could not decode, or a redirect (`RedirectRefused`: keys never go to another origin).
   */
  api: 7,
  /** A file could not be written or read (the `--out` folder, the `--members` file). */
  fileSystem: 8,
  /** `sync` finished, but some members failed or need their user, or a user's members could not be listed (the summary says which). */
  partial: 9,
  /** `--timeout` elapsed before the command finished. */
  timeout: 124,
  /** Interrupted (Ctrl-C / SIGINT); nothing half-written was left behind. */
  interrupted: 130,
} as const;

/** The name of an exit code in {@link EXIT}. */
export type ExitName = keyof typeof EXIT;

/** One exit code as a number. */
export type ExitCode = (typeof EXIT)[ExitName];

/**
 * The exit codes with their meaning, in order: the table printed by `--help` and in docs/cli.md.
 *
 * @example
 * ```ts
 * import { EXIT_TABLE } from './exit-codes.js';
 *
 * EXIT_TABLE.find((r) => r.code === 3)?.meaning; // 'connection failed: …'
 * ```
 */
export const EXIT_TABLE: ReadonlyArray<{ readonly code: ExitCode; readonly name: ExitName; readonly meaning: string }> = [
  { code: EXIT.ok, name: 'ok', meaning: 'success' },
  { code: EXIT.internal, name: 'internal', meaning: 'internal error (a bug), or the sandbox could not start (e.g. EADDRINUSE)' },
  { code: EXIT.usage, name: 'usage', meaning: 'usage: bad flag or argument, missing API keys, or missing input with no terminal' },
  { code: EXIT.connection, name: 'connection', meaning: 'connection failed: DENIED, REJECTED (wrong MFA answer), LOCKED, EXPIRED, FAILED…; OAuth sign-in denied, cancelled, or not finished within --oauth-timeout' },
  { code: EXIT.mfa, name: 'mfa', meaning: 'MFA required but not answered (no --mfa-answer without a terminal, deadline passed)' },
  { code: EXIT.network, name: 'network', meaning: 'network or server: connection refused/reset, request timeout, 5xx, 429, polling deadline; a PDF over its size/time/throughput bounds' },
  { code: EXIT.integrity, name: 'integrity', meaning: 'integrity: a PDF was not a PDF, was truncated, its SHA-256 differed, or it had no content_hash (see --allow-unverified)' },
  { code: EXIT.api, name: 'api', meaning: 'request refused by MX: 401/403 (keys), 404, 400/409/422, no such institution, undecodable answer, a redirect (refused)' },
  { code: EXIT.fileSystem, name: 'fileSystem', meaning: 'file system: the --out folder or --members file could not be written or read' },
  { code: EXIT.partial, name: 'partial', meaning: 'sync: some members failed or need their user, or a user\'s members could not be listed (see the summary)' },
  { code: EXIT.timeout, name: 'timeout', meaning: '--timeout elapsed' },
  { code: EXIT.interrupted, name: 'interrupted', meaning: 'interrupted (SIGINT)' },
];

/**
 * The exit code for a failure.
 *
 * @example
 * ```ts
 * import { exitCodeFor } from './exit-codes.js';
 *
 * exitCodeFor({ _tag: 'ConnectionFailed', method: 'GET', path: '/x', message: 'DENIED', memberGuid: 'MBR-1', connectionStatus: 'DENIED' }); // 3
 * ```
 */
export const exitCodeFor = (e: MxError | FileSystemError): ExitCode => {
  switch (e._tag) {
    case 'ConnectionFailed':
      return EXIT.connection;
    case 'MfaRequired':
    case 'MfaTimeout':
    case 'MfaAnswerMismatch':
      return EXIT.mfa;
    case 'PollTimeout':
      // Still PENDING: nobody finished the OAuth sign-in in time; the person must act, as for a denied one.
      return e.lastStatus === 'PENDING' ? EXIT.connection : EXIT.network;
    case 'NetworkError':
    case 'Timeout':
    case 'ServerError':
    case 'RateLimited':
    case 'DownloadLimitExceeded':
      return EXIT.network;
    case 'IntegrityError':
      return EXIT.integrity;
    case 'FileSystemError':
    case 'SinkFull':
      return EXIT.fileSystem;
    case 'BadRequest':
    case 'Unauthorized':
    case 'Forbidden':
    case 'NotFound':
    case 'MethodNotAllowed':
    case 'NotAcceptable':
    case 'Conflict':
    case 'Unprocessable':
    case 'UnexpectedStatus':
    case 'DecodeError':
    case 'NoInstitution':
    case 'RedirectRefused':
      return EXIT.api;
    case 'MissingCredentials':
      return EXIT.usage;
  }
};
