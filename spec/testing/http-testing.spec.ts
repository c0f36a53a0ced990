/**
 * mx-statements-rx/testing's expectMxRequest with Angular's real HttpTestingController (Node, Angular DI, no DOM):
 * it waits for the library's request rather than failing the way an immediate expectOne does.
 */
import '@angular/compiler';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Injector, createEnvironmentInjector, provideZonelessChangeDetection, ɵINJECTOR_SCOPE as INJECTOR_SCOPE, type EnvironmentInjector } from '@angular/core';
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom } from 'rxjs';
import { MX_CLIENT, provideMxClient } from '../../lib/angular/index.js';
import { expectMxRequest } from '../../lib/testing/index.js';
import { fetchStatements$ } from '../../lib/workflow/fetch-statements.js';

describe('testing/expectMxRequest (Angular HttpTestingController)', function () {
  this.timeout(20_000);
  let injector: EnvironmentInjector;
  let http: HttpTestingController;

  beforeEach(() => {
    injector = createEnvironmentInjector(
      [{ provide: INJECTOR_SCOPE, useValue: 'root' }, provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(),
        provideMxClient({ baseUrl: '/api/mx', auth: 'none', retry: false })],
      Injector.NULL as EnvironmentInjector,
    );
    http = injector.get(HttpTestingController);
  });
  afterEach(() => {
    http.verify({ ignoreCancelled: true });
    injector.destroy();
  });

  it('waits for the request the library sends only after an answer and a poll delay (where expectOne right away finds none)', async () => {
    const client = injector.get(MX_CLIENT);
    const events: string[] = [];
    const run = fetchStatements$(client, { member: { userGuid: 'USR-1', memberGuid: 'MBR-1' }, polling: { firstDelayMs: 50, minIntervalMs: 10, intervalMs: 10 } })
      .subscribe((r) => events.push(E.isRight(r) ? r.right.type : r.left._tag));
    try {
      const post = await expectMxRequest(http, { method: 'post', url: '/api/mx/users/USR-1/members/MBR-1/fetch_statements' });
      expect(post.request.headers.get('Accept-Version')).to.equal('v20111101');
      post.flush({ member: { guid: 'MBR-1', user_guid: 'USR-1', connection_status: 'CONNECTED', is_being_aggregated: true } }, { status: 202, statusText: 'Accepted' });
      const status = '/api/mx/users/USR-1/members/MBR-1/status';
      expect(http.match((req) => req.url === status), 'the poll waits its delay first').to.have.length(0);
      const poll = await expectMxRequest(http, status);
      expect(poll.request.method).to.equal('GET');
      expect(events).to.deep.equal(['statements-job-started']);
    } finally {
      run.unsubscribe();
    }
  });

  it('matches by URL string and by predicate', async () => {
    const client = injector.get(MX_CLIENT);
    const first = lastValueFrom(client.users.read$({ userGuid: 'USR-1' }));
    (await expectMxRequest(http, (req) => req.method === 'GET' && req.urlWithParams.endsWith('/USR-1'))).flush({ user: { guid: 'USR-1' } });
    expect(E.isRight(await first)).to.equal(true);
    const reading = lastValueFrom(client.users.read$({ userGuid: 'USR-2' }));
    (await expectMxRequest(http, '/api/mx/users/USR-2')).flush({ user: { guid: 'USR-2' } });
    expect(E.isRight(await reading)).to.equal(true);
  });

  it('compares URLs without their query (the library puts the query in the URL it sends)', async () => {
    const client = injector.get(MX_CLIENT);
    const search = lastValueFrom(client.institutions.list$({ name: 'MX Bank' }));
    const req = await expectMxRequest(http, { method: 'GET', url: '/api/mx/institutions' });
    expect(req.request.urlWithParams).to.equal("/api/mx/institutions?name=MX+Bank");
    req.flush({ institutions: [], pagination: { current_page: 1, per_page: 25, total_entries: 0, total_pages: 1 } });
    expect(E.isRight(await search)).to.equal(true);
  });

  it('rejects after its timeout, naming the pending requests', async () => {
    const client = injector.get(MX_CLIENT);
    const sub = client.users.read$({ userGuid: 'USR-1' }).subscribe();
    try {
      const started = Date.now();
      const error = await expectMxRequest(http, { method: 'POST', url: '/api/mx/users' }, { timeoutMs: 100 }).then(() => null, (e: unknown) => e as Error);
      expect(error?.message).to.match(/no request for POST \/api\/mx\/users within 100 ms; pending: GET \/api\/mx\/users\/USR-1/);
      expect(Date.now() - started).to.be.at.least(95);
    } finally {
      sub.unsubscribe();
    }
  });
});
