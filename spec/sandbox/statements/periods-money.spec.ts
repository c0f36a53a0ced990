import { expect } from 'chai';
import { formatMoney } from '../../../lib/sandbox/statements/money.js';
import { addDays, monthlyPeriods, nextPeriod, parseDay } from '../../../lib/sandbox/statements/periods.js';

describe('sandbox/statements periods', () => {
  it('lists whole calendar months ending before the reference date, oldest first', () => {
    expect(monthlyPeriods('2026-11-01', 3)).to.deep.equal([
      { start: '2026-08-01', end: '2026-08-31' },
      { start: '2026-09-01', end: '2026-09-30' },
      { start: '2026-10-01', end: '2026-10-31' },
    ]);
  });

  it('never includes the month of the reference date, even on its last day', () => {
    expect(monthlyPeriods('2026-11-30', 1)).to.deep.equal([{ start: '2026-10-01', end: '2026-10-31' }]);
  });

  it('crosses year boundaries and handles leap Februaries', () => {
    expect(monthlyPeriods('2024-03-15', 3)).to.deep.equal([
      { start: '2023-12-01', end: '2023-12-31' },
      { start: '2024-01-01', end: '2024-01-31' },
      { start: '2024-02-01', end: '2024-02-29' },
    ]);
    expect(nextPeriod({ start: '2026-12-01', end: '2026-12-31' })).to.deep.equal({ start: '2027-01-01', end: '2027-01-31' });
    expect(addDays('2026-10-31', 1)).to.equal('2026-11-01');
  });

  it('rejects malformed and impossible dates', () => {
    expect(() => parseDay('2026-02-30')).to.throw(RangeError);
    expect(() => parseDay('2026-1-01')).to.throw(RangeError);
    expect(parseDay('2026-02-28').toISOString()).to.equal('2026-02-28T00:00:00.000Z');
  });
});

describe('sandbox/statements formatMoney', () => {
  it('formats cents with two decimals, thousands separators and a leading minus', () => {
    expect(formatMoney(0)).to.equal('$0.00');
    expect(formatMoney(5)).to.equal('$0.05');
    expect(formatMoney(123456)).to.equal('$1,234.56');
    expect(formatMoney(-1200)).to.equal('-$12.00');
    expect(formatMoney(123456789012)).to.equal('$1,234,567,890.12');
  });

  it('refuses non-integer cents', () => {
    expect(() => formatMoney(1.5)).to.throw(RangeError);
  });
});
