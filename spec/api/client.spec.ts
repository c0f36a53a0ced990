import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom, toArray } from 'rxjs';
import { createMxClient } from '../../lib/api/client.js';
import { fakeFetch } from '../helpers/fake-fetch.js';

const PDF = '%PDF-1.7\nbody\n%%EOF\n';
const STATEMENT = { userGuid: 'USR-1', memberGuid: 'MBR-1', statementGuid: 'STA-1' };
const base = { baseUrl: 'https://mx.example.test', clientId: 'c', apiKey: 'k' } as const;
const institution = { status: 200, body: JSON.stringify({ institution: { code: 'mxbank' } }) };

describe('api/client: createMxClient', () => {
  it('sends PDF downloads through downloadFetch and API calls through fetch', async () => {
    const api = fakeFetch([institution]);
    const downloads = fakeFetch([{ status: 200, body: PDF }]);
    const client = createMxClient({ ...base, fetch: api.fetch, downloadFetch: downloads.fetch });
    const pdf = await lastValueFrom(client.statements.pdf$(STATEMENT).pipe(toArray()));
    const read = await lastValueFrom(client.institutions.read$('mxbank'));
    expect(pdf.every(E.isRight)).to.equal(true);
    expect(E.isRight(read)).to.equal(true);
    expect(api.calls.map((c) => c.url)).to.deep.equal(['https://mx.example.test/institutions/mxbank']);
    expect(downloads.calls.map((c) => c.url)).to.deep.equal(['https://mx.example.test/users/USR-1/members/MBR-1/statements/STA-1.pdf']);
  });

  it('without downloadFetch, an injected fetch serves the downloads too', async () => {
    const only = fakeFetch([{ status: 200, body: PDF }, institution]);
    const client = createMxClient({ ...base, fetch: only.fetch });
    await lastValueFrom(client.statements.pdf$(STATEMENT).pipe(toArray()));
    await lastValueFrom(client.institutions.read$('mxbank'));
    expect(only.calls).to.have.length(2);
  });

  describe('hints.sandbox', () => {
    const read = (client: ReturnType<typeof createMxClient>) => lastValueFrom(client.institutions.read$('mxbank'));

    it('is false until an answer carries X-MX-Sandbox: mx-statements-rx, then true (any status counts)', async () => {
      const f = fakeFetch([
        institution,
        { status: 404, body: '{}', headers: { 'X-MX-Sandbox': ' MX-Statements-RX ' } },
        institution,
      ]);
      const client = createMxClient({ ...base, fetch: f.fetch });
      expect(client.hints.sandbox).to.equal(false);
      await read(client);
      expect(client.hints.sandbox).to.equal(false);
      await read(client);
      expect(client.hints.sandbox).to.equal(true);
      await read(client); // an answer without it does not turn it back
      expect(client.hints.sandbox).to.equal(true);
    });

    it('ignores another value of the header, and is per client', async () => {
      const f = fakeFetch([{ ...institution, headers: { 'X-MX-Sandbox': 'yes' } }, { ...institution, headers: { 'X-MX-Sandbox': 'mx-statements-rx' } }]);
      const one = createMxClient({ ...base, fetch: f.fetch });
      const other = createMxClient({ ...base, fetch: f.fetch });
      await read(one);
      expect(one.hints.sandbox).to.equal(false);
      await read(other);
      expect([one.hints.sandbox, other.hints.sandbox]).to.deep.equal([false, true]);
    });
  });

  it('every request names the configured version: Accept-Version, and the JSON Accept of that version', async () => {
    const f = fakeFetch([institution, institution]);
    await read2(createMxClient({ ...base, fetch: f.fetch }));
    await read2(createMxClient({ ...base, fetch: f.fetch, apiVersion: 'v20250224' }));
    expect(f.calls.map((c) => [c.init.headers['Accept-Version'], c.init.headers.Accept])).to.deep.equal([
      ['v20111101', 'application/vnd.mx.api.v1+json'],
      ['v20250224', 'application/json'],
    ]);
  });
});

const read2 = (client: ReturnType<typeof createMxClient>) => lastValueFrom(client.institutions.read$('mxbank'));
