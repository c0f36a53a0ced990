/**
 * Property tests of every io-ts codec the library exports, through `decodeBody` and `parseJsonBody` (what the
 * transport uses): whatever the input, no throw, and a failure is a typed `DecodeError` with readable lines.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import * as codecs from '../../lib/codecs/index.js';
import { decodeBody, parseJsonBody } from '../../lib/codecs/decode.js';
import { exampleOf } from '../helpers/openapi.js';
import { anyValue, bodyText } from './helpers/arbitraries.js';
import { expectReadableError } from './helpers/readable.js';

const REF = { method: 'GET', path: '/users/USR-1/members' } as const;

/** Every io-ts codec exported from `lib/codecs`, found by value so a new codec is covered automatically. */
const ALL = Object.entries(codecs).filter((e): e is [string, t.Mixed] => e[1] instanceof t.Type);

/** The codecs whose OpenAPI component has an example (the envelopes and request bodies). */
const withExample = ALL.flatMap(([name, codec]) => {
  try {
    const example = exampleOf(codec.name);
    return example === undefined ? [] : [{ name, codec, example }];
  } catch {
    return [];
  }
});

/** Every path to a value inside `v` (object keys and array indexes). */
const pathsOf = (v: unknown, prefix: ReadonlyArray<string | number> = []): Array<ReadonlyArray<string | number>> => {
  if (typeof v !== 'object' || v === null) return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  return entries.flatMap(([k, child]) => [[...prefix, k], ...pathsOf(child, [...prefix, k])]);
};

const setAt = (root: unknown, at: ReadonlyArray<string | number>, value: unknown): unknown => {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let cur = copy;
  for (const k of at.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[at[at.length - 1] ?? ''] = value;
  return copy;
};

/** A value whose every property access throws, and one whose getter throws. */
const hostileObjects = (): unknown[] => {
  const trap = () => {
    throw new Error('trap');
  };
  const proxy = new Proxy({}, { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap });
  const getter = Object.defineProperty({}, 'user', { enumerable: true, get: trap });
  const cyclic: Record<string, unknown> = { guid: 'X' };
  cyclic.self = cyclic;
  cyclic.user = cyclic;
  cyclic.members = [cyclic];
  let deep: unknown = 'bottom';
  for (let i = 0; i < 10_000; i++) deep = { member: deep, members: [deep] };
  return [proxy, getter, cyclic, deep, Object.create(null), new Array(1e6), Symbol('s'), () => 1, 10n];
};

describe('reliability: codec properties', () => {
  it('covers every exported codec (and the envelopes have spec examples)', () => {
    expect(ALL.length).to.be.at.least(25);
    expect(withExample.map((c) => c.name)).to.include.members(['MemberStatusResponseBody', 'StatementsResponseBody', 'UserResponseBody']);
  });

  for (const [name, codec] of ALL) {
    it(`${name}: any value decodes to Right or a readable DecodeError, never a throw`, () => {
      fc.assert(
        fc.property(anyValue(), (value) => {
          const result = decodeBody(codec, value, REF);
          if (E.isLeft(result)) {
            const e = expectReadableError(result.left, REF);
            expect(e._tag).to.equal('DecodeError');
            expect(e.message).to.include(codec.name);
          }
        }),
        { numRuns: 150, seed: 0x5eed },
      );
    });
  }

  for (const { name, codec, example } of withExample) {
    it(`${name}: its spec example with one field replaced by junk fails only with readable paths`, () => {
      expect(E.isRight(decodeBody(codec, example, REF)), 'the example itself decodes').to.equal(true);
      const paths = pathsOf(example);
      fc.assert(
        fc.property(fc.constantFrom(...paths), anyValue(), (at, junk) => {
          const result = decodeBody(codec, setAt(example, at, junk), REF);
          if (E.isLeft(result)) {
            const e = expectReadableError(result.left, REF);
            if (e._tag !== 'DecodeError') throw new Error('not a DecodeError');
            expect(e.errors.length).to.be.within(1, 21);
            // The first problem names a path inside the replaced field (or an enclosing one).
            const top = String(at[0]);
            expect(e.errors.some((l) => l.startsWith(top) || l.startsWith('(root)')), e.errors.join('\n')).to.equal(true);
          }
        }),
        { numRuns: 200, seed: 0xc0dec },
      );
    });
  }

  it('hostile JS values (throwing proxies and getters, cycles, 10 000 levels deep) never make a codec throw', () => {
    for (const [, codec] of ALL) {
      for (const value of hostileObjects()) {
        const result = decodeBody(codec, value, REF);
        if (E.isLeft(result)) expectReadableError(result.left, REF);
      }
    }
  });

  it('parseJsonBody: any text gives the parsed JSON or a readable "not valid JSON" DecodeError', () => {
    fc.assert(
      fc.property(bodyText(), (text) => {
        const result = parseJsonBody(text, REF);
        let expected: unknown;
        let valid = true;
        try {
          expected = JSON.parse(text);
        } catch {
          valid = false;
        }
        if (valid) expect(result).to.deep.equal(E.right(expected));
        else {
          expect(E.isLeft(result)).to.equal(true);
          if (E.isLeft(result)) expect(expectReadableError(result.left, REF).message).to.include('not valid JSON');
        }
      }),
      { numRuns: 300, seed: 0x15011 },
    );
  });
});
