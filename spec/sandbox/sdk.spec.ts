import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { Configuration, InstitutionsApi, MembersApi, StatementsApi, UsersApi } from 'mx-platform-node';
import { responseErrors } from '../helpers/openapi.js';
import { startSandbox, type SandboxHandle } from '../../lib/sandbox/index.js';

/**
 * MX's official Node SDK (mx-platform-node 2.x, unmodified) runs the whole statement workflow against the sandbox.
 */
describe('sandbox: the official SDK (mx-platform-node) statement workflow', () => {
  let sb: SandboxHandle;
  before(async () => {
    sb = await startSandbox({ aggregationMs: 40, seed: 'sdk' });
  });
  after(() => sb.close());

  const config = () =>
    new Configuration({
      username: sb.clientId,
      password: sb.apiKey,
      basePath: sb.url,
      baseOptions: { headers: { Accept: 'application/vnd.mx.api.v1+json' } },
    });

  it('create user → find MX Bank → credentials → create member → fetch statements → poll → list → download', async () => {
    const cfg = config();
    const users = new UsersApi(cfg);
    const institutions = new InstitutionsApi(cfg);
    const members = new MembersApi(cfg);
    const statements = new StatementsApi(cfg);

    const user = await users.createUser({ user: { id: 'sdk-user', metadata: 'created by the SDK spec' } });
    expect(responseErrors('createUser', user.status, user.data)).to.deep.equal([]);
    const userGuid = user.data.user?.guid ?? '';
    expect(userGuid).to.match(/^USR-/);

    const found = await institutions.listInstitutions('MX Bank', undefined, 1, 10, undefined, true);
    expect(responseErrors('listInstitutions', found.status, found.data)).to.deep.equal([]);
    const mxBank = found.data.institutions?.find((i) => i.name === 'MX Bank');
    expect(mxBank?.code).to.equal('mxbank');

    const creds = await institutions.listInstitutionCredentials(mxBank?.code ?? '');
    expect(responseErrors('listInstitutionCredentials', creds.status, creds.data)).to.deep.equal([]);
    const value = (field: string | null | undefined) => (field === 'LOGIN' ? 'mxuser' : 'password');
    const credentials = (creds.data.credentials ?? []).map((c) => ({ guid: c.guid ?? '', value: value(c.field_name) }));
    expect(credentials).to.have.length(2);

    const created = await members.createMember(userGuid, {
      member: { institution_code: 'mxbank', credentials, skip_aggregation: true, id: 'sdk-member' },
    });
    expect(created.status).to.equal(200);
    expect(responseErrors('createMember', created.status, created.data)).to.deep.equal([]);
    const memberGuid = created.data.member?.guid ?? '';

    const job = await statements.fetchStatements(memberGuid, userGuid);
    expect(job.status).to.equal(202);
    expect(responseErrors('fetchStatements', job.status, job.data)).to.deep.equal([]);

    let status = (await members.readMemberStatus(memberGuid, userGuid)).data.member;
    for (let i = 0; i < 200 && status?.is_being_aggregated !== false; i++) {
      await new Promise((r) => setTimeout(r, 10));
      const res = await members.readMemberStatus(memberGuid, userGuid);
      expect(responseErrors('readMemberStatus', res.status, res.data)).to.deep.equal([]);
      status = res.data.member;
    }
    expect(status).to.include({ connection_status: 'CONNECTED', is_being_aggregated: false });

    const challenges = await members.listMemberChallenges(memberGuid, userGuid);
    expect(challenges.status).to.equal(204);

    const list = await statements.listStatementsByMember(memberGuid, userGuid);
    expect(responseErrors('listStatementsByMember', list.status, list.data)).to.deep.equal([]);
    const all = list.data.statements ?? [];
    expect(all).to.have.length(6);
    const first = all[0];
    const one = await statements.readStatementByMember(memberGuid, first?.guid ?? '', userGuid);
    expect(one.data.statement).to.deep.equal(first);

    const pdf = await statements.downloadStatementPDF(memberGuid, first?.guid ?? '', userGuid, {
      responseType: 'arraybuffer',
      headers: { Accept: 'application/vnd.mx.api.v1+pdf' },
    });
    expect(pdf.status).to.equal(200);
    const bytes = Buffer.from(pdf.data as unknown as ArrayBuffer);
    expect(bytes.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
    expect(createHash('sha256').update(bytes).digest('hex')).to.equal(first?.content_hash);

    const again = await statements.fetchStatements(memberGuid, userGuid);
    expect(again.status).to.equal(202);
    const dup = await members
      .createMember(userGuid, { member: { institution_code: 'mxbank', credentials, skip_aggregation: true } })
      .then(() => 0, (e: { response?: { status: number } }) => e.response?.status);
    expect(dup).to.equal(409);
    await members.deleteMember(memberGuid, userGuid);
    const deleted = await users.deleteUser('application/vnd.mx.api.v1+json', userGuid);
    expect(deleted.status).to.equal(204);
  });

  it('answers an MFA challenge through the SDK (listMemberChallenges + resumeAggregation)', async () => {
    const cfg = config();
    const members = new MembersApi(cfg);
    const userGuid = (await new UsersApi(cfg).createUser({ user: { id: 'sdk-mfa' } })).data.user?.guid ?? '';
    const creds = (await new InstitutionsApi(cfg).listInstitutionCredentials('mxbank')).data.credentials ?? [];
    const credentials = creds.map((c) => ({ guid: c.guid ?? '', value: c.field_name === 'PASSWORD' ? 'challenge' : 'mxuser' }));
    const created = await members.createMember(userGuid, { member: { institution_code: 'mxbank', credentials } });
    expect(created.status).to.equal(202);
    const memberGuid = created.data.member?.guid ?? '';
    let list = await members.listMemberChallenges(memberGuid, userGuid);
    for (let i = 0; i < 200 && list.status === 204; i++) {
      await new Promise((r) => setTimeout(r, 10));
      list = await members.listMemberChallenges(memberGuid, userGuid);
    }
    expect(list.status).to.equal(200);
    expect(responseErrors('listMemberChallenges', list.status, list.data)).to.deep.equal([]);
    const challenge = list.data.challenges?.[0];
    const resumed = await members.resumeAggregation(memberGuid, userGuid, {
      member: { challenges: [{ guid: challenge?.guid ?? '', value: 'correct' }] },
    });
    expect(resumed.status).to.equal(202);
    expect(responseErrors('resumeAggregation', resumed.status, resumed.data)).to.deep.equal([]);
    let member = (await members.readMember(memberGuid, userGuid)).data.member;
    for (let i = 0; i < 200 && member?.is_being_aggregated !== false; i++) {
      await new Promise((r) => setTimeout(r, 10));
      member = (await members.readMember(memberGuid, userGuid)).data.member;
    }
    expect(member?.connection_status).to.equal('CONNECTED');
  });
});
