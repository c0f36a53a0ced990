import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = resolve(root, 'dist');
const run = promisify(execFile);

/** Every relative import reachable from an entry file of the compiled output. */
const importGraph = (entry: string): Map<string, string[]> => {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const source = readFileSync(file, 'utf8');
    const specifiers = [...source.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)]
      .map((m) => (m[1] ?? m[2])!);
    seen.set(file, specifiers);
    for (const s of specifiers) if (s.startsWith('.')) visit(resolve(dirname(file), s));
  };
  visit(entry);
  return seen;
};

describe('the built package (dist/, plain Node)', function () {
  this.timeout(60_000);

  before(function () {
    if (!existsSync(resolve(dist, 'index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
  });

  it('imports by its package name under plain Node, and its client runs', async () => {
    const script = `
      import { createMxClient, describeError, DEFAULT_API_VERSION } from 'mx-statements-rx';
      import * as E from 'fp-ts/lib/Either.js';
      const client = createMxClient({ baseUrl: 'http://127.0.0.1:9', clientId: 'a', apiKey: 'b', retry: false, timeoutMs: 2000 });
      client.users.list$().subscribe((r) => console.log(JSON.stringify({ left: E.isLeft(r) && r.left._tag, version: DEFAULT_API_VERSION, text: E.isLeft(r) ? describeError(r.left) : '' })));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
    const out = JSON.parse(stdout.trim()) as { left: string; version: string; text: string };
    expect(out.left).to.equal('NetworkError');
    expect(out.version).to.equal('v20111101');
    expect(out.text).to.contain('GET /users');
  });

  it('ships declarations for every export entry, types first', () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      const conditions = target as Record<string, string>;
      expect(Object.keys(conditions)[0], entry).to.equal('types');
      expect(existsSync(resolve(root, conditions.types!)), `${entry} types`).to.equal(true);
      expect(existsSync(resolve(root, conditions.default!)), `${entry} default`).to.equal(true);
    }
  });

  it('keeps the isomorphic core free of node: imports', () => {
    const graph = importGraph(resolve(dist, 'index.js'));
    expect(graph.size).to.be.greaterThan(20);
    const offenders = [...graph].flatMap(([file, specs]) =>
      specs.filter((s) => s.startsWith('node:') || ['fs', 'path', 'crypto', 'http', 'os', 'stream'].includes(s)).map((s) => `${file}: ${s}`));
    expect(offenders).to.deep.equal([]);
  });
});
