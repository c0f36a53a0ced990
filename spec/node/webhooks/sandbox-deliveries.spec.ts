/**
 * The webhook receiver against real deliveries: the embedded sandbox, configured with `webhooks`, sends MX's
 * webhooks (with its retries) to `listenForWebhooks`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { firstValueFrom, filter, take, timeout, toArray } from 'rxjs';
import { createMxClient, type MxClient } from '../../../lib/api/client.js';
import type { WebhookEvent } from '../../../lib/codecs/webhooks.js';
import { createWebhookReceiver } from '../../../lib/node/webhooks/receiver.js';
import { listenForWebhooks, type WebhookServer } from '../../../lib/node/webhooks/server.js';
import { FOLLOW_UP_ANSWER, startSandbox, type SandboxHandle } from '../../../lib/sandbox/index.js';
import { until } from '../../helpers/bounded.js';
import { withApi } from '../../sandbox/helpers.js';

const HOOKS = { username: 'mx-hooks', password: 'hook-SECRET-42' };

/** Waits (at most 10 s) for `n` events matching `p`. */
const nextEvents = (events$: WebhookServer['events$'], n: number, p: (e: WebhookEvent) => boolean = () => true) =>
  firstValueFrom(events$.pipe(filter(p), take(n), toArray(), timeout(10_000)));

const clientFor = (sandbox: SandboxHandle): MxClient =>
  createMxClient({ baseUrl: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey });

const firstMember = async (client: MxClient) => {
  const users = await firstValueFrom(client.users.list$());
  if (E.isLeft(users)) throw new Error(users.left.message);
  const userGuid = users.right.items[0]!.guid;
  const members = await firstValueFrom(client.members.list$({ userGuid }));
  if (E.isLeft(members)) throw new Error(members.left.message);
  return { userGuid, memberGuid: members.right.items[0]!.guid };
};

describe('node/webhooks receiver: real deliveries from the sandbox', function () {
  this.timeout(30_000);
  let sandbox: SandboxHandle | undefined;
  let receiver: WebhookServer | undefined;
  afterEach(async () => {
    await sandbox?.close();
    await receiver?.close();
    sandbox = undefined;
    receiver = undefined;
  });

  it('types the STATEMENT webhook of a finished statements job, and wakes that member', async () => {
    receiver = await listenForWebhooks({ ...HOOKS, path: '/mx/webhooks' });
    sandbox = await startSandbox({ seed: 'hooks-1', seedUsers: 1, aggregationMs: 100, webhooks: { url: receiver.url, ...HOOKS } });
    const client = clientFor(sandbox);
    const ref = await firstMember(client);
    const wakeup = firstValueFrom(receiver.wakeups$.pipe(take(1), timeout(10_000)));
    const statement = nextEvents(receiver.events$, 1, (e) => e.kind === 'statement');
    expect(E.isRight(await firstValueFrom(client.statements.fetch$(ref)))).to.equal(true);
    const [e] = await statement;
    expect(e).to.deep.include({ kind: 'statement', memberGuid: ref.memberGuid, userGuid: ref.userGuid });
    if (e?.kind === 'statement') expect(e.payload.statements_created_count).to.be.a('number');
    expect(await wakeup).to.deep.equal({ memberGuid: ref.memberGuid });
    expect(receiver.stats().rejected).to.equal(0);
  });

  it('emits a delivery once when the sandbox redelivers it (our first answer never went out)', async () => {
    // The receiver takes the first delivery, but its answer is held (as if lost): the sandbox gives up on it at its
    // timeout and delivers again. The sandbox runs on a manual clock: its timeout and retry are moved by hand.
    const inner = createWebhookReceiver(HOOKS);
    const events: WebhookEvent[] = [];
    inner.events$.subscribe((e) => events.push(e));
    let requests = 0;
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      requests += 1;
      if (requests === 1) {
        res.writeHead = (() => res) as never;
        res.end = (() => res) as never;
      }
      inner.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const log: string[] = [];
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
      await withApi({ aggregationMs: 100, log: (l) => log.push(l), webhooks: { url, ...HOOKS, timeoutMs: 200, retryDelaysMs: [50, 50] } }, async (api) => {
        const { u, m } = await api.userWithMember();
        await api.fetchStatements(u, m);
        await api.settled(u, m);
        await until('the first delivery', () => requests === 1 && events.length === 1);
        api.clock!.advance(200); // no answer: the sandbox gives up on it
        await until('the sandbox to give up', () => log.some((l) => l.includes('no answer within 200 ms (attempt 1); retrying in 50 ms')));
        api.clock!.advance(50);
        await until('the redelivery', () => inner.stats().duplicates === 1);
        expect(requests).to.equal(2);
        expect(events.filter((e) => e.kind === 'statement')).to.have.length(1);
      });
    } finally {
      inner.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('emits both CHALLENGED webhooks of two MFA rounds (equal payloads: no time in them), and wakes the member twice', async () => {
    receiver = await listenForWebhooks(HOOKS);
    const wakeups: string[] = [];
    receiver.wakeups$.subscribe((w) => wakeups.push(w.memberGuid));
    const r = receiver;
    await withApi({ webhooks: { url: r.url, ...HOOKS } }, async (api) => {
      const { u, m } = await api.userWithMember('challenge');
      await api.fetchStatements(u, m);
      const first = await api.waitFor(u, m, (s) => s.connection_status === 'CHALLENGED');
      await until('the first CHALLENGED webhook', () => r.stats().received === 1);
      const guid = (first.challenges as Array<{ guid: string }>)[0]!.guid;
      await api.resume(u, m, [{ guid, value: FOLLOW_UP_ANSWER }]);
      await api.waitFor(u, m, (s) => s.connection_status === 'CHALLENGED' && (s.challenges as Array<{ guid: string }>)[0]?.guid !== guid);
      await until('the second CHALLENGED webhook', () => r.stats().received === 2);
      expect(r.stats()).to.deep.include({ received: 2, duplicates: 0 });
      expect(wakeups).to.deep.equal([m, m]);
    });
  });

  it('refuses deliveries with the wrong password (401), emitting nothing, and never echoes it', async () => {
    receiver = await listenForWebhooks(HOOKS);
    const rejections: number[] = [];
    receiver.rejections$.subscribe((r) => rejections.push(r.status));
    const events: WebhookEvent[] = [];
    receiver.events$.subscribe((e) => events.push(e));
    const log: string[] = [];
    const webhooks = { url: receiver.url, username: HOOKS.username, password: 'not-it', retryDelaysMs: [20] };
    await withApi({ aggregationMs: 100, log: (l) => log.push(l), webhooks }, async (api) => {
      const { u, m } = await api.userWithMember();
      await api.fetchStatements(u, m);
      await api.settled(u, m);
      await until('the first refusal', () => rejections.length === 1);
      await until('the sandbox to plan its retry', () => log.some((l) => l.includes('HTTP 401 (attempt 1); retrying in 20 ms')));
      api.clock!.advance(20);
      await until('the second refusal', () => rejections.length === 2);
      expect(log.join('\n')).to.not.contain('not-it');
    });
    expect(rejections).to.deep.equal([401, 401]);
    expect(events).to.deep.equal([]);
  });
});
