import { expect } from 'chai';
import fc from 'fast-check';
import {
  ConnectionStatus, KNOWN_CONNECTION_STATUSES, classifyConnectionStatus, isKnownConnectionStatus, type KnownConnectionStatus,
} from '../../lib/codecs/connection-status.js';
import { decodeErrors, decodeOk } from './assert.js';

const TABLE: Record<ReturnType<typeof classifyConnectionStatus>, KnownConnectionStatus[]> = {
  connected: ['CONNECTED'],
  challenged: ['CHALLENGED'],
  terminal: [
    'PREVENTED', 'DENIED', 'REJECTED', 'EXPIRED', 'LOCKED', 'IMPEDED', 'IMPAIRED', 'IMPORTED', 'DISABLED', 'DISCONTINUED',
    'CLOSED', 'DEGRADED', 'DISCONNECTED', 'FAILED',
  ],
  transient: ['CREATED', 'UPDATED', 'DELAYED', 'RESUMED', 'PENDING', 'RECONNECTED'],
};

describe('codecs/ConnectionStatus', () => {
  it('knows the 22 statuses of the v20250224 enum (23 with null)', () => {
    expect(KNOWN_CONNECTION_STATUSES).to.have.length(22);
    expect(new Set(KNOWN_CONNECTION_STATUSES).size).to.equal(22);
    expect([...Object.values(TABLE).flat()].sort()).to.deep.equal([...KNOWN_CONNECTION_STATUSES].sort());
  });

  it('decodes known and unknown strings unchanged', () => {
    expect(decodeOk(ConnectionStatus, 'CONNECTED')).to.equal('CONNECTED');
    expect(decodeOk(ConnectionStatus, 'SOMETHING_NEW')).to.equal('SOMETHING_NEW');
    fc.assert(fc.property(fc.string(), (s) => ConnectionStatus.is(s) && decodeOk(ConnectionStatus, s) === s));
  });

  it('rejects non-strings as "expected ConnectionStatus"', () => {
    expect(decodeErrors(ConnectionStatus, 42)).to.deep.equal(['(root): expected ConnectionStatus, got 42']);
    expect(decodeErrors(ConnectionStatus, null)).to.deep.equal(['(root): expected ConnectionStatus, got null']);
  });

  it('isKnownConnectionStatus tells known from unknown', () => {
    for (const s of KNOWN_CONNECTION_STATUSES) expect(isKnownConnectionStatus(s)).to.equal(true);
    expect(isKnownConnectionStatus('HALTED')).to.equal(false);
    expect(isKnownConnectionStatus('connected')).to.equal(false);
    expect(isKnownConnectionStatus(null)).to.equal(false);
  });

  describe('classifyConnectionStatus (mx-api-facts.md §4)', () => {
    for (const [cls, statuses] of Object.entries(TABLE)) {
      for (const s of statuses) {
        it(`${s} → ${cls}`, () => expect(classifyConnectionStatus(s)).to.equal(cls));
      }
    }

    it('null, undefined and unknown strings → transient', () => {
      expect(classifyConnectionStatus(null)).to.equal('transient');
      expect(classifyConnectionStatus(undefined)).to.equal('transient');
      expect(classifyConnectionStatus('HALTED')).to.equal('transient');
      expect(classifyConnectionStatus('')).to.equal('transient');
    });

    it('is total: any string gets one of the four classes', () => {
      fc.assert(fc.property(fc.string(), (s) =>
        ['transient', 'challenged', 'connected', 'terminal'].includes(classifyConnectionStatus(s))));
    });
  });
});
