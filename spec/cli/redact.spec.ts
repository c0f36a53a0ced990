import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createRedactor, guardStreams } from '../../lib/cli/redact.js';
import { registerArgvSecrets } from '../../lib/cli/main.js';

describe('cli: redaction', () => {
  it('scrubs every registered secret, longest first, and ignores very short values', () => {
    const r = createRedactor();
    r.add('hunter2', 'hunter2-long', 'ab', undefined);
    expect(r.scrub('a hunter2-long and hunter2 and ab')).to.equal('a [redacted] and [redacted] and ab');
  });

  it('scrubs the Basic Authorization forms of the keys', () => {
    const r = createRedactor();
    r.addBasicAuth('client-1', 'key-XYZ-123');
    const header = `Basic ${Buffer.from('client-1:key-XYZ-123').toString('base64')}`;
    expect(r.scrub(`sent ${header}`)).to.equal('sent Basic [redacted]');
    expect(r.scrub('key-XYZ-123')).to.equal('[redacted]');
  });

  it('never scrubs exempted public values, even when added later', () => {
    const r = createRedactor();
    r.add('challenge');
    r.exempt(['challenge']);
    r.add('challenge', 'private-pw');
    expect(r.scrub('challenge private-pw')).to.equal('challenge [redacted]');
  });

  it('guards a stream: strings and bytes are scrubbed before they are written; restore puts write back', () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk.toString());
        cb();
      },
    });
    const r = createRedactor();
    r.add('s3cr3t-value');
    const restore = guardStreams([sink as unknown as NodeJS.WriteStream], r);
    sink.write('a s3cr3t-value b\n');
    sink.write(Buffer.from('bytes s3cr3t-value\n'));
    restore();
    sink.write('after s3cr3t-value\n');
    expect(chunks).to.deep.equal(['a [redacted] b\n', 'bytes [redacted]\n', 'after s3cr3t-value\n']);
  });

  it('registers secrets from argv (both flag forms) and the environment before parsing', () => {
    const r = createRedactor();
    registerArgvSecrets(['fetch', '--api-key', 'k-111', '--password=pw-222', '--mfa-answer', 'ans-333'], { MX_MEMBER_PASSWORD: 'env-444' }, r);
    expect(r.scrub('k-111 pw-222 ans-333 env-444')).to.equal('[redacted] [redacted] [redacted] [redacted]');
  });
});
