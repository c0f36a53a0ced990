import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { all, mx, nockClient, once, pagination, useNock } from '../helpers/nock.js';
import { credential, institution } from './fixtures.js';

describe('api/institutions', () => {
  useNock();
  const client = nockClient();

  it('list$ sends the name, country and support filters with MX query names', async () => {
    mx().get('/institutions').query({
      name: 'MX Bank', iso_country_code: ['US', 'CA'], page: '1', records_per_page: '100', supports_account_statement: 'true',
    }).reply(200, { institutions: [institution], pagination: pagination(1, 1, 100, 1) });
    const result = await once(client.institutions.list$({
      name: 'MX Bank', isoCountryCode: ['US', 'CA'], supportsAccountStatement: true, page: 1, recordsPerPage: 100,
    }));
    expect(result).to.deep.equal(E.right({ items: [institution], pagination: pagination(1, 1, 100, 1) }));
  });

  it('all$ asks 100 per page (the institutions maximum) and stops at total_pages', async () => {
    mx().get('/institutions').query({ name: 'bank', page: '1', records_per_page: '100' })
      .reply(200, { institutions: [institution], pagination: pagination(1, 2, 1) });
    mx().get('/institutions').query({ name: 'bank', page: '2', records_per_page: '100' })
      .reply(200, { institutions: [{ ...institution, code: 'other' }], pagination: pagination(2, 2, 1) });
    const results = await all(client.institutions.all$({ name: 'bank' }));
    expect(results.map((r) => E.isRight(r) && r.right.code)).to.deep.equal(['mxbank', 'other']);
  });

  it('all$ ends at the first Left', async () => {
    mx().get('/institutions').query(true).reply(200, { institutions: [institution], pagination: pagination(1, 2, 1) });
    mx().get('/institutions').query(true).reply(500, 'oops');
    const results = await all(client.institutions.all$());
    expect(results).to.have.length(2);
    expect(E.isLeft(results[1]!) && results[1].left._tag).to.equal('ServerError');
  });

  it('read$ encodes the code as one path segment', async () => {
    mx().get('/institutions/mx%2Fbank').reply(200, { institution });
    expect(await once(client.institutions.read$('mx/bank'))).to.deep.equal(E.right(institution));
  });

  it('credentials$ returns every credential field; an unknown code is NotFound', async () => {
    mx().get('/institutions/mxbank/credentials').query({ page: '1', records_per_page: '1000' })
      .reply(200, { credentials: [credential, { ...credential, guid: 'CRD-2', field_name: 'PASSWORD' }], pagination: pagination(1, 1) });
    const result = await once(client.institutions.credentials$('mxbank'));
    expect(E.isRight(result) && result.right.map((c) => c.field_name)).to.deep.equal(['LOGIN', 'PASSWORD']);
    mx().get('/institutions/nope/credentials').query(true).reply(404, { error: { message: 'not found' } });
    const missing = await once(client.institutions.credentials$('nope'));
    expect(E.isLeft(missing) && missing.left).to.include({ _tag: 'NotFound', path: '/institutions/nope/credentials?page=1&records_per_page=1000' });
  });
});
