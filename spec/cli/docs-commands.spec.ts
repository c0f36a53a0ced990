/**
 * Every command the README and the docs show is one that runs as written in a fresh clone: each `mx-statements`
 * line names a known command with known flags and valid values (parsed and validated exactly as the CLI does,
 * with the line's own environment assignments), through `npx` or the built file (never a bare `mx-statements`,
 * which is not on a fresh clone's PATH); each `npm` line names a script that exists. The docs' flag tables match
 * the flag tables of the code, defaults included. (spec/cli/fresh-clone.spec.ts runs the cheap ones.)
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parseCommandLine } from '../../lib/cli/args/parse.js';
import { flagUsage } from '../../lib/cli/args/spec.js';
import { EXIT_TABLE } from '../../lib/cli/exit-codes.js';
import { COMMANDS } from '../../lib/cli/program.js';
import { ROOT } from './helpers.js';
import { cliWords, docCommands, shellSegments } from './helpers/doc-commands.js';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
/** Other programs a docs line may pipe into. */
const TOOLS = new Set(['grep', 'head', 'tail', 'wc', 'cd', 'cat', 'ls']);

describe('cli: the commands in README.md and docs/', function () {
  this.timeout(60_000);
  const commands = docCommands();

  it('finds the commands (the lexer reads quotes, assignments, pipes and comments)', () => {
    expect(shellSegments(`A=1 B='x y' npx mx-statements fetch --institution "MX Bank" | grep x && npm test # note`)).to.deep.equal([
      { env: { A: '1', B: 'x y' }, words: ['npx', 'mx-statements', 'fetch', '--institution', 'MX Bank'] },
      { env: {}, words: ['grep', 'x'] },
      { env: {}, words: ['npm', 'test'] },
    ]);
    expect(commands.filter((c) => c.segments.some((s) => cliWords(s.words))).length).to.be.at.least(10);
    expect(commands.some((c) => c.where.startsWith('README.md'))).to.equal(true);
  });

  it('every mx-statements command parses and validates, with known flags and values', () => {
    const problems: string[] = [];
    for (const c of commands) {
      for (const s of c.segments) {
        if (s.words[0] === 'mx-statements') problems.push(`${c.where}: \`${c.line}\`: a bare mx-statements is not on a fresh clone's PATH; write npx mx-statements`);
        const words = cliWords(s.words);
        if (!words) continue;
        try {
          const parsed = parseCommandLine(words, COMMANDS);
          if (parsed.kind === 'run') parsed.command.validate(parsed.flags, s.env);
        } catch (e) {
          problems.push(`${c.where}: \`${c.line}\`: ${(e as Error).message}`);
        }
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it('every npm command names a script that exists; nothing else but a few ordinary tools', () => {
    const problems: string[] = [];
    for (const c of commands) {
      for (const s of c.segments) {
        const [tool, sub, name] = s.words;
        if (cliWords(s.words) || s.words[0] === 'mx-statements') continue;
        if (tool === 'npm') {
          const script = sub === 'run' ? name : sub;
          if (['install', 'i', 'ci', 'ls', 'pack', 'view'].includes(sub ?? '')) continue; // npm's own commands
          if (script === undefined || !(script in pkg.scripts)) problems.push(`${c.where}: \`${c.line}\`: no npm script ${String(script)}`);
        } else if (!TOOLS.has(tool ?? '')) problems.push(`${c.where}: \`${c.line}\`: ${String(tool)} is not a command a fresh clone has`);
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it("docs/cli.md lists every flag of every command with the code's default, and the exit codes", () => {
    const doc = readFileSync(path.join(ROOT, 'docs/cli.md'), 'utf8');
    for (const command of COMMANDS) {
      for (const f of command.flags) {
        const row = `| \`${flagUsage(f).replace(/\|/g, '\\|')}\` | ${f.default ?? '—'} | ${f.help} |`;
        expect(doc, `${command.name} --${f.name}`).to.contain(row);
      }
    }
    for (const r of EXIT_TABLE) expect(doc).to.match(new RegExp(`^\\| ${r.code} \\| `, 'm'));
  });

  it('npm run docs builds the API reference with no warning (mermaid blocks included)', async () => {
    const r = await run(process.execPath, [path.join(ROOT, 'node_modules/typedoc/bin/typedoc'), '--emit', 'none', '--treatWarningsAsErrors'], { cwd: ROOT, timeout: 120_000 });
    expect(`${r.stdout}${r.stderr}`).to.not.match(/warning/i);
  });
});
