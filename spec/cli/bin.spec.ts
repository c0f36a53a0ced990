/**
 * The `mx-statements` bin stays executable across builds. `npx mx-statements` in a checkout links the package into
 * npm's cache once and marks the bin executable then; `npm run build` (which `npm test` runs) writes dist/ anew, and
 * tsc writes files without the x bit, so every README command failed afterwards with "mx-statements: Permission
 * denied" (exit 127). The build marks it executable again; this spec runs on what `npm test` just built.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { CLI, ROOT } from './helpers.js';

describe('cli: the bin', () => {
  it('is the built dist/cli/main.js, executable as is (a shebang and the x bit), and runs without node in front', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; version: string };
    expect(path.resolve(ROOT, pkg.bin['mx-statements'] ?? '')).to.equal(CLI);
    expect(readFileSync(CLI, 'utf8').split('\n')[0]).to.equal('#!/usr/bin/env node');
    expect(statSync(CLI).mode & 0o111, 'executable by its owner, group and others').to.equal(0o111);
    expect(execFileSync(CLI, ['--version'], { encoding: 'utf8', timeout: 15_000 }).trim()).to.equal(pkg.version);
  });
});
