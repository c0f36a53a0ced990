import { expect } from 'chai';
import { Institution, SupportedProduct, supportsStatements } from '../../lib/codecs/institution.js';
import { decodeErrors, decodeOk } from './assert.js';

const mxbank = {
  code: 'mxbank',
  name: 'MX Bank',
  url: 'https://www.mxbank.com',
  iso_country_code: 'US',
  medium_logo_url: null,
  small_logo_url: null,
  forgot_password_url: null,
  forgot_username_url: null,
  trouble_signing_in_url: null,
  instructional_text: null,
  instructional_text_steps: ['Step 1', 'Step 2'],
  is_disabled_by_client: false,
  supports_account_identification: true,
  supports_account_statement: true,
  supports_account_verification: true,
  supports_oauth: false,
  supports_tax_document: null,
  supports_transaction_history: true,
};

describe('codecs/Institution', () => {
  it('decodes a full institution, nulls included', () => {
    expect(decodeOk(Institution, mxbank)).to.deep.equal(mxbank);
  });

  it('keeps unknown fields', () => {
    expect(decodeOk(Institution, { code: 'x', supports_everything: 'soon' })).to.deep.equal({ code: 'x', supports_everything: 'soon' });
  });

  it('requires the code (not a guid)', () => {
    expect(decodeErrors(Institution, { guid: 'INS-1', name: 'MX Bank' })).to.deep.equal(['code: expected string, got undefined']);
  });

  it('accepts null instructional_text_steps but rejects a non-string step', () => {
    expect(decodeOk(Institution, { code: 'x', instructional_text_steps: null }).instructional_text_steps).to.equal(null);
    expect(decodeErrors(Institution, { code: 'x', instructional_text_steps: ['a', 2] })).to.deep.equal([
      'instructional_text_steps[1]: expected string, got 2',
    ]);
  });

  it('rejects a string where a boolean flag belongs', () => {
    expect(decodeErrors(Institution, { code: 'x', supports_account_statement: 'true' })).to.deep.equal([
      'supports_account_statement: expected boolean | null, got "true"',
    ]);
  });

  describe('v20250224', () => {
    const v2025 = {
      code: 'mxbank', guid: 'INS-1572a04c-912b-59bf-5841-332c7dfafaef', name: 'MX Bank', created_at: '2025-02-13T18:08:00+00:00',
      is_hidden: false, iso_country_code: 'US', supported_products: ['transactions', 'statements', 'account_verification'], supports_oauth: false,
    };

    it('decodes supported_products, guid, created_at and is_hidden (no supports_* flags)', () => {
      expect(decodeOk(Institution, v2025)).to.deep.equal(v2025);
    });

    it('keeps a product it does not know, and rejects a non-string product', () => {
      expect(decodeOk(Institution, { code: 'x', supported_products: ['tax_forms'] }).supported_products).to.deep.equal(['tax_forms']);
      expect(decodeErrors(Institution, { code: 'x', supported_products: ['statements', 3] })).to.deep.equal([
        'supported_products[1]: expected SupportedProduct, got 3',
      ]);
      expect(SupportedProduct.is('statements')).to.equal(true);
    });
  });

  describe('supportsStatements', () => {
    it('reads supported_products first, then the v20111101 flag, else does not know', () => {
      expect(supportsStatements({ code: 'a', supported_products: ['statements'] })).to.equal(true);
      expect(supportsStatements({ code: 'a', supported_products: ['transactions'], supports_account_statement: true })).to.equal(false);
      expect(supportsStatements({ code: 'a', supported_products: null, supports_account_statement: true })).to.equal(true);
      expect(supportsStatements({ code: 'a', supports_account_statement: false })).to.equal(false);
      expect(supportsStatements({ code: 'a', supports_account_statement: null })).to.equal(undefined);
      expect(supportsStatements({ code: 'a' })).to.equal(undefined);
    });
  });
});
