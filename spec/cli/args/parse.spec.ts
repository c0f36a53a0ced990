import { expect } from 'chai';
import { closest, parseCommandLine, parseFlags, secretValues } from '../../../lib/cli/args/parse.js';
import { flagKey, flagUsage, type CommandSpec } from '../../../lib/cli/args/spec.js';
import { COMMANDS } from '../../../lib/cli/program.js';
import { expectUsageError } from '../helpers.js';
import { EXIT } from '../../../lib/cli/exit-codes.js';

const TOY: CommandSpec = {
  name: 'toy',
  summary: 'a toy',
  description: 'A toy command.',
  flags: [
    { name: 'out', value: 'DIR', help: 'where', group: 'G' },
    { name: 'env', value: 'NAME', choices: ['integration', 'production'], help: 'env', group: 'G' },
    { name: 'answer', value: 'TEXT', repeatable: true, secret: true, help: 'answers', group: 'G' },
    { name: 'password', value: 'PW', secret: true, help: 'pw', group: 'G' },
    { name: 'no-download', help: 'list only', group: 'G' },
    { name: 'json', help: 'json', group: 'G' },
  ],
  validate: () => undefined,
  run: async () => EXIT.ok,
};

const usage = (fn: () => unknown, flag: string | undefined, text: RegExp): void => void expectUsageError(fn, flag, text);

describe('cli: args/parse', () => {
  it('reads --flag value and --flag=value, switches, repeatable flags in order, and keys them in camelCase', () => {
    expect(parseFlags(['--out', 'a', '--env=production', '--answer', 'x', '--answer=y', '--no-download', '--json'], TOY)).to.deep.equal({
      out: 'a', env: 'production', answer: ['x', 'y'], noDownload: true, json: true,
    });
    expect(parseFlags([], TOY)).to.deep.equal({});
    expect(flagKey('seed-users')).to.equal('seedUsers');
  });

  it('takes a value that starts with a dash, unless it is one of the flags (a forgotten value)', () => {
    expect(parseFlags(['--password', '-x1!'], TOY)).to.deep.equal({ password: '-x1!' });
    expect(parseFlags(['--password=--json'], TOY)).to.deep.equal({ password: '--json' });
    usage(() => parseFlags(['--password', '--json'], TOY), '--password', /--password needs a value/);
    usage(() => parseFlags(['--out'], TOY), '--out', /--out needs a value \(--out DIR\)/);
  });

  it('names the flag at fault: unknown (with a suggestion), bad choice, given twice, value on a switch', () => {
    usage(() => parseFlags(['--pasword', 'x'], TOY), '--pasword', /unknown flag --pasword \(did you mean --password\?\)/);
    usage(() => parseFlags(['--zzz'], TOY), '--zzz', /^unknown flag --zzz$/);
    usage(() => parseFlags(['-o', 'x'], TOY), '-o', /unknown flag -o/);
    usage(() => parseFlags(['--env', 'staging'], TOY), '--env', /--env must be integration or production, got "staging"/);
    usage(() => parseFlags(['--out', 'a', '--out', 'b'], TOY), '--out', /--out is given twice/);
    usage(() => parseFlags(['--json=yes'], TOY), '--json', /--json takes no value/);
    usage(() => parseFlags(['stray'], TOY), undefined, /takes no arguments, got "stray"/);
    usage(() => parseFlags(['--', 'x'], TOY), undefined, /takes no arguments/);
  });

  it('parses a whole command line: help and version win, commands are named, typos suggested', () => {
    expect(parseCommandLine([], COMMANDS)).to.deep.equal({ kind: 'help' });
    expect(parseCommandLine(['--help'], COMMANDS)).to.deep.equal({ kind: 'help' });
    expect(parseCommandLine(['-V'], COMMANDS)).to.deep.equal({ kind: 'version' });
    const h = parseCommandLine(['fetch', '--out', 'x', '-h'], COMMANDS);
    expect(h.kind === 'help' && h.command?.name).to.equal('fetch');
    const help = parseCommandLine(['help', 'sync'], COMMANDS);
    expect(help.kind === 'help' && help.command?.name).to.equal('sync');
    const run = parseCommandLine(['sync', '--concurrency', '8'], COMMANDS);
    expect(run.kind === 'run' && run.flags).to.deep.equal({ concurrency: '8' });
    usage(() => parseCommandLine(['fetcj'], COMMANDS), undefined, /unknown command "fetcj" \(did you mean fetch\?\)/);
    usage(() => parseCommandLine(['--json'], COMMANDS), '--json', /flags go after the command/);
  });

  it('finds secret values in argv in both forms, for every command', () => {
    expect(secretValues(['fetch', '--api-key', 'k1', '--password=p2', '--mfa-answer', 'a3', '--out', 'o'], COMMANDS)).to.deep.equal(['k1', 'p2', 'a3']);
    expect(secretValues(['sandbox', '--api-key=k9'], COMMANDS)).to.deep.equal(['k9']);
  });

  it('suggests only close names', () => {
    expect(closest('concurency', ['concurrency', 'out'])).to.equal('concurrency');
    expect(closest('xyz', ['concurrency', 'out'])).to.equal(undefined);
  });

  it('every flag of every command is well formed: unique, kebab-case, documented, defaults in one style', () => {
    for (const c of COMMANDS) {
      const names = c.flags.map((f) => f.name);
      expect(new Set(names).size, c.name).to.equal(names.length);
      for (const f of c.flags) {
        expect(f.name, c.name).to.match(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
        expect(f.help, `${c.name} --${f.name}`).to.be.a('string').and.not.match(/\bdefaults?\b|^\s*$/i);
        if (f.default !== undefined) expect(f.default, `${c.name} --${f.name}`).to.not.match(/^\(|default/);
        expect(flagUsage(f)).to.match(/^--[a-z]/);
      }
    }
  });
});
