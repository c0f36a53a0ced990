/**
 * Shared helpers of the sandbox specs: a started sandbox, a tiny HTTP client over global `fetch` that checks
 * every JSON answer (success bodies against the OpenAPI spec via `responseErrors`, error bodies against MX's
 * `{ error: { status, message } }` shape), and workflow shortcuts.
 *
 * @module
 */
import { expect } from 'chai';
import { responseErrors } from '../helpers/openapi.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../lib/sandbox/index.js';
import { Router } from '../../lib/sandbox/router.js';
import { ROUTES } from '../../lib/sandbox/routes/index.js';

const router = new Router(ROUTES);

/** The operationId the sandbox serves a method + path with (for requests built at random). */
const operationOf = (method: string, path: string): string => router.match(method, path.split('?')[0] ?? '').route.operationId;

export const JSON_ACCEPT = 'application/vnd.mx.api.v1+json';
export const PDF_ACCEPT = 'application/vnd.mx.api.v1+pdf';

/** `Basic base64(id:key)`. */
export const basic = (id: string, key: string): string => `Basic ${Buffer.from(`${id}:${key}`).toString('base64')}`;

/** One answer, body read. */
export interface Res {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
}

/** Options of one call. */
export interface CallOptions {
  /** A value to send as JSON. */
  readonly body?: unknown;
  /** A raw body (sent as is). */
  readonly raw?: string | Buffer;
  /** Extra or overriding headers; a `null` value removes the default header. */
  readonly headers?: Readonly<Record<string, string | null>>;
}

const isJson = (res: Response): boolean => /json/.test(res.headers.get('content-type') ?? '');

/** Asserts the MX error body shape `{ error: { status: "404", message } }` for a status. */
export const expectErrorBody = (res: Res, status: number): void => {
  expect(res.status, res.text).to.equal(status);
  expect(res.json, res.text).to.be.an('object');
  expect(res.json.error.status).to.equal(String(status));
  expect(res.json.error.message).to.be.a('string').and.not.equal('');
};

/** A client for one sandbox. */
export class Api {
  constructor(readonly sb: SandboxHandle) {}

  get auth(): string {
    return basic(this.sb.clientId, this.sb.apiKey);
  }

  /**
   * Sends a request; validates the JSON answer against `operationId` (for 2xx) or the error shape.
   * `operationId` `'auto'` takes it from the sandbox's route table (for randomly built requests).
   */
  async call(operationId: string, method: string, path: string, opts: CallOptions = {}): Promise<Res> {
    const headers: Record<string, string> = { Authorization: this.auth, Accept: JSON_ACCEPT };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    for (const [k, v] of Object.entries(opts.headers ?? {})) {
      if (v === null) delete headers[k];
      else headers[k] = v;
    }
    const raw = typeof opts.raw === 'string' || opts.raw === undefined ? opts.raw : new Uint8Array(opts.raw);
    const body = raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    const res = await fetch(`${this.sb.url}${path}`, { method, headers, body });
    const text = await res.text();
    const json = text !== '' && isJson(res) ? JSON.parse(text) : undefined;
    const out: Res = { status: res.status, headers: res.headers, text, json };
    if (res.status >= 200 && res.status < 300 && res.status !== 204 && json !== undefined) {
      const op = operationId === 'auto' ? operationOf(method, path) : operationId;
      expect(responseErrors(op, res.status, json), `${operationId} ${res.status}`).to.deep.equal([]);
    } else if (res.status >= 400) {
      expectErrorBody(out, res.status);
    }
    if (res.status === 204) expect(text).to.equal('');
    return out;
  }

  /** The MX Bank credential guids. */
  async mxBankCredentials(): Promise<{ login: string; password: string }> {
    const res = await this.call('listInstitutionCredentials', 'GET', '/institutions/mxbank/credentials');
    const find = (f: string): string => res.json.credentials.find((c: { field_name: string }) => c.field_name === f).guid;
    return { login: find('LOGIN'), password: find('PASSWORD') };
  }

  /** Creates a user and returns its guid. */
  async createUser(id?: string): Promise<string> {
    const res = await this.call('createUser', 'POST', '/users', { body: { user: { id: id ?? `u-${Math.random()}` } } });
    expect(res.status).to.equal(200);
    return res.json.user.guid as string;
  }

  /** Creates an MX Bank member with this password (skipping aggregation unless told). */
  async createMember(userGuid: string, password: string, extra: Record<string, unknown> = {}): Promise<Res> {
    const c = await this.mxBankCredentials();
    return this.call('createMember', 'POST', `/users/${userGuid}/members`, {
      body: {
        member: {
          institution_code: 'mxbank',
          credentials: [
            { guid: c.login, value: 'mxuser' },
            { guid: c.password, value: password },
          ],
          skip_aggregation: true,
          ...extra,
        },
      },
    });
  }

  /** A user with a skip-aggregation MX Bank member: `{ u, m }` guids. */
  async userWithMember(password = 'password', extra: Record<string, unknown> = {}): Promise<{ u: string; m: string }> {
    const u = await this.createUser();
    const res = await this.createMember(u, password, extra);
    expect(res.status, res.text).to.be.oneOf([200, 202]);
    return { u, m: res.json.member.guid as string };
  }

  status(u: string, m: string): Promise<Res> {
    return this.call('readMemberStatus', 'GET', `/users/${u}/members/${m}/status`);
  }

  /** Polls the status until `done` holds (every 5 ms, up to `timeoutMs`). */
  async waitFor(u: string, m: string, done: (member: Record<string, unknown>) => boolean, timeoutMs = 3000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await this.status(u, m);
      if (done(res.json.member)) return res.json.member;
      if (Date.now() > deadline) throw new Error(`timed out; last status ${JSON.stringify(res.json.member)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Waits until no job runs, and returns the final status. */
  settled(u: string, m: string, timeoutMs?: number): Promise<Record<string, unknown>> {
    return this.waitFor(u, m, (s) => s.is_being_aggregated === false, timeoutMs);
  }

  fetchStatements(u: string, m: string): Promise<Res> {
    return this.call('fetchStatements', 'POST', `/users/${u}/members/${m}/fetch_statements`);
  }

  resume(u: string, m: string, answers: ReadonlyArray<{ guid: string; value: string }>): Promise<Res> {
    return this.call('resumeAggregation', 'PUT', `/users/${u}/members/${m}/resume`, { body: { member: { challenges: answers } } });
  }
}

/** Quick defaults for specs: short jobs. */
export const SPEC_OPTIONS: SandboxOptions = { aggregationMs: 20, seed: 'spec' };

/**
 * Registers mocha hooks that start a sandbox before the suite and close it after; returns a getter.
 */
export function useSandbox(options: SandboxOptions = {}): () => Api {
  let api: Api | undefined;
  before(async () => {
    api = new Api(await startSandbox({ ...SPEC_OPTIONS, ...options }));
  });
  after(async () => {
    await api?.sb.close();
  });
  return () => {
    if (!api) throw new Error('sandbox not started');
    return api;
  };
}

/** Sleeps. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
