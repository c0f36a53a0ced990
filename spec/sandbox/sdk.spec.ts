import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { Configuration, InstitutionsApi, MembersApi, StatementsApi, UsersApi } from 'mx-platform-node';
import { responseErrors } from '../helpers/openapi.js';
import { createManualClock, startSandbox, type ManualClock, type SandboxHandle } from '../../lib/sandbox/index.js';

/**
 * MX's official Node SDK (mx-platform-node 2.x, unmodified) runs the whole statement workflow against the sandbox,
 * with the `Accept-Version: v20111101` header MX requires since August 2026 set in its options. The sandbox runs
 * as MX does today (a job begins a little after its 202, so the status is stale at first); its clock is moved by
 * hand between polls instead of sleeping.
 */
describe('sandbox: the official SDK (mx-platform-node) statement workflow', () => {
  let sb: SandboxHandle;
  let clock: ManualClock;
  before(async () => {
    clock = createManualClock();
    sb = await startSandbox({ aggregationMs: 40, seed: 'sdk', clock });
  });
  after(() => sb.close());

  const config = () =>
    new Configuration({
      username: sb.clientId,
      password: sb.apiKey,
      basePath: sb.url,
      baseOptions: { headers: { Accept: 'application/vnd.mx.api.v1+json', 'Accept-Version': 'v20111101' } },
    });

  /** Moves the sandbox's clock to its next timer (a poll interval passing); fails when nothing is pending. */
  const tick = (): void => {
    expect(clock.next(), 'a job timer pending').to.equal(true);
  };

  it('without Accept-Version the SDK gets 406, as from MX since August 2026', async () => {
    const bare = new Configuration({ username: sb.clientId, password: sb.apiKey, basePath: sb.url });
    const status = await new UsersApi(bare).createUser({ user: { id: 'sdk-no-version' } }).then(
      (r) => r.status,
      (e: { response?: { status: number; data: { error: { message: string } } } }) => {
        expect(e.response?.data.error.message).to.contain('Accept-Version');
        return e.response?.status;
      },
    );
    expect(status).to.equal(406);
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

    const before = (await members.readMemberStatus(memberGuid, userGuid)).data.member?.aggregated_at ?? null;
    const job = await statements.fetchStatements(memberGuid, userGuid);
    expect(job.status).to.equal(202);
    expect(responseErrors('fetchStatements', job.status, job.data)).to.deep.equal([]);

    // MX's Connect widget's rule: done only with evidence that this job ran (aggregated_at moved), never on a
    // status that merely says "not aggregating" (right after the 202 it is the previous state)
    let status = (await members.readMemberStatus(memberGuid, userGuid)).data.member;
    expect(status, 'stale right after the 202').to.include({ is_being_aggregated: false, aggregated_at: before });
    for (let i = 0; i < 20 && (status?.aggregated_at === before || status?.is_being_aggregated !== false); i++) {
      tick();
      const res = await members.readMemberStatus(memberGuid, userGuid);
      expect(responseErrors('readMemberStatus', res.status, res.data)).to.deep.equal([]);
      status = res.data.member;
    }
    expect(status).to.include({ connection_status: 'CONNECTED', is_being_aggregated: false });
    expect(status?.aggregated_at).to.not.equal(before);

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
    for (let i = 0; i < 20 && list.status === 204; i++) {
      tick();
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
    for (let i = 0; i < 20 && member?.is_being_aggregated !== false; i++) {
      tick();
      member = (await members.readMember(memberGuid, userGuid)).data.member;
    }
    expect(member?.connection_status).to.equal('CONNECTED');
  });
});
