// statements.service.spec.ts — the app's HTTP, answered by HttpTestingController (ng test: vitest + jsdom).
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import * as E from 'fp-ts/Either';
import { injectMxClient, provideMxClient } from 'mx-statements-rx/angular';
import { expectMxRequest } from 'mx-statements-rx/testing';
import { Subject, firstValueFrom } from 'rxjs';
import { StatementsService } from './statements.service';

describe('StatementsService over provideMxClient', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), provideMxClient({ baseUrl: '/api/mx', auth: 'none', retry: false })],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify({ ignoreCancelled: true }));

  it('reads a statement through HttpClient and decodes the answer', async () => {
    const client = TestBed.runInInjectionContext(injectMxClient);
    const result = firstValueFrom(client.statements.read$({ userGuid: 'USR-1', memberGuid: 'MBR-1', statementGuid: 'STA-1' }));
    await Promise.resolve();
    const req = http.expectOne('/api/mx/users/USR-1/members/MBR-1/statements/STA-1');
    expect(req.request.headers.get('Accept-Version')).toBe('v20111101');
    req.flush({ statement: { guid: 'STA-1', member_guid: 'MBR-1', user_guid: 'USR-1' } });
    const r = await result;
    expect(E.isRight(r) && r.right.guid).toBe('STA-1');
  });

  it('gives a typed Left for an error answer', async () => {
    const client = TestBed.runInInjectionContext(injectMxClient);
    const result = firstValueFrom(client.users.list$());
    await Promise.resolve();
    http.expectOne((r) => r.url === '/api/mx/users').flush({ error: { message: 'down' } }, { status: 500, statusText: 'Server Error' });
    const r = await result;
    expect(E.isLeft(r) && r.left._tag).toBe('ServerError');
  });

  it('starts a run with POST /users and cancels the request when unsubscribed', async () => {
    const service = TestBed.inject(StatementsService);
    const subscription = service
      .run({ userId: 'customer-42', institution: 'MX Bank', username: 'mxuser', password: 'password' }, new Subject(), new Subject())
      .subscribe();
    await Promise.resolve();
    const req = http.expectOne({ method: 'POST', url: '/api/mx/users' });
    expect(JSON.parse(req.request.body as string)).toEqual({ user: { id: 'customer-42' } });
    subscription.unsubscribe();
    expect(req.cancelled).toBe(true);
  });

  it('answers each request of a run as the library sends it (expectMxRequest waits; expectOne would not find it yet)', async () => {
    const service = TestBed.inject(StatementsService);
    const subscription = service
      .run({ userId: 'customer-42', institution: 'MX Bank', username: 'mxuser', password: 'password' }, new Subject(), new Subject())
      .subscribe();
    try {
      (await expectMxRequest(http, { method: 'POST', url: '/api/mx/users' })).flush({ user: { guid: 'USR-1', id: 'customer-42' } });
      // The search goes out only once the user is ready, a few ticks after the flush.
      const search = await expectMxRequest(http, { method: 'GET', url: '/api/mx/institutions' });
      expect(search.request.urlWithParams).toContain('name=MX+Bank');
    } finally {
      subscription.unsubscribe();
    }
  });
});
