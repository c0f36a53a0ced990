/**
 * The README contract, in a fresh copy of the repository (the files git tracks or would track, as a fresh clone
 * has them): `npm install` builds the CLI (the `prepare` script) without rewriting package-lock.json, and then
 * the cheap commands of the README and the docs run as written: `npm start`, every `npx mx-statements` command
 * against the embedded sandbox, help and version, and the standalone sandbox (with `--port 0` instead of its fixed
 * port: specs never take a fixed port). Commands that need MX itself (`--env`) are checked by
 * docs-commands.spec.ts only. Needs the npm registry (or npm's cache), as `npm install` does.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { expect } from 'chai';
import { ROOT } from './helpers.js';
import { cliWords, type DocCommand } from './helpers/doc-commands.js';

interface Ran {
  readonly code: number | null;
  readonly out: string;
}

/** Runs `sh -c line` in `cwd` in its own process group; kills the group after `timeoutMs`. */
const sh = (line: string, cwd: string, timeoutMs: number, until?: RegExp): Promise<Ran> =>
  new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('npm_') || k.startsWith('MX_')) delete env[k];
    const child = spawn('sh', ['-c', line], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-(child.pid ?? 0), signal);
      } catch {
        // gone already
      }
    };
    const timer = setTimeout(() => {
      kill('SIGKILL');
      reject(new Error(`\`${line}\` did not finish within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (c: Buffer) => {
      out += c.toString();
      if (until?.test(out)) kill('SIGINT');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });

/**
 * The commands worth running here: the CLI against the embedded sandbox, help, version, the sandbox, npm start (not
 * those that wait for a person or for other processes: an OAuth sign-in, a fleet on Redis).
 */
const cheap = (c: DocCommand): boolean => {
  const first = c.segments[0];
  if (!first) return false;
  if (first.words.join(' ') === 'npm start') return true;
  const words = cliWords(first.words);
  if (!words || Object.keys(first.env).length > 0) return false;
  if (words.some((w) => /^--(env|base-url|members|queue)(=|$)/.test(w))) return false;
  // An OAuth fetch waits for a person to press Authorize in a browser: the specs do that (e2e-today, terminal).
  if (words.includes('mx_bank_oauth')) return false;
  return words.length === 0 || ['fetch', 'sync', 'sandbox', '--help', '-h', '--version', '-V'].includes(words[0] ?? '');
};

describe('cli: a fresh clone (npm install, then the commands of the README and the docs, as written)', function () {
  this.timeout(600_000);
  let copy: string;

  before(function () {
    copy = mkdtempSync(path.join(tmpdir(), 'mx-fresh-clone-'));
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT }).toString().split('\0').filter((f) => f !== '');
    for (const f of files) {
      if (!existsSync(path.join(ROOT, f))) continue; // deleted in the working tree
      mkdirSync(path.dirname(path.join(copy, f)), { recursive: true });
      cpSync(path.join(ROOT, f), path.join(copy, f));
    }
  });

  after(function () {
    if (!copy) return;
    rmSync(copy, { recursive: true, force: true });
    // npx linked the copy's bin into its cache: remove that entry too.
    const cache = path.join(homedir(), '.npm', '_npx');
    for (const d of existsSync(cache) ? readdirSync(cache) : []) {
      const manifest = path.join(cache, d, 'package.json');
      if (existsSync(manifest) && readFileSync(manifest, 'utf8').includes(path.basename(copy))) rmSync(path.join(cache, d), { recursive: true, force: true });
    }
  });

  it('npm install builds the CLI and leaves package-lock.json as committed', async () => {
    const lock = readFileSync(path.join(copy, 'package-lock.json'), 'utf8');
    const r = await sh('npm install --no-audit --no-fund --prefer-offline', copy, 300_000);
    expect(r.code, r.out).to.equal(0);
    expect(existsSync(path.join(copy, 'dist/cli/main.js')), 'dist/cli/main.js').to.equal(true);
    expect(readFileSync(path.join(copy, 'package-lock.json'), 'utf8') === lock, 'package-lock.json was rewritten').to.equal(true);
  });

  it('then every cheap command of the README and the docs runs as written and exits 0', async () => {
    const { docCommands } = await import('./helpers/doc-commands.js');
    const commands = docCommands().filter(cheap);
    expect(commands.map((c) => c.line)).to.include.members(['npm start', 'npx mx-statements fetch']);
    const failures: string[] = [];
    const seen = new Set<string>();
    for (const c of commands) {
      const line = c.line.replace(/--port \d+/, '--port 0');
      if (seen.has(line)) continue;
      seen.add(line);
      const sandbox = cliWords(c.segments[0]?.words ?? [])?.[0] === 'sandbox';
      const r = await sh(line, copy, 120_000, sandbox ? /listening on http:\/\/\S+:\d+/ : undefined);
      // The sandbox runs until Ctrl-C: the whole process group gets it, so the shell around it dies by the signal;
      // the sandbox itself must have stopped cleanly.
      const ok = sandbox ? /^sandbox stopped$/m.test(r.out) : r.code === 0;
      if (!ok) failures.push(`${c.where}: \`${c.line}\` exited ${String(r.code)}:\n${r.out.slice(-2_000)}`);
    }
    expect(failures).to.deep.equal([]);
    expect(readdirSync(path.join(copy, 'statements')).length, 'PDFs in ./statements').to.be.greaterThan(0);
  });
});
