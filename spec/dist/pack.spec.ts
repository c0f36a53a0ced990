/**
 * What `npm pack` would publish: the files an app gets, and the package.json fields that decide what an app's
 * install pulls in (peers, optional peers, runtime dependencies).
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

interface PackageJson {
  license: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  browser?: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as PackageJson;

/** The paths `npm pack` would put in the tarball (relative, `/`-separated). */
const packedFiles = async (): Promise<Set<string>> => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const [report] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
  return new Set(report!.files.map((f) => f.path));
};

describe('the published package (npm pack)', function () {
  this.timeout(60_000);
  let files: Set<string>;

  before(async function () {
    if (!existsSync(resolve(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
    files = await packedFiles();
  });

  it('ships an MIT LICENSE, as package.json says', () => {
    expect(pkg.license).to.equal('MIT');
    expect(files.has('LICENSE')).to.equal(true);
    expect(readFileSync(resolve(root, 'LICENSE'), 'utf8')).to.match(/^MIT License\n/);
  });

  it('has source maps whose sources are all in the tarball (JS and declaration maps)', () => {
    const maps = [...files].filter((f) => f.endsWith('.map'));
    expect(maps.length, 'no .map file packed: is the build emitting maps?').to.be.greaterThan(100);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources, sourceRoot } = JSON.parse(readFileSync(resolve(root, map), 'utf8')) as { sources: string[]; sourceRoot?: string };
      for (const source of sources) {
        const target = posix.normalize(posix.join(posix.dirname(map), sourceRoot ?? '', source));
        if (!files.has(target)) missing.push(`${map} → ${target}`);
      }
    }
    expect(missing, 'map sources that an app would not have').to.deep.equal([]);
  });

  it('makes rxjs, fp-ts and io-ts peers (one copy, the app\'s), with dev copies for our own specs', () => {
    for (const name of ['rxjs', 'fp-ts', 'io-ts']) {
      expect(pkg.peerDependencies?.[name], `${name} peer`).to.be.a('string');
      expect(pkg.devDependencies?.[name], `${name} dev copy`).to.be.a('string');
      expect(pkg.dependencies?.[name], `${name} must not be a dependency`).to.equal(undefined);
      expect(pkg.peerDependenciesMeta?.[name]?.optional ?? false, `${name} is required`).to.equal(false);
    }
  });

  it('makes Angular (21.x), BullMQ and ioredis optional peers, installed here only as dev dependencies', () => {
    for (const name of ['@angular/core', '@angular/common', 'bullmq', 'ioredis']) {
      expect(pkg.peerDependencies?.[name], `${name} peer`).to.be.a('string');
      expect(pkg.peerDependenciesMeta?.[name]?.optional, `${name} optional`).to.equal(true);
      expect(pkg.dependencies?.[name], `${name} must not be a dependency`).to.equal(undefined);
    }
    expect(pkg.peerDependencies?.['@angular/core']).to.match(/^\^21\./);
  });

  it('declares every package the built code imports (as a dependency or a peer)', () => {
    const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
    const undeclared = new Set<string>();
    for (const file of [...files].filter((f) => f.startsWith('dist/') && f.endsWith('.js'))) {
      const source = readFileSync(resolve(root, file), 'utf8');
      for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"./][^'"]*)['"]|import\(\s*['"]([^'"./][^'"]*)['"]\s*\)/g)) {
        const spec = (m[1] ?? m[2])!;
        if (spec.startsWith('node:')) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (name !== 'mx-statements-rx' && !declared.has(name)) undeclared.add(`${name} (${file})`);
      }
    }
    expect([...undeclared]).to.deep.equal([]);
  });

  it('depends at run time on cross-fetch only (the CLI and the sandbox run on Node built-ins)', () => {
    expect(Object.keys(pkg.dependencies ?? {})).to.deep.equal(['cross-fetch']);
  });

  it('maps cross-fetch, the Node fetch and fp-ts/lib for browser bundlers to files the tarball has', () => {
    expect(pkg.browser?.['cross-fetch']).to.equal('./dist/browser/native-fetch.js');
    expect(files.has('dist/browser/native-fetch.js')).to.equal(true);
    expect(pkg.browser?.['./dist/http/node-http-fetch.js']).to.equal('./dist/browser/no-node-http.js');
    expect(files.has('dist/http/node-http-fetch.js') && files.has('dist/browser/no-node-http.js')).to.equal(true);
    expect(pkg.browser?.['fp-ts/lib/Either.js']).to.equal('fp-ts/es6/Either.js');
  });
});
