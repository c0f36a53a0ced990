/**
 * An Angular 21 app as a consumer of the published package: the example app (examples/angular) installs the
 * tarball `npm pack` makes, compiles with provideMxClient (ng build, strict templates), runs its own
 * HttpTestingController spec (ng test: vitest + jsdom, the runner Angular 21's CLI sets up), and holds one rxjs
 * and one fp-ts build.
 */
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleApp, type ExampleApp } from '../browser/helpers/example-app.js';
import { run } from '../browser/helpers/run.js';

describe('a consumer Angular 21 app installing the packed tarball (examples/angular)', function () {
  // Cold: the app's dependencies are installed first (shared with the browser specs).
  this.timeout(20 * 60_000);
  let app: ExampleApp;

  before(async () => {
    app = await exampleApp();
  });

  it('installs the tarball itself, with no copy of its peers of its own', () => {
    const installed = join(app.root, 'node_modules/mx-statements-rx');
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string };
    expect(app.tarball.endsWith(`mx-statements-rx-${pkg.version}.tgz`)).to.equal(true);
    expect(existsSync(join(installed, 'dist/angular/index.js'))).to.equal(true);
    for (const peer of ['rxjs', 'fp-ts', 'io-ts', '@angular/core']) expect(existsSync(join(installed, 'node_modules', peer)), peer).to.equal(false);
  });

  it('has a single rxjs (npm ls)', async () => {
    const out = await run('npm', ['ls', 'rxjs', '--all', '--parseable'], { cwd: app.root, timeoutMs: 60_000 });
    const copies = out.split('\n').filter((line) => line.endsWith('/rxjs'));
    expect(copies).to.deep.equal([join(app.root, 'node_modules/rxjs')]);
  });

  it('compiles with provideMxClient into a bundle with one fp-ts build and no fetch polyfill', () => {
    const inputs = Object.keys(app.stats.inputs);
    expect(inputs.some((i) => i.endsWith('mx-statements-rx/dist/angular/provide.js'))).to.equal(true);
    expect(inputs.some((i) => i.endsWith('mx-statements-rx/dist/browser/native-fetch.js'))).to.equal(true);
    const fpTs = inputs.filter((i) => i.includes('fp-ts/'));
    expect(fpTs.length).to.be.greaterThan(3);
    expect(fpTs.filter((i) => !i.startsWith('node_modules/fp-ts/es6/'))).to.deep.equal([]);
    expect(inputs.filter((i) => /cross-fetch|whatwg-fetch|node-fetch/.test(i))).to.deep.equal([]);
  });

  it('passes its own HttpTestingController spec (ng test)', async () => {
    const out = await run('npx', ['ng', 'test', '--watch=false'], { cwd: app.root, timeoutMs: 10 * 60_000 });
    // statements.service.spec.ts (4), oauth-popup.spec.ts (6) and view-state.spec.ts (2)
    expect(out).to.match(/Tests\s+12 passed \(12\)/);
  });
});
