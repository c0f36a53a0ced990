/**
 * The two dialects of the API layer over the wire (nock): what each version sends for the same call.
 */
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom, materialize, toArray } from 'rxjs';
import type { MxApiVersion } from '../../lib/core/config.js';
import { all, mx, nockClient, once, pagination, useNock } from '../helpers/nock.js';
import { credential, member, statement, status, user } from './fixtures.js';

const JSON_2025 = 'application/json';
/** An MX host that checks auth, the JSON Accept and the Accept-Version of `version`. */
const host = (version: MxApiVersion) =>
  (version === 'v20250224' ? mx(JSON_2025) : mx()).matchHeader('accept-version', version);

const institution2025 = {
  code: 'mxbank', guid: 'INS-1', name: 'MX Bank', created_at: '2025-02-13T18:08:00+00:00', is_hidden: false,
  supported_products: ['statements', 'transactions'], supports_oauth: false,
};
const oauthWindow = { guid: member.guid, oauth_window_uri: 'https://int-app.moneydesktop.com/oauth/predirect_to/MBR-1/one-time' };

describe('api: the v20111101 and v20250224 dialects', () => {
  useNock();
  const v2011 = nockClient();
  const v2025 = nockClient({ apiVersion: 'v20250224' });

  describe('institution search by statement support', () => {
    it('v20111101 asks supports_account_statement=true; v20250224 supported_products=statements', async () => {
      host('v20111101').get('/institutions').query({ name: 'MX Bank', supports_account_statement: 'true' })
        .reply(200, { institutions: [{ code: 'mxbank', supports_account_statement: true }], pagination: pagination(1, 1) });
      host('v20250224').get('/institutions').query({ name: 'MX Bank', supported_products: 'statements' })
        .reply(200, { institutions: [institution2025], pagination: pagination(1, 1) });
      for (const client of [v2011, v2025]) {
        const page = await once(client.institutions.list$({ name: 'MX Bank', supportedProducts: ['statements'] }));
        expect(E.isRight(page) && page.right.items[0]?.code).to.equal('mxbank');
      }
    });

    it('each vocabulary works with either client: flags become products in v20250224, products flags in v20111101', async () => {
      host('v20250224').get('/institutions')
        .query({ supported_products: ['account_verification', 'statements'] })
        .reply(200, { institutions: [], pagination: pagination(1, 1) });
      host('v20111101').get('/institutions').query({ supports_account_verification: 'true', supports_account_identification: 'true' })
        .reply(200, { institutions: [], pagination: pagination(1, 1) });
      expect(E.isRight(await once(v2025.institutions.list$({ supportedProducts: ['account_verification'], supportsAccountStatement: true })))).to.equal(true);
      expect(E.isRight(await once(v2011.institutions.list$({ supportedProducts: ['account_verification', 'identity_verification'] })))).to.equal(true);
    });

    it('v20250224 cannot ask for institutions without a product: a `false` flag is a TypeError on the error channel, no request', async () => {
      const seen = await lastValueFrom(v2025.institutions.list$({ supportsAccountStatement: false }).pipe(materialize(), toArray()));
      expect(seen.map((n) => n.kind)).to.deep.equal(['E']);
      expect(String(seen[0]?.error)).to.match(/TypeError: supportsAccountStatement: false has no v20250224 equivalent/);
    });

    it('the v20250224 institution object decodes with its products', async () => {
      host('v20250224').get('/institutions/mxbank').reply(200, { institution: institution2025 });
      expect(await once(v2025.institutions.read$('mxbank'))).to.deep.equal(E.right(institution2025));
    });
  });

  it('credentials: by institution code in both, by institution guid in v20250224', async () => {
    host('v20250224').get('/institutions/INS-1/credentials').query({ page: '1', records_per_page: '1000' })
      .reply(200, { credentials: [credential], pagination: pagination(1, 1) });
    const result = await once(v2025.institutions.credentials$('INS-1'));
    expect(E.isRight(result) && result.right.map((c) => c.guid)).to.deep.equal([credential.guid]);
  });

  describe('create member', () => {
    const creds = [{ guid: 'CRD-1', value: 'mxuser' }, { guid: 'CRD-2', value: 'pw-secret-9' }];

    it('v20111101 sends skip_aggregation (and no data_request); v20250224 sends data_request and neither skip_aggregation nor background_aggregation_is_disabled', async () => {
      host('v20111101').post(`/users/${user.guid}/members`, {
        member: { institution_code: 'mxbank', credentials: creds, skip_aggregation: true, background_aggregation_is_disabled: false },
      }).reply(200, { member });
      host('v20250224').post(`/users/${user.guid}/members`, {
        member: { institution_code: 'mxbank', credentials: creds },
        data_request: { products: ['statements'] },
      }).reply(202, { member });
      const fields = { institution_code: 'mxbank', credentials: creds, skip_aggregation: true, background_aggregation_is_disabled: false };
      const extras = { data_request: { products: ['statements'] } } as const;
      expect(E.isRight(await once(v2011.members.create$({ userGuid: user.guid }, fields, { extras })))).to.equal(true);
      expect(E.isRight(await once(v2025.members.create$({ userGuid: user.guid }, fields, { extras })))).to.equal(true);
    });

    it('v20250224 creates under your own user id, no guid needed', async () => {
      host('v20250224').post('/users/customer%2042/members').reply(202, { member });
      expect(await once(v2025.members.create$({ userId: 'customer 42' }, { institution_code: 'mxbank', credentials: [] })))
        .to.deep.equal(E.right(member));
    });
  });

  describe('member-scoped paths', () => {
    it('v20250224 addresses a member by your ids, guids or a mix: status, read, fetch_statements, challenges, resume', async () => {
      const byIds = { userId: 'customer-42', memberId: 'my-member' };
      host('v20250224').get('/users/customer-42/members/my-member/status').reply(200, { member: status });
      host('v20250224').get(`/users/customer-42/members/${member.guid}`).reply(200, { member });
      host('v20250224').post('/users/customer-42/members/my-member/fetch_statements').reply(202, { member });
      host('v20250224').get(`/users/${user.guid}/members/my-member/challenges`).query(true).reply(204);
      host('v20250224').put('/users/customer-42/members/my-member/resume').reply(202, { member });
      expect(await once(v2025.members.status$(byIds))).to.deep.equal(E.right(status));
      expect(await once(v2025.members.read$({ userId: 'customer-42', memberGuid: member.guid }))).to.deep.equal(E.right(member));
      expect(await once(v2025.statements.fetch$(byIds))).to.deep.equal(E.right(member));
      expect(await once(v2025.challenges.list$({ userGuid: user.guid, memberId: 'my-member' }))).to.deep.equal(E.right([]));
      expect(E.isRight(await once(v2025.members.resume$(byIds, [{ guid: 'CRD-9', value: 'x' }])))).to.equal(true);
    });

    it('aggregate$: the include flags go in v20111101’s query; v20250224’s aggregate has none', async () => {
      host('v20111101').post(`/users/${user.guid}/members/${member.guid}/aggregate`).query({ include_holdings: 'false' }).reply(202, { member });
      host('v20250224').post(`/users/${user.guid}/members/${member.guid}/aggregate`).query({}).reply(202, { member });
      const ref = { userGuid: user.guid, memberGuid: member.guid };
      expect(E.isRight(await once(v2011.members.aggregate$(ref, { includeHoldings: false })))).to.equal(true);
      expect(E.isRight(await once(v2025.members.aggregate$(ref, { includeHoldings: false })))).to.equal(true);
    });

    it('a guid wins when a key carries both', async () => {
      host('v20250224').get(`/users/${user.guid}/members/${member.guid}/status`).reply(200, { member: status });
      const both = { userGuid: user.guid, userId: 'ignored', memberGuid: member.guid, memberId: 'ignored' };
      expect(await once(v2025.members.status$(both))).to.deep.equal(E.right(status));
    });

    it('v20111101 has no ids in paths: an id is a TypeError on the error channel (a bug), and nothing is sent', async () => {
      const seen = await lastValueFrom(v2011.members.status$({ userId: 'customer-42', memberGuid: 'MBR-1' }).pipe(materialize(), toArray()));
      expect(seen.map((n) => n.kind)).to.deep.equal(['E']);
      expect(String(seen[0]?.error)).to.match(/TypeError: userId: API version v20111101 addresses it by MX's guid only/);
      const read = await lastValueFrom(v2011.users.read$({ userId: 'customer-42' }).pipe(materialize(), toArray()));
      expect(read.map((n) => n.kind)).to.deep.equal(['E']);
    });

    it('statement list and PDF paths stay guids in v20250224', async () => {
      host('v20250224').get(`/users/${user.guid}/members/${member.guid}/statements`).query({ page: '1', records_per_page: '1000' })
        .reply(200, { statements: [statement], pagination: pagination(1, 1) });
      const listed = await all(v2025.statements.all$({ userGuid: user.guid, memberGuid: member.guid }));
      expect(listed).to.deep.equal([E.right(statement)]);
    });

    it('users.read$ reads a user by guid (both) or by your id (v20250224)', async () => {
      host('v20250224').get('/users/customer-42').reply(200, { user });
      host('v20111101').get(`/users/${user.guid}`).reply(200, { user });
      expect(await once(v2025.users.read$({ userId: 'customer-42' }))).to.deep.equal(E.right(user));
      expect(await once(v2011.users.read$({ userGuid: user.guid }))).to.deep.equal(E.right(user));
    });
  });

  describe('oauthWindow$: GET …/oauth_window_uri, in both versions', () => {
    for (const version of ['v20111101', 'v20250224'] as const) {
      it(`${version}: sends the window options as MX's query names and returns { guid, oauth_window_uri }`, async () => {
        host(version).get(`/users/${user.guid}/members/${member.guid}/oauth_window_uri`).query({
          client_redirect_url: 'https://app.example.com/oauth-done', referral_source: 'APP', skip_aggregation: 'false',
          enable_app2app: 'false', ui_message_webview_url_scheme: 'myapp',
        }).reply(200, { member: oauthWindow });
        const client = version === 'v20250224' ? v2025 : v2011;
        const result = await once(client.members.oauthWindow$({ userGuid: user.guid, memberGuid: member.guid }, {
          clientRedirectUrl: 'https://app.example.com/oauth-done', referralSource: 'APP', skipAggregation: false, enableApp2app: false,
          uiMessageWebviewUrlScheme: 'myapp',
        }));
        expect(result).to.deep.equal(E.right(oauthWindow));
      });
    }

    it('sends no query when no option is given', async () => {
      host('v20111101').get(`/users/${user.guid}/members/${member.guid}/oauth_window_uri`).query({}).reply(200, { member: oauthWindow });
      expect(E.isRight(await once(v2011.members.oauthWindow$({ userGuid: user.guid, memberGuid: member.guid })))).to.equal(true);
    });
  });
});
