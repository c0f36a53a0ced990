import { expect } from 'chai';
import { IMAGE_WORDS } from '../../lib/sandbox/challenges.js';
import { MX_BANK_PASSWORDS } from '../../lib/sandbox/index.js';
import { drawWordImage } from '../../lib/sandbox/png/index.js';
import { useSandbox, type Api } from './helpers.js';
import { decodePng } from './png/png-decoder.js';

/**
 * The word a challenge picture shows: the picture is decoded (by the specs' own PNG decoder) and compared pixel
 * by pixel with each candidate word drawn the way the sandbox draws it (seeded by its guid).
 */
const wordShown = (png: Buffer, seed: string): string | undefined => {
  const decoded = decodePng(png);
  expect(decoded.width).to.be.above(50);
  return IMAGE_WORDS.find((word) => {
    const drawn = drawWordImage(word, { seed });
    return drawn.width === decoded.width && drawn.height === decoded.height && Buffer.from(drawn.pixels).equals(decoded.pixels);
  });
};

type Status = Record<string, unknown> & { challenges: Array<Record<string, unknown> & { guid: string }> };

/** Starts a statements job for a fresh member with this password and waits until it is CHALLENGED or done. */
const startWith = async (api: Api, password: string): Promise<{ u: string; m: string; status: Status }> => {
  const { u, m } = await api.userWithMember(password);
  expect((await api.fetchStatements(u, m)).status).to.equal(202);
  const status = (await api.waitFor(u, m, (s) => s.connection_status === 'CHALLENGED' || s.is_being_aggregated === false)) as Status;
  return { u, m, status };
};

const challenged = async (api: Api, password: string, type: string) => {
  const r = await startWith(api, password);
  expect(r.status.connection_status).to.equal('CHALLENGED');
  expect(r.status.is_being_aggregated, 'is_being_aggregated while CHALLENGED').to.equal(true);
  expect(r.status.challenges).to.have.length(1);
  expect(r.status.challenges[0]?.type).to.equal(type);
  const listed = await api.call('listMemberChallenges', 'GET', `/users/${r.u}/members/${r.m}/challenges`);
  expect(listed.status).to.equal(200);
  expect(listed.json.challenges).to.deep.equal(r.status.challenges);
  expect(listed.json.pagination.total_entries).to.equal(1);
  return { ...r, challenge: r.status.challenges[0] as Status['challenges'][number] };
};

describe('sandbox: the MX Bank password table, end to end', () => {
  const api = useSandbox({ aggregationMs: 20, challengeTtlMs: 400 });

  for (const password of ['password', 'anything-else', 'Challenge']) {
    it(`"${password}" → CONNECTED, no MFA, statements listed`, async () => {
      const { u, m, status } = await startWith(api(), password);
      expect(status).to.include({ connection_status: 'CONNECTED', is_being_aggregated: false, is_authenticated: true });
      expect((await api().call('listMemberChallenges', 'GET', `/users/${u}/members/${m}/challenges`)).status).to.equal(204);
      const list = await api().call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`);
      expect(list.json.statements).to.have.length(6);
    });
  }

  for (const rule of MX_BANK_PASSWORDS.filter((r) => r.result !== 'CHALLENGED')) {
    it(`"${String(rule.password)}" → ${rule.result}, job over, no statements`, async () => {
      const { u, m, status } = await startWith(api(), rule.password ?? '');
      expect(status).to.include({ connection_status: rule.result, is_being_aggregated: false, is_authenticated: false });
      const member = await api().call('readMember', 'GET', `/users/${u}/members/${m}`);
      expect(member.json.member.connection_status_message).to.equal(rule.message);
      expect(member.json.member.needs_updated_credentials).to.equal(rule.result === 'DENIED');
      expect(member.json.member.successfully_aggregated_at).to.equal(null);
      expect((await api().call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`)).json.statements).to.deep.equal([]);
    });
  }

  it('"challenge" (TEXT) answered "correct" → RESUMED → CONNECTED, with statements', async () => {
    const { u, m, challenge } = await challenged(api(), 'challenge', 'TEXT');
    expect(challenge.guid).to.match(/^CRD-[0-9a-f]{32}$/);
    expect(challenge.label).to.be.a('string');
    const res = await api().resume(u, m, [{ guid: challenge.guid, value: 'correct' }]);
    expect(res.status).to.equal(202);
    expect(res.json.member).to.include({ connection_status: 'RESUMED', is_being_aggregated: true });
    const end = await api().settled(u, m);
    expect(end).to.include({ connection_status: 'CONNECTED', is_authenticated: true });
    expect((await api().call('listStatementsByMember', 'GET', `/users/${u}/members/${m}/statements`)).json.statements).to.have.length(6);
  });

  it('"challenge" (TEXT) answered wrong → REJECTED', async () => {
    const { u, m, challenge } = await challenged(api(), 'challenge', 'TEXT');
    await api().resume(u, m, [{ guid: challenge.guid, value: 'wrong' }]);
    expect(await api().settled(u, m)).to.include({ connection_status: 'REJECTED', is_being_aggregated: false });
  });

  it('"challenge" (TEXT) unanswered past challengeTtlMs → EXPIRED', async () => {
    const { u, m } = await challenged(api(), 'challenge', 'TEXT');
    const end = await api().settled(u, m, 3000);
    expect(end).to.include({ connection_status: 'EXPIRED', is_being_aggregated: false });
    expect((await api().call('listMemberChallenges', 'GET', `/users/${u}/members/${m}/challenges`)).status).to.equal(204);
  });

  it('"challenge" (TEXT) answered "challenge" → a follow-up TEXT challenge (second round) → "correct" → CONNECTED', async () => {
    const { u, m, challenge } = await challenged(api(), 'challenge', 'TEXT');
    await api().resume(u, m, [{ guid: challenge.guid, value: 'challenge' }]);
    const round2 = (await api().waitFor(u, m, (s) => s.connection_status === 'CHALLENGED')) as Status;
    expect(round2.is_being_aggregated).to.equal(true);
    const second = round2.challenges[0];
    expect(second?.type).to.equal('TEXT');
    expect(second?.guid).to.not.equal(challenge.guid);
    // the old guid no longer counts
    expect((await api().resume(u, m, [{ guid: challenge.guid, value: 'correct' }])).status).to.equal(400);
    await api().resume(u, m, [{ guid: second?.guid ?? '', value: 'correct' }]);
    expect((await api().settled(u, m)).connection_status).to.equal('CONNECTED');
  });

  it('"options" (OPTIONS) answered with the correct option\'s value → CONNECTED; another option → REJECTED', async () => {
    const a = await challenged(api(), 'options', 'OPTIONS');
    const options = a.challenge.options as Array<{ guid: string; label: string; value: string }>;
    expect(options.length).to.be.at.least(2);
    const correct = options.find((o) => o.label === 'Correct');
    await api().resume(a.u, a.m, [{ guid: a.challenge.guid, value: correct?.value ?? '' }]);
    expect((await api().settled(a.u, a.m)).connection_status).to.equal('CONNECTED');
    const b = await challenged(api(), 'options', 'OPTIONS');
    const wrong = (b.challenge.options as Array<{ label: string; value: string }>).find((o) => o.label !== 'Correct');
    await api().resume(b.u, b.m, [{ guid: b.challenge.guid, value: wrong?.value ?? '' }]);
    expect((await api().settled(b.u, b.m)).connection_status).to.equal('REJECTED');
  });

  it('"image" (IMAGE_DATA): a real PNG with a word drawn in it; that word (any case) → CONNECTED, another word → REJECTED', async () => {
    const a = await challenged(api(), 'image', 'IMAGE_DATA');
    expect(a.challenge.label).to.equal('What word is shown in the image?');
    const word = wordShown(Buffer.from(String(a.challenge.image_data), 'base64'), a.challenge.guid);
    expect(word, 'the picture shows one of the words').to.be.a('string');
    await api().resume(a.u, a.m, [{ guid: a.challenge.guid, value: ` ${String(word).toUpperCase()} ` }]);
    expect((await api().settled(a.u, a.m)).connection_status).to.equal('CONNECTED');
    const b = await challenged(api(), 'image', 'IMAGE_DATA');
    const shown = wordShown(Buffer.from(String(b.challenge.image_data), 'base64'), b.challenge.guid);
    await api().resume(b.u, b.m, [{ guid: b.challenge.guid, value: IMAGE_WORDS.find((w) => w !== shown) ?? '' }]);
    expect((await api().settled(b.u, b.m)).connection_status).to.equal('REJECTED');
    // "correct" still passes any challenge of the sandbox
    const c = await challenged(api(), 'image', 'IMAGE_DATA');
    await api().resume(c.u, c.m, [{ guid: c.challenge.guid, value: 'correct' }]);
    expect((await api().settled(c.u, c.m)).connection_status).to.equal('CONNECTED');
  });

  it('"token" (TOKEN) passes with the one-time code; another code → REJECTED', async () => {
    const a = await challenged(api(), 'token', 'TOKEN');
    expect(a.challenge.label).to.contain('one-time code');
    await api().resume(a.u, a.m, [{ guid: a.challenge.guid, value: '123456' }]);
    expect((await api().settled(a.u, a.m)).connection_status).to.equal('CONNECTED');
    const b = await challenged(api(), 'token', 'TOKEN');
    await api().resume(b.u, b.m, [{ guid: b.challenge.guid, value: '654321' }]);
    expect((await api().settled(b.u, b.m)).connection_status).to.equal('REJECTED');
  });

  it('"image_options" (IMAGE_OPTIONS) carries PNG data URIs; the "Correct" image\'s value → CONNECTED, another → REJECTED', async () => {
    type ImageOption = { guid: string; label: string; value: string; data_uri: string };
    const a = await challenged(api(), 'image_options', 'IMAGE_OPTIONS');
    const options = a.challenge.image_options as ImageOption[];
    expect(options).to.have.length(3);
    const shown = options.map((o) => {
      expect(o.data_uri).to.match(/^data:image\/png;base64,/);
      return wordShown(Buffer.from(o.data_uri.split(',')[1] ?? '', 'base64'), o.guid);
    });
    // three different words; the question names the one on the "Correct" picture
    expect(new Set(shown).size).to.equal(3);
    const target = shown[options.findIndex((o) => o.label === 'Correct')];
    expect(a.challenge.label).to.contain(`"${String(target)}"`);
    await api().resume(a.u, a.m, [{ guid: a.challenge.guid, value: options.find((o) => o.label === 'Correct')?.value ?? '' }]);
    expect((await api().settled(a.u, a.m)).connection_status).to.equal('CONNECTED');
    const b = await challenged(api(), 'image_options', 'IMAGE_OPTIONS');
    const wrong = (b.challenge.image_options as ImageOption[]).find((o) => o.label !== 'Correct');
    await api().resume(b.u, b.m, [{ guid: b.challenge.guid, value: wrong?.value ?? '' }]);
    expect((await api().settled(b.u, b.m)).connection_status).to.equal('REJECTED');
  });

  it('an MFA answer equal to an error password simulates that error (SERVER_ERROR → FAILED)', async () => {
    const { u, m, challenge } = await challenged(api(), 'challenge', 'TEXT');
    await api().resume(u, m, [{ guid: challenge.guid, value: 'SERVER_ERROR' }]);
    expect((await api().settled(u, m)).connection_status).to.equal('FAILED');
  });

  it('resume: 405 when not CHALLENGED, 400 for a malformed body or a missing answer, 404 unknown member', async () => {
    const { u, m } = await api().userWithMember();
    const notChallenged = await api().resume(u, m, [{ guid: 'CRD-x', value: 'correct' }]);
    expect(notChallenged.status).to.equal(405);
    expect(notChallenged.json.error.message).to.contain('not CHALLENGED');
    const c = await challenged(api(), 'challenge', 'TEXT');
    for (const body of [{}, { member: {} }, { member: { challenges: [] } }, { member: { challenges: [{ guid: c.challenge.guid }] } }, { member: { challenges: 'x' } }]) {
      const res = await api().call('resumeAggregation', 'PUT', `/users/${c.u}/members/${c.m}/resume`, { body });
      expect(res.status, JSON.stringify(body)).to.equal(400);
    }
    expect((await api().resume(c.u, c.m, [{ guid: 'CRD-other', value: 'correct' }])).status).to.equal(400);
    expect((await api().resume(c.u, 'MBR-nope', [{ guid: 'CRD-x', value: 'correct' }])).status).to.equal(404);
    expect((await api().call('listMemberChallenges', 'GET', `/users/${c.u}/members/MBR-nope/challenges`)).status).to.equal(404);
    // still CHALLENGED and answerable after the refusals
    await api().resume(c.u, c.m, [{ guid: c.challenge.guid, value: 'correct' }]);
    expect((await api().settled(c.u, c.m)).connection_status).to.equal('CONNECTED');
  });

  it('an empty credential → IMPAIRED', async () => {
    const { u, m, status } = await startWith(api(), '');
    expect(status).to.include({ connection_status: 'IMPAIRED', is_being_aggregated: false });
    const member = await api().call('readMember', 'GET', `/users/${u}/members/${m}`);
    expect(member.json.member.needs_updated_credentials).to.equal(true);
  });
});
