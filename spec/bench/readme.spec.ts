import { readFileSync } from 'node:fs';
import { expect } from 'chai';

const read = (rel: string): string => readFileSync(new URL(`../../${rel}`, import.meta.url), 'utf8');

describe('bench: bench/README.md documents results.json', () => {
  it('has every key of the results types (bench/lib/results.ts) as `key`', () => {
    const keys = [...read('bench/lib/results.ts').matchAll(/^\s+readonly (\w+)\??:/gm)].map((m) => m[1]!);
    expect(keys.length, 'no key found: is the pattern out of date?').to.be.greaterThan(30);
    const readme = read('bench/README.md');
    expect([...new Set(keys)].filter((k) => !readme.includes(`\`${k}\``))).to.deep.equal([]);
  });
});
