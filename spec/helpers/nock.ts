import nock from 'nock';
import { firstValueFrom, lastValueFrom, toArray, type Observable } from 'rxjs';
import { createMxClient, type MxClient } from '../../lib/api/client.js';
import type { MxClientConfig } from '../../lib/core/config.js';

/** The fake MX host the nock specs talk to. */
export const BASE = 'https://mx.nock.test';
export const CLIENT_ID = 'nock-client';
export const API_KEY = 'nock-api-key-3c1f0e9a';
export const AUTH = `Basic ${Buffer.from(`${CLIENT_ID}:${API_KEY}`).toString('base64')}`;
export const JSON_TYPE = 'application/vnd.mx.api.v1+json';
export const PDF_TYPE = 'application/vnd.mx.api.v1+pdf';

/**
 * Installs nock for a describe block: no real network, every interceptor must be used (checked after each
 * test), none left over for the next.
 */
export const useNock = (): void => {
  before(() => nock.disableNetConnect());
  afterEach(function () {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    if (this.currentTest?.state === 'passed' && pending.length > 0) {
      throw new Error(`unused nock interceptors: ${pending.join(', ')}`);
    }
  });
  after(() => nock.enableNetConnect());
};

/** An MX host that checks the Basic auth and the JSON vendor Accept on every request. */
export const mx = (accept: string = JSON_TYPE) =>
  nock(BASE, { reqheaders: { authorization: AUTH, accept } });

/** A client for the nock host, retries off unless the spec says otherwise. */
export const nockClient = (config: Partial<MxClientConfig> = {}): MxClient =>
  createMxClient({ baseUrl: BASE, clientId: CLIENT_ID, apiKey: API_KEY, retry: false, ...config });

/** The single value of a one-shot call. */
export const once = <A>(o: Observable<A>): Promise<A> => firstValueFrom(o);
/** Every value of a stream. */
export const all = <A>(o: Observable<A>): Promise<A[]> => lastValueFrom(o.pipe(toArray()));

/** A pagination block. */
export const pagination = (current_page: number, total_pages: number, per_page = 25, total_entries = total_pages * per_page) =>
  ({ current_page, per_page, total_entries, total_pages });
