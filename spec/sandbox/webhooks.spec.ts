import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { SandboxOptions, SandboxWebhookOptions } from '../../lib/sandbox/index.js';
import { until } from '../helpers/bounded.js';
import { withApi, type Api } from './helpers.js';

interface Delivery {
  readonly headers: IncomingHttpHeaders;
  readonly method: string;
  readonly path: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

/** What the receiver answers to the n-th delivery (1-based): a status, or 'hang' (never answers). */
type Respond = (n: number, delivery: Delivery) => number | 'hang';

/** A webhook receiver on a free port that records every delivery. */
const startReceiver = async (respond: Respond = () => 204) => {
  const seen: Delivery[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const delivery: Delivery = { headers: req.headers, method: req.method ?? '', path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
      seen.push(delivery);
      const answer = respond(seen.length, delivery);
      if (answer === 'hang') hanging.add(res);
      else res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mx/webhooks`,
    seen,
    hanging,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const HOOKS: Omit<SandboxWebhookOptions, 'url'> = { username: 'mx-hooks', password: 'hook-secret-42' };

/** A sandbox (manual clock) delivering to a fresh receiver; `log` holds the sandbox's log lines. */
const withHooks = async (
  respond: Respond,
  body: (api: Api, receiver: Receiver, log: string[]) => Promise<void>,
  hooks: Omit<SandboxWebhookOptions, 'url'> = {},
  options: SandboxOptions = {},
): Promise<void> => {
  const receiver = await startReceiver(respond);
  const log: string[] = [];
  try {
    await withApi({ aggregationMs: 40, ...options, log: (l) => log.push(l), webhooks: { url: receiver.url, ...HOOKS, ...hooks } }, (api) =>
      body(api, receiver, log),
    );
    expect(log.join('\n')).to.not.contain(String(HOOKS.password));
  } finally {
    await receiver.close();
  }
};

/** Waits until the sandbox logged the outcome of a delivery attempt (its retry timer is then set). */
const logged = (log: string[], text: string) => until(`the log line "${text}"`, () => log.some((l) => l.includes(text)));

const types = (r: Receiver) => r.seen.map((d) => `${String(d.body.type)}${d.body.connection_status ? `:${String(d.body.connection_status)}` : ''}`);

describe('sandbox: webhooks', () => {
  it('STATEMENT after a completed statement fetch and AGGREGATION after an aggregation, shaped as MX sends them, with Basic auth', async () => {
    await withHooks(() => 204, async (api, receiver) => {
      const u = await api.createUser('hooked-user');
      const created = await api.createMember(u, 'password', { skip_aggregation: false });
      const m = created.json.member.guid as string;
      await api.settled(u, m);
      await until('the AGGREGATION webhook', () => receiver.seen.length >= 1);
      await api.fetchStatements(u, m);
      await api.settled(u, m);
      await until('the STATEMENT webhook', () => receiver.seen.length >= 2);
      expect(types(receiver)).to.deep.equal(['AGGREGATION', 'STATEMENT']);
      for (const d of receiver.seen) {
        expect(d.method).to.equal('POST');
        expect(d.path).to.equal('/mx/webhooks');
        expect(d.headers['content-type']).to.equal('application/json');
        expect(d.headers.authorization).to.equal(`Basic ${Buffer.from('mx-hooks:hook-secret-42').toString('base64')}`);
      }
      const [aggregation, statement] = receiver.seen.map((d) => d.body);
      const now = api.clock?.now() ?? 0;
      expect(Object.keys(aggregation).sort()).to.deep.equal(
        ['action', 'completed_at', 'completed_on', 'is_background', 'job_guid', 'member_guid', 'transactions_created_count', 'transactions_updated_count', 'type', 'user_guid', 'user_id'],
      );
      expect(aggregation).to.include({ action: 'member_data_updated', is_background: false, member_guid: m, user_guid: u, user_id: 'hooked-user', type: 'AGGREGATION' });
      expect(aggregation.job_guid).to.equal(created.json.member.most_recent_job_guid);
      expect(Object.keys(statement).sort()).to.deep.equal(['action', 'completed_at', 'completed_on', 'member_guid', 'statements_created_count', 'type', 'user_guid']);
      expect(statement).to.include({ action: 'member_data_updated', member_guid: m, user_guid: u, statements_created_count: 6, type: 'STATEMENT' });
      expect(statement.completed_at).to.equal(Math.floor(now / 1000));
      expect(statement.completed_on).to.equal(new Date(now).toISOString().slice(0, 10));
      // a second statements job finds the same statements: none created
      await api.fetchStatements(u, m);
      await api.settled(u, m);
      await until('the second STATEMENT webhook', () => receiver.seen.length >= 3);
      expect(receiver.seen[2]?.body).to.include({ type: 'STATEMENT', statements_created_count: 0 });
    });
  });

  it('CONNECTION_STATUS only for the statuses a person must act on (CHALLENGED, REJECTED, LOCKED, DENIED…), never CONNECTED or PENDING', async () => {
    await withHooks(() => 204, async (api, receiver) => {
      const c = await api.userWithMember('challenge');
      await api.fetchStatements(c.u, c.m);
      const challenged = await api.waitFor(c.u, c.m, (s) => s.connection_status === 'CHALLENGED');
      await until('CHALLENGED', () => receiver.seen.length >= 1);
      await api.resume(c.u, c.m, [{ guid: (challenged.challenges as Array<{ guid: string }>)[0]?.guid ?? '', value: 'wrong' }]);
      await api.settled(c.u, c.m);
      await until('REJECTED', () => receiver.seen.length >= 2);
      const locked = await api.userWithMember('LOCKED');
      await api.fetchStatements(locked.u, locked.m);
      await api.settled(locked.u, locked.m);
      await until('LOCKED', () => receiver.seen.length >= 3);
      // an OAuth member: PENDING sends nothing; a denied window sends DENIED
      const u = await api.createUser();
      const oauth = await api.call('createMember', 'POST', `/users/${u}/members`, { body: { member: { institution_code: 'mx_bank_oauth', credentials: [], is_oauth: true } } });
      const uri = oauth.json.member.oauth_window_uri as string;
      await fetch(uri, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `token=${uri.split('/').pop() ?? ''}&decision=deny` }).then((r) => r.text());
      await until('DENIED', () => receiver.seen.length >= 4);
      expect(types(receiver)).to.deep.equal(['CONNECTION_STATUS:CHALLENGED', 'CONNECTION_STATUS:REJECTED', 'CONNECTION_STATUS:LOCKED', 'CONNECTION_STATUS:DENIED']);
      const [first, , lockedHook, denied] = receiver.seen.map((d) => d.body);
      expect(Object.keys(first).sort()).to.deep.equal(['action', 'connection_status', 'connection_status_id', 'connection_status_message', 'member_guid', 'type', 'user_guid']);
      expect(first).to.include({ action: 'CHANGED', connection_status_id: 3, member_guid: c.m, user_guid: c.u });
      expect(lockedHook.connection_status_id).to.equal(5);
      expect(denied).to.include({ connection_status_id: 2, member_guid: oauth.json.member.guid });
    });
  });

  it('retries a failed delivery on the configured schedule, so the receiver sees duplicates; an answer that never comes counts as failed', async () => {
    // 500, then no answer (timeout), then 204
    const respond: Respond = (n) => (n === 1 ? 500 : n === 2 ? 'hang' : 204);
    await withHooks(respond, async (api, receiver, log) => {
      const locked = await api.userWithMember('LOCKED');
      await api.fetchStatements(locked.u, locked.m);
      await api.settled(locked.u, locked.m);
      await logged(log, 'failed: HTTP 500 (attempt 1); retrying in 100 ms');
      api.clock?.advance(99);
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      expect(receiver.seen, 'no retry before its delay').to.have.length(1);
      api.clock?.advance(1);
      await until('the second attempt', () => receiver.seen.length === 2);
      api.clock?.advance(1000); // the attempt's timeout
      await logged(log, 'failed: no answer within 1000 ms (attempt 2); retrying in 200 ms');
      api.clock?.advance(200); // the second retry delay
      await until('the third attempt', () => receiver.seen.length === 3);
      await logged(log, 'delivered: HTTP 204 (attempt 3)');
      expect(receiver.seen.map((d) => d.body)).to.deep.equal([receiver.seen[0]?.body, receiver.seen[0]?.body, receiver.seen[0]?.body]);
      api.clock?.advance(60_000);
      await new Promise((r) => setImmediate(r));
      expect(receiver.seen, 'delivered: no more attempts').to.have.length(3);
    }, { retryDelaysMs: [100, 200, 400], timeoutMs: 1000 });
  });

  it('gives up after the last retry', async () => {
    await withHooks(() => 503, async (api, receiver, log) => {
      const locked = await api.userWithMember('LOCKED');
      await api.fetchStatements(locked.u, locked.m);
      await api.settled(locked.u, locked.m);
      for (let attempt = 1; attempt <= 2; attempt++) {
        await logged(log, `failed: HTTP 503 (attempt ${attempt}); retrying in 10 ms`);
        api.clock?.advance(10);
      }
      await logged(log, 'failed: HTTP 503 (attempt 3); giving up');
      api.clock?.advance(60_000);
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      expect(receiver.seen).to.have.length(3);
      expect(api.clock?.pending).to.equal(0);
    }, { retryDelaysMs: [10, 10] });
  });

  it('close() aborts a delivery in flight; nothing of the sandbox is left running', async () => {
    const receiver = await startReceiver(() => 'hang');
    try {
      const lines: string[] = [];
      await withApi({ aggregationMs: 40, log: (l) => lines.push(l), webhooks: { url: receiver.url, ...HOOKS } }, async (api) => {
        const locked = await api.userWithMember('LOCKED');
        await api.fetchStatements(locked.u, locked.m);
        await api.settled(locked.u, locked.m);
        await until('the delivery to hang', () => receiver.hanging.size === 1);
      });
      const [res] = [...receiver.hanging];
      await until('the connection to be closed by the sandbox', () => res?.socket?.destroyed !== false);
      expect(lines.join('\n')).to.not.contain('hook-secret-42');
    } finally {
      await receiver.close();
    }
  });
});
