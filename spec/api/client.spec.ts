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
});
