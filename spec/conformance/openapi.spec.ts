/**
 * Conformance of our codecs, request builders and requests with MX's OpenAPI specs, one per API version
 * (spec/fixtures/mx-openapi/v20111101.yml and v20250224.yml): every request the library can send in a version
 * is an operation of that version's spec, with its query names and a body its schema accepts; both specs'
 * response examples decode with our codecs.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import * as t from 'io-ts';
import { lastValueFrom, toArray, type Observable } from 'rxjs';
import { createMxClient, type MxClient } from '../../lib/api/client.js';
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
import { OAuthWindow, OAuthWindowResponseBody } from '../../lib/codecs/oauth-window.js';
import { Pagination } from '../../lib/codecs/pagination.js';
import { memberCreateBody, memberResumeBody, memberUpdateBody, userCreateBody } from '../../lib/codecs/requests.js';
import { Statement } from '../../lib/codecs/statement.js';
import { User } from '../../lib/codecs/user.js';
import { MX_API_VERSIONS, type FetchLike, type MxApiVersion } from '../../lib/core/config.js';
import { decodeOk } from '../codecs/assert.js';
import { KNOWN_SPEC_MISTAKES, SPEC_MISTAKES, openApiSpec, requestBodyErrors, responseErrors } from '../helpers/openapi.js';

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
  { codec: OAuthWindow, component: 'OAuthWindowResponse', identity: [] },
];

/** Envelope codec ↔ spec component ↔ the operations (and statuses) that answer with it. */
const ENVELOPES: Array<{ codec: t.Mixed; component: string; operations: Array<[string, number]> }> = [
  { codec: UserResponseBody, component: 'UserResponseBody', operations: [['createUser', 200], ['readUser', 200]] },
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
  { codec: OAuthWindowResponseBody, component: 'OAuthWindowResponseBody', operations: [['requestOAuthWindowURI', 200]] },
];

const OPERATIONS: Record<string, string[]> = {
  createUser: ['200'], listUsers: ['200'], readUser: ['200'], deleteUser: ['204'], listInstitutions: ['200'], readInstitution: ['200'],
  listInstitutionCredentials: ['200'], createMember: ['200', '202'], listMembers: ['200'], readMember: ['200'],
  readMemberStatus: ['200'], updateMember: ['200'], deleteMember: ['204'], aggregateMember: ['202'], fetchStatements: ['202'],
  listMemberChallenges: ['200'], resumeAggregation: ['202'], listStatementsByMember: ['200'], readStatementByMember: ['200'],
  downloadStatementPDF: ['200'], requestOAuthWindowURI: ['200'],
};

/** The property names an io-ts object codec (type, partial, or an intersection of them) declares. */
const codecKeys = (codec: t.Mixed): string[] => {
  if (codec instanceof t.IntersectionType) return (codec.types as t.Mixed[]).flatMap(codecKeys);
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) return Object.keys(codec.props as object);
  throw new Error(`not an object codec: ${codec.name}`);
};

const specProperties = (version: MxApiVersion, component: string): Record<string, Record<string, unknown>> =>
  openApiSpec(version).componentSchema(component).properties as Record<string, Record<string, unknown>>;

// -------------------------------------------------------------------------------------
// every request a client can send
// -------------------------------------------------------------------------------------

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/** A client whose fetch records every request and answers 204 (we look at requests here, not answers). */
const recordingClient = (apiVersion: MxApiVersion): { client: MxClient; sent: Sent[] } => {
  const sent: Sent[] = [];
  const fetch: FetchLike = (url, init) => {
    const u = new URL(url);
    sent.push({ method: init.method, path: u.pathname, query: u.searchParams, body: init.body === undefined ? undefined : JSON.parse(init.body), headers: init.headers });
    return Promise.resolve(new Response(null, { status: 204 }) as never);
  };
  return { client: createMxClient({ baseUrl: 'https://mx.conformance.test', clientId: 'c', apiKey: 'k', apiVersion, fetch, retry: false }), sent };
};

const CREDS = [{ guid: 'CRD-1', value: 'mxuser' }, { guid: 'CRD-2', value: 'password' }];

/** Every endpoint, with every option it sends, for one version (the v20250224-only forms included there). */
const everyCall = (c: MxClient, version: MxApiVersion): Array<Observable<unknown>> => {
  const user = { userGuid: 'USR-1' };
  const member = { userGuid: 'USR-1', memberGuid: 'MBR-1' };
  const byIds = version === 'v20250224' ? [{ userId: 'customer-42', memberId: 'm-1' }, { userId: 'customer-42', memberGuid: 'MBR-1' }] : [];
  const keys = [member, ...byIds];
  const users = version === 'v20250224' ? [user, { userId: 'customer-42' }] : [user];
  const filters = version === 'v20250224'
    ? { supportedProducts: ['statements', 'account_verification', 'identity_verification', 'transactions', 'investments'] }
    : { supportsAccountStatement: true, supportsAccountIdentification: true, supportsAccountVerification: false, supportsTransactionHistory: true };
  return [
    c.users.create$({ id: 'customer-42', email: 'a@b.c', metadata: '{}', is_disabled: false }),
    c.users.list$({ id: 'customer-42', email: 'a@b.c', isDisabled: false, page: 2, recordsPerPage: 1000 }),
    ...users.flatMap((u) => [c.users.read$(u), c.users.delete$(u)]),
    c.institutions.list$({ name: 'MX Bank', isoCountryCode: ['US'], page: 1, recordsPerPage: 100, ...filters }),
    c.institutions.read$('mxbank'),
    c.institutions.credentials$('mxbank'),
    ...users.flatMap((u) => [
      c.members.create$(u, {
        institution_code: 'mxbank', credentials: CREDS, id: 'm-1', metadata: 'meta', skip_aggregation: true,
        background_aggregation_is_disabled: false, use_cases: ['PFM'],
      }, {
        callbackPayload: 'eyJ9', extras: { client_redirect_url: 'https://x', enable_app2app: false, referral_source: 'APP', data_request: { products: ['statements'] } },
      }),
      c.members.create$(u, { institution_code: 'mx_bank_oauth', credentials: [], is_oauth: true }),
      c.members.list$(u, { page: 1, recordsPerPage: 1000 }),
    ]),
    ...keys.flatMap((k) => [
      c.members.read$(k),
      c.members.status$(k),
      c.members.update$(k, { credentials: CREDS, id: 'm-2', metadata: 'm', background_aggregation_is_disabled: true, skip_aggregation: false, use_cases: ['PFM'] }),
      c.members.delete$(k),
      c.members.aggregate$(k, { includeHoldings: false, includeTransactions: true, callbackPayload: 'eyJ9' }),
      c.members.resume$(k, [{ guid: 'CRD-9', value: 'correct' }]),
      c.members.oauthWindow$(k, { clientRedirectUrl: 'https://x', referralSource: 'APP', skipAggregation: false, enableApp2app: false, uiMessageWebviewUrlScheme: 'app' }),
      c.challenges.list$(k),
      c.statements.fetch$(k),
    ]),
    c.statements.list$(member, { page: 1, recordsPerPage: 1000 }),
    c.statements.read$({ ...member, statementGuid: 'STA-1' }),
    c.statements.pdf$({ ...member, statementGuid: 'STA-1' }),
  ];
};

/** Query values against the parameter's schema: enums (of a scalar or of array items) and booleans. */
const queryValueErrors = (name: string, values: string[], schema: Record<string, unknown>): string[] => {
  const item = (schema.type === 'array' ? schema.items : schema) as Record<string, unknown>;
  const errors: string[] = [];
  for (const v of values) {
    if (Array.isArray(item.enum) && !item.enum.includes(v)) errors.push(`${name}=${v}: not one of ${item.enum.join(', ')}`);
    if (item.type === 'boolean' && v !== 'true' && v !== 'false') errors.push(`${name}=${v}: not a boolean`);
    if (item.type === 'integer' && !/^\d+$/.test(v)) errors.push(`${name}=${v}: not an integer`);
  }
  if (schema.type !== 'array' && values.length > 1) errors.push(`${name}: given ${values.length} times`);
  return errors;
};

// -------------------------------------------------------------------------------------
// specs
// -------------------------------------------------------------------------------------

for (const version of MX_API_VERSIONS) {
  const spec = openApiSpec(version);

  describe(`conformance with the OpenAPI spec ${version}`, () => {
    describe('operations', () => {
      for (const [op, statuses] of Object.entries(OPERATIONS)) {
        it(`${op} exists with responses ${statuses.join(', ')}`, () => {
          expect(spec.hasOperation(op)).to.equal(true);
          expect(spec.responseStatuses(op)).to.deep.equal(statuses);
        });
      }

      it('has no JSON schema for 204s or the PDF download (responseErrors throws)', () => {
        expect(() => spec.responseErrors('deleteMember', 204, {})).to.throw(/no content/);
        expect(() => spec.responseErrors('downloadStatementPDF', 200, {})).to.throw(/no JSON schema/);
        expect(() => spec.responseErrors('listMemberChallenges', 204, {})).to.throw(/no 204 response/);
        expect(() => spec.responseErrors('noSuchOperation', 200, {})).to.throw(/no operation/);
      });
    });

    describe('every request a client of this version can send is an operation of its spec', () => {
      let sent: Sent[] = [];
      before(async () => {
        const { client, sent: seen } = recordingClient(version);
        for (const call of everyCall(client, version)) await lastValueFrom(call.pipe(toArray()));
        sent = seen;
      });

      it('each method and path is an operation of the spec, named in the request’s Accept-Version', () => {
        expect(sent.length).to.be.greaterThan(20);
        const missing = sent.filter((r) => spec.operationAt(r.method, r.path) === undefined).map((r) => `${r.method} ${r.path}`);
        expect(missing).to.deep.equal([]);
        expect([...new Set(sent.map((r) => r.headers['Accept-Version']))]).to.deep.equal([version]);
      });

      it('each query parameter is one the operation declares, with a value its schema allows', () => {
        const problems = sent.flatMap((r) => {
          const op = spec.operationAt(r.method, r.path)!;
          const declared = spec.queryParameters(op);
          return [...new Set(r.query.keys())].flatMap((name) => (declared[name] === undefined
            ? [`${op}: ${name} is not a query parameter of the spec`]
            : queryValueErrors(name, r.query.getAll(name), declared[name]!).map((e) => `${op}: ${e}`)));
        });
        expect(problems).to.deep.equal([]);
      });

      it('each body validates against the operation’s request body schema', () => {
        const withBody = sent.filter((r) => r.body !== undefined);
        expect(withBody.map((r) => spec.operationAt(r.method, r.path))).to.include.members(['createUser', 'createMember', 'updateMember', 'resumeAggregation']);
        const problems = withBody.flatMap((r) => {
          const op = spec.operationAt(r.method, r.path)!;
          return spec.requestBodyErrors(op, r.body).map((e) => `${op}: ${e}`);
        });
        expect(problems).to.deep.equal([]);
      });
    });

    describe('the spec examples decode with our codecs', () => {
      for (const { codec, component, identity } of OBJECTS) {
        describe(`${codec.name} ↔ ${component}`, () => {
          it('the example is valid against the spec (after its known mistakes) and decodes, unchanged', () => {
            const example = spec.exampleOf(component);
            expect(spec.schemaErrors(component, example)).to.deep.equal([]);
            const decoded = decodeOk(codec, example) as Record<string, unknown>;
            // one deliberate difference: v20111101's boolean-typed most_recent_job_guid reads as a string or null
            expect(decoded).to.deep.equal(example);
            for (const k of identity) expect(example).to.have.property(k);
          });

          it('declares every field of this version, and none that neither version has', () => {
            const mine = codecKeys(codec);
            const both = new Set(MX_API_VERSIONS.flatMap((v) => Object.keys(specProperties(v, component))));
            expect(Object.keys(specProperties(version, component)).filter((k) => !mine.includes(k))).to.deep.equal([]);
            expect(mine.filter((k) => !both.has(k))).to.deep.equal([]);
          });

          it('accepts null wherever the spec says nullable (except the identity field we require)', () => {
            const example = spec.exampleOf(component) as Record<string, unknown>;
            for (const [k, s] of Object.entries(specProperties(version, component))) {
              if (s.nullable !== true || identity.includes(k)) continue;
              expect(decodeOk(codec, { ...example, [k]: null }), k).to.have.property(k, null);
            }
          });
        });
      }

      for (const { codec, component, operations } of ENVELOPES) {
        it(`${codec.name}: the example decodes and is a valid response of ${operations.map(([o, s]) => `${o} ${s}`).join(', ')}`, () => {
          const example = spec.exampleOf(component);
          expect(decodeOk(codec, example)).to.deep.equal(example);
          for (const [op, status] of operations) expect(spec.responseErrors(op, status, example), `${op} ${status}`).to.deep.equal([]);
        });
      }
    });

    describe('every body our builders produce for this version is a valid request body', () => {
      const creds = [{ guid: 'CRD-1', value: 'mxuser' }, { guid: 'CRD-2', value: 'password' }];

      it('createMember: the bodies the workflow sends (credentials; OAuth, no credentials)', () => {
        const extras = { data_request: { products: ['statements'] } } as const;
        const credentialsMember = { institution_code: 'mxbank', credentials: creds, ...(version === 'v20111101' ? { skip_aggregation: true } : {}) };
        expect(spec.requestBodyErrors('createMember', memberCreateBody(credentialsMember, extras, version))).to.deep.equal([]);
        const oauth = memberCreateBody({ institution_code: 'mx_bank_oauth', credentials: [], is_oauth: true }, extras, version);
        expect(spec.requestBodyErrors('createMember', oauth)).to.deep.equal([]);
        if (version === 'v20250224') {
          expect(oauth).to.have.property('data_request');
          expect(JSON.stringify(memberCreateBody({ institution_code: 'x', credentials: [], skip_aggregation: true }, {}, version))).not.to.include('skip_aggregation');
        }
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
        const products = fc.subarray(['account_verification', 'identity_verification', 'transactions', 'transaction_history', 'statements', 'investments', 'rewards'] as const);
        fc.assert(fc.property(
          fc.record({ ...options, institution_code: fc.string(), credentials: fc.array(cred), is_oauth: fc.option(fc.boolean(), { nil: undefined }) }),
          fc.record({
            client_redirect_url: fc.option(fc.string(), { nil: undefined }),
            enable_app2app: fc.option(fc.boolean(), { nil: undefined }),
            referral_source: fc.option(fc.constantFrom('BROWSER' as const, 'APP' as const), { nil: undefined }),
            ui_message_webview_url_scheme: fc.option(fc.string(), { nil: undefined }),
            data_request: fc.option(fc.record({ products }), { nil: undefined }),
          }),
          fc.record({ ...options, credentials: fc.option(fc.array(cred), { nil: undefined }) }),
          fc.array(cred),
          (create, extras, update, answers) => {
            expect(spec.requestBodyErrors('createMember', memberCreateBody(create, extras, version))).to.deep.equal([]);
            expect(spec.requestBodyErrors('updateMember', memberUpdateBody(update, version))).to.deep.equal([]);
            expect(spec.requestBodyErrors('resumeAggregation', memberResumeBody(answers))).to.deep.equal([]);
          },
        ), { numRuns: 200 });
        fc.assert(fc.property(
          fc.record({ id: fc.string(), email: fc.string(), metadata: fc.string(), is_disabled: fc.boolean() }, { requiredKeys: [] }),
          (u) => {
            expect(spec.requestBodyErrors('createUser', userCreateBody(u))).to.deep.equal([]);
          },
        ), { numRuns: 200 });
      });
    });
  });
}

describe('conformance: the two dialects differ where MX says', () => {
  it('v20250224 has no skip_aggregation on create or update, v20111101 has it; only v20250224 has data_request', () => {
    const v2025 = openApiSpec('v20250224');
    const v2011 = openApiSpec('v20111101');
    expect(v2025.requestBodyErrors('createMember', { member: { institution_code: 'x', credentials: [] }, data_request: { products: ['statements'] } })).to.deep.equal([]);
    expect(v2025.requestBodyErrors('createMember', { member: { institution_code: 'x', credentials: [] }, data_request: {} })).to.have.length(1);
    expect(Object.keys(v2025.componentSchema('MemberCreateRequest').properties as object)).not.to.include('skip_aggregation');
    expect(Object.keys(v2011.componentSchema('MemberCreateRequest').properties as object)).to.include('skip_aggregation');
    expect(Object.keys(v2025.queryParameters('listInstitutions'))).to.include('supported_products').and.not.include('supports_account_statement');
    expect(Object.keys(v2011.queryParameters('listInstitutions'))).to.include('supports_account_statement').and.not.include('supported_products');
  });

  it('the operation matcher can fail: an unknown path, a wrong method', () => {
    expect(openApiSpec('v20111101').operationAt('GET', '/users/USR-1/members/MBR-1/nothing')).to.equal(undefined);
    expect(openApiSpec('v20111101').operationAt('PATCH', '/users/USR-1')).to.equal(undefined);
    expect(openApiSpec('v20111101').operationAt('GET', '/users/USR-1/members/MBR-1/statements/STA-1.pdf')).to.equal('downloadStatementPDF');
  });
});

describe('conformance: the helper’s known spec mistakes', () => {
  it('only patch most_recent_job_guid (v20111101) and most_recent_job_detail_text (both)', () => {
    expect(KNOWN_SPEC_MISTAKES).to.equal(SPEC_MISTAKES.v20111101);
    expect(SPEC_MISTAKES.v20111101.map((m) => `${m.schema}.${m.property}`)).to.deep.equal([
      'MemberResponse.most_recent_job_guid', 'MemberResponse.most_recent_job_detail_text',
    ]);
    expect(SPEC_MISTAKES.v20250224.map((m) => `${m.schema}.${m.property}`)).to.deep.equal(['MemberResponse.most_recent_job_detail_text']);
  });

  it('lets a JOB- string through but still rejects a number', () => {
    expect(responseErrors('readMember', 200, { member: { guid: 'MBR-1', most_recent_job_guid: 'JOB-1', most_recent_job_detail_text: null } })).to.deep.equal([]);
    expect(responseErrors('readMember', 200, { member: { guid: 'MBR-1', most_recent_job_guid: 7 } })).to.deep.equal([
      'member.most_recent_job_guid: must be string,boolean,null, got 7',
    ]);
    expect(openApiSpec('v20250224').responseErrors('readMember', 200, { member: { guid: 'MBR-1', most_recent_job_guid: true } })).to.deep.equal([
      'member.most_recent_job_guid: must be string,null, got true',
    ]);
  });

  it('the validator can fail: wrong types with readable paths, bad request bodies, a not-nullable null', () => {
    expect(responseErrors('listUsers', 200, {
      users: [{ guid: 'USR-1' }, { guid: 42 }],
      pagination: { current_page: '1', per_page: 25, total_entries: 2, total_pages: 1 },
    })).to.deep.equal(['users[1].guid: must be string,null, got 42', 'pagination.current_page: must be integer, got "1"']);
    expect(requestBodyErrors('createMember', { member: { institution_code: 'mxbank' } })).to.deep.equal([
      "member: must have required property 'credentials', got {\"institution_code\":\"mxbank\"}",
    ]);
    expect(requestBodyErrors('createUser', { user: { is_disabled: null } })).to.have.length(1);
    expect(requestBodyErrors('updateMember', { member: { use_cases: ['SOMETHING'] } })).to.have.length(1);
    expect(responseErrors('readStatementByMember', 200, { statement: { guid: 'STA-1', period: '2024-01' }, extra: 1 })).to.deep.equal([]);
  });
});
