/**
 * The script of docs/recipes/node-script.md, run as a spec (against the sandbox) so the recipe stays true.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { Subject, lastValueFrom, tap, toArray } from 'rxjs';
import { createMxClient, describeError, fetchStatements$, type ChallengeAnswer, type MxClient } from '../../../lib/index.js';
import { writeStatements } from '../../../lib/node/index.js';
import { startSandbox } from '../../../lib/sandbox/index.js';

// ---- the recipe ---------------------------------------------------------------------------------------------

/** Fetches one member's statements into `dir`; resolves with the exit code. */
const fetchInto = async (client: MxClient, dir: string, log: (line: string) => void): Promise<number> => {
  const sink = writeStatements(dir);
  const mfa = new Subject<ChallengeAnswer[]>();
  const results = await lastValueFrom(
    fetchStatements$(client, {
      user: { id: 'customer-42' },
      institution: { name: 'MX Bank' },
      credentials: { LOGIN: 'mxuser', PASSWORD: 'challenge' }, // MX Bank's test password for a TEXT challenge
      mfa,
      download: { sink },
    }).pipe(
      tap((r) => {
        if (E.isLeft(r)) return;
        const ev = r.right;
        if (ev.type === 'challenged') mfa.next(ev.challenges.map((c) => ({ guid: c.guid, value: 'correct' })));
        if (ev.type === 'statement-downloaded') log(`saved ${ev.location} (${ev.bytes} bytes)`);
      }),
      toArray(),
    ),
  );
  await sink.idle(); // every file closed (and any temp file removed)
  const last = results.at(-1);
  if (last && E.isLeft(last)) {
    log(describeError(last.left));
    return 1;
  }
  return 0;
};

// ---- the spec -----------------------------------------------------------------------------------------------

describe('recipe: a Node script', function () {
  this.timeout(20_000);
  it('fetches, answers MFA and saves the PDFs', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mx-recipe-'));
    const sandbox = await startSandbox({ aggregationMs: 50 });
    try {
      const client = createMxClient({ baseUrl: sandbox.url, clientId: sandbox.clientId, apiKey: sandbox.apiKey });
      const lines: string[] = [];
      expect(await fetchInto(client, dir, (l) => lines.push(l))).to.equal(0);
      expect(lines.filter((l) => l.startsWith('saved '))).to.have.length(6);
      const [member] = await readdir(dir);
      expect((await readdir(path.join(dir, member ?? ''))).filter((f) => f.endsWith('.pdf'))).to.have.length(6);
    } finally {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
