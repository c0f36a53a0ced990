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
import { startSandbox, type SandboxHandle } from '../../../lib/sandbox/index.js';

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

  it('emits a delivery once when the sandbox redelivers it (our first answer came too late)', async () => {
    // The receiver takes the first delivery, but its answer is held past the sandbox's 200 ms timeout (as if lost).
    const inner = createWebhookReceiver(HOOKS);
    const events: WebhookEvent[] = [];
    inner.events$.subscribe((e) => events.push(e));
    let requests = 0;
    const held = new Set<NodeJS.Timeout>();
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      requests += 1;
      if (requests === 1) {
        const writeHead = res.writeHead.bind(res) as (status: number) => ServerResponse;
        const end = res.end.bind(res) as () => ServerResponse;
        let status = 0;
        res.writeHead = ((s: number) => {
          status = s;
          return res;
        }) as never;
        res.end = (() => {
          const t = setTimeout(() => {
            held.delete(t);
            if (!res.destroyed) end.call(writeHead(status));
          }, 600);
          held.add(t);
          return res;
        }) as never;
      }
      inner.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
      sandbox = await startSandbox({ seed: 'hooks-2', seedUsers: 1, aggregationMs: 100, webhooks: { url, ...HOOKS, timeoutMs: 200, retryDelaysMs: [50, 50, 50] } });
      const client = clientFor(sandbox);
      const ref = await firstMember(client);
      await firstValueFrom(client.statements.fetch$(ref));
      await new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
          if (inner.stats().duplicates >= 1 && held.size === 0) {
            clearInterval(poll);
            resolve();
          } else if (Date.now() - started > 10_000) {
            clearInterval(poll);
            reject(new Error(`no redelivery seen: ${JSON.stringify(inner.stats())}, ${requests} requests`));
          }
        }, 20);
      });
      expect(requests).to.be.greaterThan(1);
      expect(events.filter((e) => e.kind === 'statement')).to.have.length(1);
    } finally {
      for (const t of held) clearTimeout(t);
      inner.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses deliveries with the wrong password (401), emitting nothing, and never echoes it', async () => {
    receiver = await listenForWebhooks(HOOKS);
    const rejections: number[] = [];
    receiver.rejections$.subscribe((r) => rejections.push(r.status));
    sandbox = await startSandbox({ seed: 'hooks-3', seedUsers: 1, aggregationMs: 100, webhooks: { url: receiver.url, username: HOOKS.username, password: 'not-it', retryDelaysMs: [20] } });
    const client = clientFor(sandbox);
    await firstValueFrom(client.statements.fetch$(await firstMember(client)));
    const events: WebhookEvent[] = [];
    receiver.events$.subscribe((e) => events.push(e));
    const started = Date.now();
    while (rejections.length < 2 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
    expect(rejections.slice(0, 2)).to.deep.equal([401, 401]);
    expect(events).to.deep.equal([]);
  });
});
