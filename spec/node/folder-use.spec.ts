import { expect } from 'chai';
import { mkdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { folderUsers, removeIfUnused, useFolder } from '../../lib/node/folder-use.js';
import { makeTempDir } from './helpers.js';

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

describe('node/folder-use', () => {
  let dir = '';
  let cleanup: () => Promise<void> = async () => undefined;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  it('an empty folder another holder uses stays; once every holder released it, it goes', async () => {
    const member = path.join(dir, 'MBR-1');
    await mkdir(member);
    const mine = useFolder(member);
    const theirs = useFolder(member);
    await removeIfUnused(member, 1);
    expect(await exists(member), 'kept while the other holder uses it').to.equal(true);
    theirs();
    theirs(); // a second release does nothing
    expect(folderUsers(member)).to.equal(1);
    await removeIfUnused(member, 1);
    expect(await exists(member), 'removed: only the caller held it').to.equal(false);
    mine();
    expect(folderUsers(member)).to.equal(0);
  });

  it('never removes a folder with something in it, and never throws (a folder that is gone already)', async () => {
    const member = path.join(dir, 'MBR-2');
    await mkdir(path.join(member, 'inner'), { recursive: true });
    await removeIfUnused(member);
    expect(await exists(member)).to.equal(true);
    await removeIfUnused(path.join(dir, 'never-there'));
  });
});
