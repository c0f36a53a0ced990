import { expect } from 'chai';
import fc from 'fast-check';
import {
  MemberCreateRequestBody, MemberResumeRequestBody, MemberUpdateRequestBody, UserCreateRequestBody, memberCreateBody,
  memberResumeBody, memberUpdateBody, userCreateBody,
} from '../../lib/codecs/requests.js';
import { decodeErrors, decodeOk } from './assert.js';

const creds = [{ guid: 'CRD-1', value: 'mxuser' }, { guid: 'CRD-2', value: 'password' }];

describe('codecs/requests', () => {
  describe('userCreateBody', () => {
    it('wraps the fields in { user } and drops undefined ones', () => {
      expect(userCreateBody({ id: 'customer-42', email: undefined, metadata: '{"a":1}', is_disabled: false })).to.deep.equal({
        user: { id: 'customer-42', metadata: '{"a":1}', is_disabled: false },
      });
      expect(Object.keys(userCreateBody({ email: undefined }).user)).to.deep.equal([]);
    });

    it('copies only known fields', () => {
      const input = { id: 'x', password: 'secret' } as unknown as Parameters<typeof userCreateBody>[0];
      expect(userCreateBody(input)).to.deep.equal({ user: { id: 'x' } });
    });

    it('always produces a body its codec accepts, and never throws', () => {
      fc.assert(fc.property(
        fc.record({ id: fc.string(), email: fc.string(), metadata: fc.string(), is_disabled: fc.boolean() }, { requiredKeys: [] }),
        (u) => {
          const body = userCreateBody(u);
          expect(decodeOk(UserCreateRequestBody, body)).to.deep.equal(body);
          expect(Object.values(body.user)).not.to.include(undefined);
        },
      ));
    });
  });

  describe('memberCreateBody', () => {
    it('builds the minimal body', () => {
      expect(memberCreateBody({ institution_code: 'mxbank', credentials: creds })).to.deep.equal({
        member: { institution_code: 'mxbank', credentials: creds },
      });
    });

    it('builds the maximal body with top-level extras', () => {
      const body = memberCreateBody(
        {
          institution_code: 'mxbank', credentials: creds, id: 'm-1', metadata: 'meta', skip_aggregation: true,
          background_aggregation_is_disabled: false, is_oauth: false, use_cases: ['PFM', 'MONEY_MOVEMENT'],
        },
        { client_redirect_url: 'https://example.com/back', enable_app2app: false, referral_source: 'APP', ui_message_webview_url_scheme: 'myapp' },
      );
      expect(body).to.deep.equal({
        member: {
          institution_code: 'mxbank', credentials: creds, id: 'm-1', metadata: 'meta', skip_aggregation: true,
          background_aggregation_is_disabled: false, is_oauth: false, use_cases: ['PFM', 'MONEY_MOVEMENT'],
        },
        client_redirect_url: 'https://example.com/back', enable_app2app: false, referral_source: 'APP', ui_message_webview_url_scheme: 'myapp',
      });
      expect(decodeOk(MemberCreateRequestBody, body)).to.deep.equal(body);
    });

    it('drops undefined fields and copies only guid/value of each credential (fresh arrays)', () => {
      const input = [{ guid: 'CRD-1', value: 'v', label: 'Username' }];
      const body = memberCreateBody({ institution_code: 'x', credentials: input, id: undefined, use_cases: undefined }, { referral_source: undefined });
      expect(body).to.deep.equal({ member: { institution_code: 'x', credentials: [{ guid: 'CRD-1', value: 'v' }] } });
      expect(body.member.credentials).not.to.equal(input);
    });

    it('v20250224: no skip_aggregation or background_aggregation_is_disabled; data_request at the top level', () => {
      const body = memberCreateBody(
        { institution_code: 'mxbank', credentials: creds, id: 'm-1', skip_aggregation: true, background_aggregation_is_disabled: true, is_oauth: false },
        { data_request: { products: ['statements'] }, referral_source: 'BROWSER' },
        'v20250224',
      );
      expect(body).to.deep.equal({
        member: { institution_code: 'mxbank', credentials: creds, id: 'm-1', is_oauth: false },
        referral_source: 'BROWSER',
        data_request: { products: ['statements'] },
      });
      expect(decodeOk(MemberCreateRequestBody, body)).to.deep.equal(body);
    });

    it('v20111101: data_request has no place in the body and is left out', () => {
      const body = memberCreateBody({ institution_code: 'mxbank', credentials: creds, skip_aggregation: true }, { data_request: { products: ['statements'] } });
      expect(body).to.deep.equal({ member: { institution_code: 'mxbank', credentials: creds, skip_aggregation: true } });
    });

    it('copies data_request.products into a fresh array', () => {
      const products = ['statements'] as const;
      const body = memberCreateBody({ institution_code: 'x', credentials: [] }, { data_request: { products } }, 'v20250224');
      expect(body.data_request?.products).to.deep.equal(['statements']);
      expect(body.data_request?.products).not.to.equal(products);
    });

    it('the codec requires institution_code and credentials', () => {
      expect(decodeErrors(MemberCreateRequestBody, { member: {} })).to.deep.equal([
        'member.institution_code: expected string, got undefined',
        'member.credentials: expected Array<CredentialRequest>, got undefined',
      ]);
    });
  });

  describe('memberUpdateBody', () => {
    it('builds the minimal (credentials only) and maximal bodies', () => {
      expect(memberUpdateBody({ credentials: creds })).to.deep.equal({ member: { credentials: creds } });
      const max = memberUpdateBody({
        credentials: creds, id: 'm-1', metadata: 'm', background_aggregation_is_disabled: true, skip_aggregation: false, use_cases: ['PFM'],
      });
      expect(max).to.deep.equal({
        member: { id: 'm-1', metadata: 'm', background_aggregation_is_disabled: true, skip_aggregation: false, use_cases: ['PFM'], credentials: creds },
      });
      expect(decodeOk(MemberUpdateRequestBody, max)).to.deep.equal(max);
    });

    it('drops undefined fields', () => {
      expect(memberUpdateBody({ metadata: 'x', credentials: undefined, id: undefined })).to.deep.equal({ member: { metadata: 'x' } });
    });

    it('v20250224: no skip_aggregation (its update schema has none); background_aggregation_is_disabled stays', () => {
      expect(memberUpdateBody({ skip_aggregation: true, background_aggregation_is_disabled: true, credentials: creds }, 'v20250224')).to.deep.equal({
        member: { background_aggregation_is_disabled: true, credentials: creds },
      });
    });
  });

  describe('memberResumeBody', () => {
    it('wraps the answers as { member: { challenges } }, copying only guid/value', () => {
      const answers = [{ guid: 'CRD-9', value: 'correct', label: 'ignored' }];
      expect(memberResumeBody(answers)).to.deep.equal({ member: { challenges: [{ guid: 'CRD-9', value: 'correct' }] } });
      expect(memberResumeBody([])).to.deep.equal({ member: { challenges: [] } });
    });

    it('the codec names a bad answer', () => {
      expect(decodeErrors(MemberResumeRequestBody, { member: { challenges: [{ guid: 'CRD-9' }] } })).to.deep.equal([
        'member.challenges[0].value: expected string, got undefined',
      ]);
    });
  });
});
