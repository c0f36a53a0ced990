import { expect } from 'chai';
import { ensureDebianTool, findCommand } from './debian-tool.js';

describe('spec helpers: ensureDebianTool', () => {
  it('finds a command on the PATH without installing anything', () => {
    expect(ensureDebianTool('sh', 'dash')).to.equal(findCommand('sh'));
  });

  it('refuses, naming the Debian package to install, when the command is missing and this process is not root', () => {
    const getuid = process.getuid;
    process.getuid = () => 1000;
    try {
      expect(() => ensureDebianTool('mx-no-such-command', 'mx-no-such-package'))
        .to.throw(/mx-no-such-command is missing: install the Debian package mx-no-such-package \(sudo apt-get install -y mx-no-such-package\)/);
    } finally {
      process.getuid = getuid;
    }
  });
});
