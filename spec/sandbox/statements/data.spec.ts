import { expect } from 'chai';
import { accountCountFor } from '../../../lib/sandbox/statements/accounts.js';
import { statementData, type StatementDataOptions } from '../../../lib/sandbox/statements/index.js';

const base: StatementDataOptions = { seed: 'spec', memberGuid: 'MBR-data', institutionName: 'MX Bank', count: 6 };
const members = Array.from({ length: 8 }, (_, i) => `MBR-${i}`);

describe('sandbox/statements statementData', () => {
  it('lays 6 statements out as 2 accounts (checking, savings) × the 3 months before the reference date', () => {
    const data = statementData(base);
    expect(data.map((s) => [s.account.index, s.account.kind, s.period.start])).to.deep.equal([
      [0, 'checking', '2026-08-01'], [0, 'checking', '2026-09-01'], [0, 'checking', '2026-10-01'],
      [1, 'savings', '2026-08-01'], [1, 'savings', '2026-09-01'], [1, 'savings', '2026-10-01'],
    ]);
    expect(data.map((s) => s.createdAt)).to.include('2026-11-01T06:00:00+00:00');
    expect(new Set(data.map((s) => s.guid)).size).to.equal(6);
    for (const s of data) {
      expect(s.guid).to.match(/^STA-[0-9a-f]{32}$/);
      expect(s.account.guid).to.match(/^ACT-[0-9a-f]{32}$/);
      expect(s.account.name.startsWith('MX Bank ')).to.equal(true);
      expect(s.account.maskedNumber).to.equal(`******${s.account.number.slice(-4)}`);
    }
  });

  it('returns exactly count statements, favouring the latest months, for any count', () => {
    for (const count of [0, 1, 2, 5, 7, 24, 25, 48, 50]) {
      const data = statementData({ ...base, count });
      expect(data, `count ${count}`).to.have.length(count);
      expect(new Set(data.map((s) => s.guid)).size).to.equal(count);
      if (count > 0) expect(data.some((s) => s.period.end === '2026-10-31')).to.equal(true);
    }
    expect([1, 2, 6, 24, 25, 100].map(accountCountFor)).to.deep.equal([1, 2, 2, 2, 3, 4]);
  });

  it('is deterministic per (seed, memberGuid) and differs across members and seeds', () => {
    const a = statementData(base);
    expect(statementData({ ...base })).to.deep.equal(a);
    const other = statementData({ ...base, memberGuid: 'MBR-other' });
    const otherSeed = statementData({ ...base, seed: 'spec-2' });
    for (const b of [other, otherSeed]) {
      expect(b.map((s) => s.guid).filter((g) => a.some((s) => s.guid === g))).to.deep.equal([]);
      expect(b.map((s) => s.account.guid)).not.to.deep.equal(a.map((s) => s.account.guid));
    }
  });

  it('keeps a statement identical when count or referenceDate adds or removes others', () => {
    const six = statementData(base);
    const twelve = statementData({ ...base, count: 12, referenceDate: '2026-12-15' });
    for (const s of six) expect(twelve.find((t) => t.guid === s.guid)).to.deep.equal(s);
  });

  it('reconciles every statement: opening + Σ amounts = closing, running balances step correctly', () => {
    for (const memberGuid of members) {
      for (const s of statementData({ ...base, memberGuid, count: 8 })) {
        let balance = s.openingBalanceCents;
        for (const t of s.transactions) {
          expect(Number.isSafeInteger(t.amountCents) && t.amountCents !== 0).to.equal(true);
          balance += t.amountCents;
          expect(t.balanceCents).to.equal(balance);
        }
        expect(balance).to.equal(s.closingBalanceCents);
        expect(s.totalCreditsCents + s.totalDebitsCents).to.equal(s.closingBalanceCents - s.openingBalanceCents);
        expect(s.totalCreditsCents).to.be.above(0);
        expect(s.totalDebitsCents).to.be.below(0);
      }
    }
  });

  it('has 20–60 transactions per month, dated inside the period and in date order', () => {
    const counts: number[] = [];
    for (const memberGuid of members) {
      for (const s of statementData({ ...base, memberGuid })) {
        counts.push(s.transactions.length);
        const dates = s.transactions.map((t) => t.date);
        expect(dates).to.deep.equal([...dates].sort());
        expect(dates[0]! >= s.period.start && dates.at(-1)! <= s.period.end).to.equal(true);
      }
    }
    expect(Math.min(...counts)).to.be.at.least(20);
    expect(Math.max(...counts)).to.be.at.most(60);
    expect(counts.some((n) => n > 45)).to.equal(true); // long enough to need a second page
  });

  it('chains months: each closing balance is the next month’s opening balance', () => {
    const data = statementData({ ...base, count: 6 });
    for (let i = 1; i < data.length; i++) {
      const prev = data[i - 1]!;
      const cur = data[i]!;
      if (prev.account.guid === cur.account.guid) expect(cur.openingBalanceCents).to.equal(prev.closingBalanceCents);
    }
    expect(data[1]!.openingBalanceCents).to.equal(data[0]!.closingBalanceCents);
  });

  it('rejects a negative or fractional count', () => {
    expect(() => statementData({ ...base, count: -1 })).to.throw(RangeError);
    expect(() => statementData({ ...base, count: 1.5 })).to.throw(RangeError);
  });
});
