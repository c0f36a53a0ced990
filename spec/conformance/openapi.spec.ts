/**
 * Conformance of our codecs and request builders with MX's OpenAPI spec (spec/fixtures/mx-openapi/v20111101.yml).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import * as t from 'io-ts';
import { Challenge } from '../../lib/codecs/challenge.js';
import { Credential } from '../../lib/codecs/credential.js';
import {
  ChallengesResponseBody, CredentialsResponseBody, InstitutionResponseBody, InstitutionsResponseBody, MemberResponseBody,
  MemberStatusResponseBody, MembersResponseBody, StatementResponseBody, StatementsResponseBody, UserResponseBody,
  UsersResponseBody,
} from '../../lib/codecs/envelopes.js';
import { Institution } from '../../lib/codecs/institution.js';
import { Member } from '../../lib/codecs/member.js';
import { MemberStatus } from '../../lib/codecs/member-status.js';
import { Pagination } from '../../lib/codecs/pagination.js';
import { memberCreateBody, memberResumeBody, memberUpdateBody, userCreateBody } from '../../lib/codecs/requests.js';
import { Statement } from '../../lib/codecs/statement.js';
import { User } from '../../lib/codecs/user.js';
import { decodeOk } from '../codecs/assert.js';
import {
  KNOWN_SPEC_MISTAKES, componentSchema, exampleOf, hasOperation, requestBodyErrors, responseErrors, responseStatuses,
  schemaErrors,
} from '../helpers/openapi.js';

// -------------------------------------------------------------------------------------
// what we validate
// -------------------------------------------------------------------------------------

/** Object codec ↔ spec component, and the field our codec requires (the spec marks even that one nullable). */
const OBJECTS: Array<{ codec: t.Mixed; component: string; identity: string[] }> = [
  { codec: User, component: 'UserResponse', identity: ['guid'] },
  { codec: Institution, component: 'InstitutionResponse', identity: ['code'] },
  { codec: Credential, component: 'CredentialResponse', identity: ['guid'] },
  { codec: Member, component: 'MemberResponse', identity: ['guid'] },
  { codec: MemberStatus, component: 'MemberStatusResponse', identity: ['guid'] },
  { codec: Challenge, component: 'ChallengeResponse', identity: ['guid'] },
  { codec: Statement, component: 'StatementResponse', identity: ['guid'] },
  { codec: Pagination, component: 'PaginationResponse', identity: ['current_page', 'per_page', 'total_entries', 'total_pages'] },
];

/** Envelope codec ↔ spec component ↔ the operations (and statuses) that answer with it. */
const ENVELOPES: Array<{ codec: t.Mixed; component: string; operations: Array<[string, number]> }> = [
  { codec: UserResponseBody, component: 'UserResponseBody', operations: [['createUser', 200]] },
  { codec: UsersResponseBody, component: 'UsersResponseBody', operations: [['listUsers', 200]] },
  { codec: InstitutionResponseBody, component: 'InstitutionResponseBody', operations: [['readInstitution', 200]] },
  { codec: InstitutionsResponseBody, component: 'InstitutionsResponseBody', operations: [['listInstitutions', 200]] },
  { codec: CredentialsResponseBody, component: 'CredentialsResponseBody', operations: [['listInstitutionCredentials', 200]] },
  {
    codec: MemberResponseBody,
    component: 'MemberResponseBody',
    operations: [
      ['createMember', 200], ['createMember', 202], ['readMember', 200], ['updateMember', 200], ['aggregateMember', 202],
      ['fetchStatements', 202], ['resumeAggregation', 202],
    ],
  },
  { codec: MembersResponseBody, component: 'MembersResponseBody', operations: [['listMembers', 200]] },
  { codec: MemberStatusResponseBody, component: 'MemberStatusResponseBody', operations: [['readMemberStatus', 200]] },
  { codec: ChallengesResponseBody, component: 'ChallengesResponseBody', operations: [['listMemberChallenges', 200]] },
  { codec: StatementResponseBody, component: 'StatementResponseBody', operations: [['readStatementByMember', 200]] },
  { codec: StatementsResponseBody, component: 'StatementsResponseBody', operations: [['listStatementsByMember', 200]] },
];

const OPERATIONS: Record<string, string[]> = {
  createUser: ['200'], listUsers: ['200'], deleteUser: ['204'], listInstitutions: ['200'], readInstitution: ['200'],
  listInstitutionCredentials: ['200'], createMember: ['200', '202'], listMembers: ['200'], readMember: ['200'],
  readMemberStatus: ['200'], updateMember: ['200'], deleteMember: ['204'], aggregateMember: ['202'], fetchStatements: ['202'],
  listMemberChallenges: ['200'], resumeAggregation: ['202'], listStatementsByMember: ['200'], readStatementByMember: ['200'],
  downloadStatementPDF: ['200'],
};

/** The property names an io-ts object codec (type, partial, or an intersection of them) declares. */
const codecKeys = (codec: t.Mixed): string[] => {
  if (codec instanceof t.IntersectionType) return (codec.types as t.Mixed[]).flatMap(codecKeys);
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) return Object.keys(codec.props as object);
  throw new Error(`not an object codec: ${codec.name}`);
};

const specProperties = (component: string): Record<string, Record<string, unknown>> =>
  componentSchema(component).properties as Record<string, Record<string, unknown>>;

// -------------------------------------------------------------------------------------
// specs
// -------------------------------------------------------------------------------------

describe('conformance with the OpenAPI spec v20111101', () => {
  describe('operations', () => {
    for (const [op, statuses] of Object.entries(OPERATIONS)) {
      it(`${op} exists with responses ${statuses.join(', ')}`, () => {
        expect(hasOperation(op)).to.equal(true);
        expect(responseStatuses(op)).to.deep.equal(statuses);
      });
    }

    it('has no JSON schema for 204s or the PDF download (responseErrors throws)', () => {
      expect(() => responseErrors('deleteMember', 204, {})).to.throw(/no content/);
      expect(() => responseErrors('downloadStatementPDF', 200, {})).to.throw(/no JSON schema/);
      expect(() => responseErrors('listMemberChallenges', 204, {})).to.throw(/no 204 response/);
      expect(() => responseErrors('noSuchOperation', 200, {})).to.throw(/no operation/);
    });
  });

  describe('the spec examples decode with our codecs', () => {
    for (const { codec, component, identity } of OBJECTS) {
      describe(`${codec.name} ↔ ${component}`, () => {
        it('the example is valid against the spec (after KNOWN_SPEC_MISTAKES) and decodes, unchanged', () => {
          const example = exampleOf(component);
          expect(schemaErrors(component, example)).to.deep.equal([]);
          expect(decodeOk(codec, example)).to.deep.equal(example);
          for (const k of identity) expect(example).to.have.property(k);
        });

        it('declares exactly the fields of the spec', () => {
          expect([...codecKeys(codec)].sort()).to.deep.equal(Object.keys(specProperties(component)).sort());
        });

        it('accepts null wherever the spec says nullable (except the identity field we require)', () => {
          const example = exampleOf(component) as Record<string, unknown>;
          for (const [k, s] of Object.entries(specProperties(component))) {
            if (s.nullable !== true || identity.includes(k)) continue;
            expect(decodeOk(codec, { ...example, [k]: null }), k).to.have.property(k, null);
          }
        });
      });
    }

    for (const { codec, component, operations } of ENVELOPES) {
      it(`${codec.name}: the example decodes and is a valid response of ${operations.map(([o, s]) => `${o} ${s}`).join(', ')}`, () => {
        const example = exampleOf(component);
        expect(decodeOk(codec, example)).to.deep.equal(example);
        for (const [op, status] of operations) expect(responseErrors(op, status, example), `${op} ${status}`).to.deep.equal([]);
      });
    }
  });

  describe('KNOWN_SPEC_MISTAKES', () => {
    it('only patches most_recent_job_guid and most_recent_job_detail_text', () => {
      expect(KNOWN_SPEC_MISTAKES.map((m) => `${m.schema}.${m.property}`)).to.deep.equal([
        'MemberResponse.most_recent_job_guid', 'MemberResponse.most_recent_job_detail_text',
      ]);
    });

    it('lets a JOB- string through but still rejects a number', () => {
      expect(responseErrors('readMember', 200, { member: { guid: 'MBR-1', most_recent_job_guid: 'JOB-1', most_recent_job_detail_text: null } })).to.deep.equal([]);
      expect(responseErrors('readMember', 200, { member: { guid: 'MBR-1', most_recent_job_guid: 7 } })).to.deep.equal([
        'member.most_recent_job_guid: must be string,boolean,null, got 7',
      ]);
    });
  });

  describe('the validator can fail (negative checks)', () => {
    it('rejects wrong types in a response, with readable paths', () => {
      const errors = responseErrors('listUsers', 200, {
        users: [{ guid: 'USR-1' }, { guid: 42 }],
        pagination: { current_page: '1', per_page: 25, total_entries: 2, total_pages: 1 },
      });
      expect(errors).to.deep.equal([
        'users[1].guid: must be string,null, got 42',
        'pagination.current_page: must be integer, got "1"',
      ]);
    });

    it('rejects a bad request body, and a not-nullable field set to null', () => {
      expect(requestBodyErrors('createMember', { member: { institution_code: 'mxbank' } })).to.deep.equal([
        "member: must have required property 'credentials', got {\"institution_code\":\"mxbank\"}",
      ]);
      expect(requestBodyErrors('resumeAggregation', { member: { challenges: [{ guid: 1, value: 'x' }] } })).to.deep.equal([
        'member.challenges[0].guid: must be string, got 1',
      ]);
      expect(requestBodyErrors('createUser', { user: { is_disabled: null } })).to.have.length(1);
      expect(requestBodyErrors('updateMember', { member: { use_cases: ['SOMETHING'] } })).to.have.length(1);
    });

    it('allows unknown response fields (the spec leaves additionalProperties open)', () => {
      expect(responseErrors('readStatementByMember', 200, { statement: { guid: 'STA-1', period: '2024-01' }, extra: 1 })).to.deep.equal([]);
    });
  });

  describe('every body our builders produce is a valid request body', () => {
    const creds = [{ guid: 'CRD-1', value: 'mxuser' }, { guid: 'CRD-2', value: 'password' }];

    it('createUser: minimal and maximal', () => {
      expect(requestBodyErrors('createUser', userCreateBody({ id: 'customer-42' }))).to.deep.equal([]);
      expect(requestBodyErrors('createUser', userCreateBody({ id: 'c', email: 'a@b.c', metadata: '{}', is_disabled: false }))).to.deep.equal([]);
    });

    it('createMember: minimal and maximal', () => {
      expect(requestBodyErrors('createMember', memberCreateBody({ institution_code: 'mxbank', credentials: creds }))).to.deep.equal([]);
      const max = memberCreateBody(
        {
          institution_code: 'mxbank', credentials: creds, id: 'm-1', metadata: 'meta', skip_aggregation: true,
          background_aggregation_is_disabled: false, is_oauth: true, use_cases: ['PFM', 'MONEY_MOVEMENT'],
        },
        { client_redirect_url: 'https://example.com', enable_app2app: false, referral_source: 'BROWSER', ui_message_webview_url_scheme: 'app' },
      );
      expect(requestBodyErrors('createMember', max)).to.deep.equal([]);
    });

    it('updateMember: minimal and maximal', () => {
      expect(requestBodyErrors('updateMember', memberUpdateBody({ credentials: creds }))).to.deep.equal([]);
      expect(requestBodyErrors('updateMember', memberUpdateBody({
        credentials: creds, id: 'm-1', metadata: 'm', background_aggregation_is_disabled: true, skip_aggregation: false, use_cases: ['PFM'],
      }))).to.deep.equal([]);
    });

    it('resumeAggregation: one and several answers', () => {
      expect(requestBodyErrors('resumeAggregation', memberResumeBody([{ guid: 'CRD-9', value: 'correct' }]))).to.deep.equal([]);
      expect(requestBodyErrors('resumeAggregation', memberResumeBody([{ guid: 'a', value: '1' }, { guid: 'b', value: '2' }]))).to.deep.equal([]);
    });

    it('any input the builders accept gives a valid body (fast-check)', () => {
      const cred = fc.record({ guid: fc.string(), value: fc.string() });
      const useCases = fc.subarray(['PFM', 'MONEY_MOVEMENT'] as const);
      const options = {
        id: fc.option(fc.string(), { nil: undefined }),
        metadata: fc.option(fc.string(), { nil: undefined }),
        skip_aggregation: fc.option(fc.boolean(), { nil: undefined }),
        background_aggregation_is_disabled: fc.option(fc.boolean(), { nil: undefined }),
        use_cases: fc.option(useCases, { nil: undefined }),
      };
      fc.assert(fc.property(
        fc.record({ ...options, institution_code: fc.string(), credentials: fc.array(cred), is_oauth: fc.option(fc.boolean(), { nil: undefined }) }),
        fc.record({
          client_redirect_url: fc.option(fc.string(), { nil: undefined }),
          enable_app2app: fc.option(fc.boolean(), { nil: undefined }),
          referral_source: fc.option(fc.constantFrom('BROWSER' as const, 'APP' as const), { nil: undefined }),
          ui_message_webview_url_scheme: fc.option(fc.string(), { nil: undefined }),
        }),
        fc.record({ ...options, credentials: fc.option(fc.array(cred), { nil: undefined }) }),
        fc.array(cred),
        (create, extras, update, answers) => {
          expect(requestBodyErrors('createMember', memberCreateBody(create, extras))).to.deep.equal([]);
          expect(requestBodyErrors('updateMember', memberUpdateBody(update))).to.deep.equal([]);
          expect(requestBodyErrors('resumeAggregation', memberResumeBody(answers))).to.deep.equal([]);
        },
      ), { numRuns: 200 });
      fc.assert(fc.property(
        fc.record({ id: fc.string(), email: fc.string(), metadata: fc.string(), is_disabled: fc.boolean() }, { requiredKeys: [] }),
        (u) => {
          expect(requestBodyErrors('createUser', userCreateBody(u))).to.deep.equal([]);
        },
      ), { numRuns: 200 });
    });
  });
});
