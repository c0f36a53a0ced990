/**
 * Shared helpers of the sandbox specs: a started sandbox (on a manual clock by default, so no spec sleeps in real
 * time), a tiny HTTP client over global `fetch` that speaks one API version (`Accept-Version` on every request)
 * and checks every answer (the `X-MX-Sandbox` header; success bodies against that version's OpenAPI spec via
 * `responseErrors` and its media type; error bodies against MX's `{ error: { status, message } }` shape), and
 * workflow shortcuts.
 *
 * @module
 */
import { expect } from 'chai';
import { responseErrors } from '../helpers/openapi.js';
import {
  createManualClock, startSandbox, type ManualClock, type SandboxApiVersion, type SandboxHandle, type SandboxOptions,
} from '../../lib/sandbox/index.js';
import { JSON_MEDIA_TYPES } from '../../lib/sandbox/versions.js';
import { Router } from '../../lib/sandbox/router.js';
import { ROUTES } from '../../lib/sandbox/routes/index.js';

const router = new Router(ROUTES);

/** The operationId the sandbox serves a method + path with (for requests built at random). */
const operationOf = (method: string, path: string): string => router.match(method, path.split('?')[0] ?? '').route.operationId;

export const JSON_ACCEPT = 'application/vnd.mx.api.v1+json';
export const PDF_ACCEPT = 'application/vnd.mx.api.v1+pdf';

/** The headers a v20111101 request carries besides `Authorization` (raw `fetch` calls in specs use these). */
export const V1_HEADERS: Readonly<Record<string, string>> = { Accept: JSON_ACCEPT, 'Accept-Version': 'v20111101' };

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

/** Every answer of the sandbox says it is the sandbox. */
export const expectSandboxHeader = (headers: Headers): void => {
  expect(headers.get('x-mx-sandbox'), 'X-MX-Sandbox header').to.equal('mx-statements-rx');
};

/** A client for one sandbox, in one API version. */
export class Api {
  readonly version: SandboxApiVersion;
  /** The sandbox's manual clock, when it has one (the helpers then move it instead of sleeping). */
  readonly clock: ManualClock | undefined;

  constructor(
    readonly sb: SandboxHandle,
    options: { readonly version?: SandboxApiVersion; readonly clock?: ManualClock } = {},
  ) {
    this.version = options.version ?? 'v20111101';
    this.clock = options.clock;
  }

  /** The same sandbox in another version. */
  in(version: SandboxApiVersion): Api {
    return new Api(this.sb, { version, ...(this.clock ? { clock: this.clock } : {}) });
  }

  get auth(): string {
    return basic(this.sb.clientId, this.sb.apiKey);
  }

  /**
   * Sends a request; validates the JSON answer against `operationId` (for 2xx) or the error shape.
   * `operationId` `'auto'` takes it from the sandbox's route table (for randomly built requests).
   */
  async call(operationId: string, method: string, path: string, opts: CallOptions = {}): Promise<Res> {
    const headers: Record<string, string> = { Authorization: this.auth, Accept: JSON_MEDIA_TYPES[this.version], 'Accept-Version': this.version };
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
    expectSandboxHeader(res.headers);
    if (res.status >= 200 && res.status < 300 && res.status !== 204 && json !== undefined) {
      const op = operationId === 'auto' ? operationOf(method, path) : operationId;
      expect(res.headers.get('content-type'), `${op} media type`).to.equal(JSON_MEDIA_TYPES[this.version]);
      expect(responseErrors(op, res.status, json, this.version), `${operationId} ${res.status} (${this.version})`).to.deep.equal([]);
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

  /**
   * Creates an MX Bank member with this password: in v20111101 skipping aggregation unless told; in v20250224 as
   * the version does (no skip_aggregation: it aggregates at once).
   */
  async createMember(userGuid: string, password: string, extra: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Promise<Res> {
    const c = await this.mxBankCredentials();
    const skip = this.version === 'v20111101' ? { skip_aggregation: true } : {};
    return this.call('createMember', 'POST', `/users/${userGuid}/members`, {
      body: {
        member: {
          institution_code: 'mxbank',
          credentials: [
            { guid: c.login, value: 'mxuser' },
            { guid: c.password, value: password },
          ],
          ...skip,
          ...extra,
        },
        ...top,
      },
    });
  }

  /** A user with an MX Bank member (v20111101: skip-aggregation; v20250224: its first job settled): `{ u, m }` guids. */
  async userWithMember(password = 'password', extra: Record<string, unknown> = {}): Promise<{ u: string; m: string }> {
    const u = await this.createUser();
    const res = await this.createMember(u, password, extra);
    expect(res.status, res.text).to.be.oneOf([200, 202]);
    const m = res.json.member.guid as string;
    if (res.status === 202) await this.settled(u, m);
    return { u, m };
  }

  status(u: string, m: string): Promise<Res> {
    return this.call('readMemberStatus', 'GET', `/users/${u}/members/${m}/status`);
  }

  /**
   * Reads the status until `done` holds. On a manual clock: moves the clock to its next timer between reads
   * (at most 500 steps); on the real clock: every 5 ms, up to `timeoutMs`.
   */
  async waitFor(u: string, m: string, done: (member: Record<string, unknown>) => boolean, timeoutMs = 3000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (let step = 0; ; step++) {
      const res = await this.status(u, m);
      if (done(res.json.member)) return res.json.member;
      const last = JSON.stringify(res.json.member);
      if (this.clock) {
        if (step >= 500 || !this.clock.next()) throw new Error(`no timer left to reach the condition; last status ${last}`);
      } else {
        if (Date.now() > deadline) throw new Error(`timed out; last status ${last}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }

  /** Waits until no job runs, and returns the final status (jobs begin at once in these specs: `jobStartDelayMs: 0`). */
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

/** Quick defaults for specs: short jobs that begin at once (the job start delay has its own spec). */
export const SPEC_OPTIONS: SandboxOptions = { aggregationMs: 20, seed: 'spec', jobStartDelayMs: 0 };

/** Starts a sandbox on a fresh manual clock (unless `options.clock` says otherwise) and a v20111101 client for it. */
export async function startApi(options: SandboxOptions = {}, version: SandboxApiVersion = 'v20111101'): Promise<Api> {
  const clock = options.clock === undefined ? createManualClock() : undefined;
  const sb = await startSandbox({ ...SPEC_OPTIONS, ...(clock ? { clock } : {}), ...options });
  const manual = clock ?? (options.clock as ManualClock | undefined);
  return new Api(sb, { version, ...(manual && 'advance' in manual ? { clock: manual } : {}) });
}

/**
 * Registers mocha hooks that start a sandbox (on a manual clock) before the suite and close it after; returns a
 * getter.
 */
export function useSandbox(options: SandboxOptions = {}, version: SandboxApiVersion = 'v20111101'): () => Api {
  let api: Api | undefined;
  before(async () => {
    api = await startApi(options, version);
  });
  after(async () => {
    await api?.sb.close();
  });
  return () => {
    if (!api) throw new Error('sandbox not started');
    return api;
  };
}

/** Runs `body` against a sandbox started for it, and closes it whatever happens. */
export async function withApi(options: SandboxOptions, body: (api: Api) => Promise<void>, version: SandboxApiVersion = 'v20111101'): Promise<void> {
  const api = await startApi(options, version);
  try {
    await body(api);
  } finally {
    await api.sb.close();
  }
}
