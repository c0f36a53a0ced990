import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { basic, V1_HEADERS } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('sandbox: the standalone `mx-statements sandbox` command', function () {
  this.timeout(20_000);

  it('prints its URL first, serves, logs no secret, and exits 0 on SIGTERM', async () => {
    const apiKey = 'cli-secret-key-987';
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'lib/cli/main.ts', 'sandbox', '--port', '0', '--client-id', 'cli-id', '--api-key', apiKey, '--aggregation-ms', '20'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const firstLine = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        const nl = stdout.indexOf('\n');
        if (nl >= 0) resolve(stdout.slice(0, nl));
      });
      child.once('exit', (code) => reject(new Error(`exited ${String(code)} before listening: ${stderr}`)));
    });
    const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(firstLine);
    expect(match, firstLine).to.not.equal(null);
    const url = match?.[1] ?? '';
    const auth = basic('cli-id', apiKey);
    const res = await fetch(`${url}/institutions?name=mx%20bank`, { headers: { Authorization: auth, ...V1_HEADERS } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-mx-sandbox')).to.equal('mx-statements-rx');
    const user = await fetch(`${url}/users`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/json', 'Accept-Version': 'v20111101' },
      body: JSON.stringify({ user: { id: 'cli-user' } }),
    });
    expect(user.status).to.equal(200);
    // since August 2026 a request without Accept-Version is refused (406), as MX does
    expect((await fetch(`${url}/users`, { headers: { Authorization: auth } })).status).to.equal(406);
    expect((await fetch(`${url}/users`, { headers: { Authorization: basic('cli-id', 'wrong') } })).status).to.equal(401);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).to.equal(0);
    expect(stdout + stderr).to.contain('GET /institutions 200');
    for (const secret of [apiKey, auth.slice(6)]) {
      expect(stdout).to.not.contain(secret);
      expect(stderr).to.not.contain(secret);
    }
  });

  it('exits non-zero with a message when the port is taken', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = String((blocker.address() as { port: number }).port);
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'lib/cli/main.ts', 'sandbox', '--port', port], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).to.not.equal(0);
      expect(stderr).to.match(/EADDRINUSE|in use/i);
    } finally {
      blocker.close();
    }
  });
});
