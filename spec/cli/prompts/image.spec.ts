import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { decodeImageData, inlineImageProtocol, inlineImageSequence, savedImages } from '../../../lib/cli/prompts/image.js';

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]).toString('base64');

describe('cli: prompts/image', () => {
  it('decodes a data URI or bare base64 (either alphabet), judging the format by the bytes', () => {
    expect(decodeImageData(`data:image/png;base64,${PNG_1PX}`)?.format).to.equal('png');
    expect(decodeImageData(`data:image/jpeg;base64,${PNG_1PX}`)?.format).to.equal('png');
    expect(decodeImageData(JPEG)).to.deep.include({ format: 'jpeg', extension: 'jpg' });
    expect(decodeImageData(` ${PNG_1PX.slice(0, 20)}\n${PNG_1PX.slice(20)} `)?.format).to.equal('png');
    expect(decodeImageData(PNG_1PX.replace(/\+/g, '-').replace(/\//g, '_'))?.format).to.equal('png');
    expect(decodeImageData('data:text/plain,hello')).to.equal(undefined);
    expect(decodeImageData('not base64 !!')).to.equal(undefined);
    expect(decodeImageData('')).to.equal(undefined);
  });

  it('detects inline pictures conservatively from the environment: never inside tmux or screen', () => {
    expect(inlineImageProtocol({ TERM: 'xterm-kitty' })).to.equal('kitty');
    expect(inlineImageProtocol({ KITTY_WINDOW_ID: '3', TERM: 'xterm-256color' })).to.equal('kitty');
    expect(inlineImageProtocol({ TERM_PROGRAM: 'ghostty' })).to.equal('kitty');
    expect(inlineImageProtocol({ TERM_PROGRAM: 'iTerm.app' })).to.equal('iterm');
    expect(inlineImageProtocol({ LC_TERMINAL: 'iTerm2' })).to.equal('iterm');
    expect(inlineImageProtocol({ TERM_PROGRAM: 'WezTerm' })).to.equal('iterm');
    expect(inlineImageProtocol({ TERM: 'xterm-256color' })).to.equal(undefined);
    expect(inlineImageProtocol({ TERM: 'xterm-kitty', TMUX: '/tmp/tmux-0/default,1,0' })).to.equal(undefined);
    expect(inlineImageProtocol({ TERM_PROGRAM: 'iTerm.app', TERM: 'screen-256color' })).to.equal(undefined);
    expect(inlineImageProtocol({ TERM_PROGRAM: 'iTerm.app', STY: '1.pts-0' })).to.equal(undefined);
  });

  it("writes kitty's graphics protocol in 4096-byte chunks (PNG only) and iTerm2's inline file (PNG, JPEG)", () => {
    const big = decodeImageData(Buffer.concat([Buffer.from(PNG_1PX, 'base64'), Buffer.alloc(5000, 7)]).toString('base64'));
    if (!big) throw new Error('decode failed');
    const kitty = inlineImageSequence('kitty', big) ?? '';
    const chunks = [...kitty.matchAll(/\u001b_G([^;]*);([A-Za-z0-9+/=]*)\u001b\\/g)];
    expect(chunks.length).to.equal(Math.ceil(big.bytes.toString('base64').length / 4096));
    expect(chunks[0]?.[1]).to.equal('f=100,a=T,t=d,q=2,m=1');
    expect(chunks.at(-1)?.[1]).to.equal('m=0');
    expect(Buffer.from(chunks.map((c) => c[2]).join(''), 'base64').equals(big.bytes)).to.equal(true);
    const jpeg = decodeImageData(JPEG);
    if (!jpeg) throw new Error('decode failed');
    expect(inlineImageSequence('kitty', jpeg)).to.equal(undefined);
    const iterm = inlineImageSequence('iterm', jpeg) ?? '';
    expect(iterm).to.equal(`\u001b]1337;File=inline=1;size=${jpeg.bytes.length};preserveAspectRatio=1:${JPEG}\u0007\n`);
  });

  it('saves pictures in a private temporary folder, removed with everything in it', async () => {
    const images = savedImages();
    const image = decodeImageData(PNG_1PX);
    if (!image) throw new Error('decode failed');
    const file = await images.save(image, 'choice-1');
    const second = await images.save(image, '../../etc/evil');
    expect(path.basename(file)).to.equal('choice-1.png');
    expect(path.dirname(second)).to.equal(path.dirname(file));
    expect(readFileSync(file).equals(image.bytes)).to.equal(true);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).to.equal(0o700);
    await images.dispose();
    await images.dispose();
    expect(existsSync(path.dirname(file))).to.equal(false);
  });
});
