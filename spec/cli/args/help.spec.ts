import { expect } from 'chai';
import { commandHelp, flagHelp, programHelp } from '../../../lib/cli/args/help.js';
import { flagUsage } from '../../../lib/cli/args/spec.js';
import { EXIT_TABLE } from '../../../lib/cli/exit-codes.js';
import { COMMANDS } from '../../../lib/cli/program.js';
import { displayWidth } from '../../../lib/cli/render/text.js';

describe('cli: args/help', () => {
  it('the top-level help lists every command and the exit-code table, once', () => {
    const text = programHelp(COMMANDS, '1.2.3', 80);
    for (const c of COMMANDS) expect(text).to.match(new RegExp(`^  ${c.name} `, 'm'));
    for (const r of EXIT_TABLE) expect(text).to.match(new RegExp(`^ *${r.code}  `, 'm'));
    expect(text.match(/Exit codes:/g)).to.have.length(1);
  });

  it("a command's help lists each flag with its default in one style, and points to the exit codes instead of repeating them", () => {
    for (const c of COMMANDS) {
      const text = commandHelp(c, 100);
      const joined = text.replace(/\n +/g, ' ');
      for (const f of c.flags) {
        expect(text, `${c.name}: ${flagUsage(f)}`).to.contain(flagUsage(f));
        expect(joined, `${c.name} --${f.name}`).to.contain(flagHelp(f).replace(/\s+/g, ' '));
      }
      expect(text).to.not.match(/^ *130 /m);
      expect(text).to.contain('Exit codes: listed by `mx-statements --help`.');
      for (const f of c.flags.filter((x) => x.default === undefined)) expect(joined).to.not.contain(`${f.help} (default`);
      expect(text).to.not.match(/\[default|default \w+\)|\(default [^:]/);
    }
  });

  for (const columns of [60, 80, 120]) {
    it(`fits ${columns} columns: no line wider than the terminal but the examples, which stay whole`, () => {
      for (const c of COMMANDS) {
        for (const line of commandHelp(c, columns).split('\n')) {
          if (line.startsWith('  mx-statements ')) continue; // an example: one command to copy
          expect(displayWidth(line), `${c.name}: ${line}`).to.be.below(columns);
        }
        for (const e of c.examples ?? []) expect(commandHelp(c, columns)).to.contain(`  mx-statements ${e}\n`);
      }
      for (const line of programHelp(COMMANDS, '1.2.3', columns).split('\n')) expect(displayWidth(line), line).to.be.below(columns);
    });
  }
});
