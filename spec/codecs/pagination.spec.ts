import { expect } from 'chai';
import { Pagination } from '../../lib/codecs/pagination.js';
import { decodeErrors, decodeOk } from './assert.js';

describe('codecs/Pagination', () => {
  it('decodes the four numbers and keeps unknown fields', () => {
    const p = { current_page: 2, per_page: 25, total_entries: 30, total_pages: 2, next: null };
    expect(decodeOk(Pagination, p)).to.deep.equal(p);
  });

  it('requires all four fields', () => {
    expect(decodeErrors(Pagination, { current_page: 1, per_page: 25 })).to.deep.equal([
      'total_entries: expected number, got undefined',
      'total_pages: expected number, got undefined',
    ]);
  });

  it('does not accept null or strings for the numbers', () => {
    expect(decodeErrors(Pagination, { current_page: null, per_page: '25', total_entries: 0, total_pages: 0 })).to.deep.equal([
      'current_page: expected number, got null',
      'per_page: expected number, got "25"',
    ]);
  });
});
