import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lastValueFrom, toArray } from 'rxjs';
import { createMxClient } from '../../lib/api/client.js';

describe('api: a PDF cut short over real HTTP, default client', function () {
  // The default per-request timeout is 30 s: finishing well within mocha's limit proves the cut was seen at once.
  this.timeout(10_000);
  let server: Server;
  let url: string;

  before(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.mx.api.v1+pdf', 'content-length': '100000' });
      res.write(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4000, 32)]));
      setTimeout(() => res.socket?.destroy(), 20);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('ends with IntegrityError truncated, not a timeout', async () => {
    const client = createMxClient({ baseUrl: url, clientId: 'c', apiKey: 'k' });
    const started = Date.now();
    const results = await lastValueFrom(client.statements.pdf$({ userGuid: 'USR-1', memberGuid: 'MBR-1', statementGuid: 'STA-1' }).pipe(toArray()));
    const last = results.at(-1);
    expect(last && E.isLeft(last) && last.left).to.include({ _tag: 'IntegrityError', reason: 'truncated', expected: 100000 });
    expect(Date.now() - started).to.be.below(5_000);
  });
});
