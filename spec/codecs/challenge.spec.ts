import { expect } from 'chai';
import {
  Challenge, ChallengeImageOption, ChallengeOption, ChallengeType, KNOWN_CHALLENGE_TYPES, isKnownChallengeType,
} from '../../lib/codecs/challenge.js';
import { decodeErrors, decodeOk } from './assert.js';

describe('codecs/Challenge', () => {
  it('decodes a TEXT challenge and keeps unknown fields', () => {
    const c = { guid: 'CRD-1', type: 'TEXT', label: 'What city were you born in?', field_name: 'city', prompt_id: 7 };
    expect(decodeOk(Challenge, c)).to.deep.equal(c);
  });

  it('decodes OPTIONS and IMAGE_OPTIONS challenges with their options', () => {
    const options = { guid: 'CRD-2', type: 'OPTIONS', label: 'Where to send the code?', options: [
      { guid: 'CRD-2a', label: 'Text me', value: 'sms' },
      { label: 'Call me', value: 'voice' },
    ] };
    const images = { guid: 'CRD-3', type: 'IMAGE_OPTIONS', image_options: [
      { guid: 'CRD-3a', label: 'IMAGE_1', value: 'img1', data_uri: 'data:image/png;base64,AAAA' },
      { label: null, value: 'img2', data_uri: null },
    ] };
    expect(decodeOk(Challenge, options)).to.deep.equal(options);
    expect(decodeOk(Challenge, images)).to.deep.equal(images);
  });

  it('decodes an IMAGE_DATA challenge', () => {
    const c = { guid: 'CRD-4', type: 'IMAGE_DATA', label: 'Who is this?', image_data: 'iVBORw0KGgo=' };
    expect(decodeOk(Challenge, c)).to.deep.equal(c);
  });

  it('accepts null in every optional field', () => {
    const c = { guid: 'CRD-5', type: null, label: null, field_name: null, image_data: null, options: null, image_options: null };
    expect(decodeOk(Challenge, c)).to.deep.equal(c);
  });

  it('decodes an unknown type (MX Bank docs say "IMAGE")', () => {
    expect(decodeOk(Challenge, { guid: 'CRD-6', type: 'IMAGE' }).type).to.equal('IMAGE');
  });

  it('rejects the legacy integer type, naming the path', () => {
    expect(decodeErrors(Challenge, { guid: 'CRD-7', type: 0 })).to.deep.equal(['type: expected ChallengeType | null, got 0']);
  });

  it('rejects an option without a value, naming the full path', () => {
    expect(decodeErrors(Challenge, { guid: 'CRD-8', options: [{ label: 'a', value: 'a' }, { label: 'b' }] })).to.deep.equal([
      'options[1].value: expected string, got undefined',
    ]);
  });

  it('rejects a missing guid', () => {
    expect(decodeErrors(Challenge, { type: 'TEXT' })).to.deep.equal(['guid: expected string, got undefined']);
  });

  it('ChallengeOption and ChallengeImageOption keep unknown fields', () => {
    expect(decodeOk(ChallengeOption, { value: 'v', extra: 1 })).to.deep.equal({ value: 'v', extra: 1 });
    expect(decodeOk(ChallengeImageOption, { value: 'v', data_uri: 'd', extra: 1 })).to.deep.equal({ value: 'v', data_uri: 'd', extra: 1 });
    expect(decodeErrors(ChallengeImageOption, { value: 'v', data_uri: 5 })).to.deep.equal(['data_uri: expected string | null, got 5']);
  });

  it('ChallengeType accepts any string and knows the five documented types', () => {
    expect(KNOWN_CHALLENGE_TYPES).to.deep.equal(['TEXT', 'TOKEN', 'OPTIONS', 'IMAGE_DATA', 'IMAGE_OPTIONS']);
    for (const k of KNOWN_CHALLENGE_TYPES) expect(isKnownChallengeType(k)).to.equal(true);
    expect(isKnownChallengeType('IMAGE')).to.equal(false);
    expect(isKnownChallengeType(0)).to.equal(false);
    expect(decodeOk(ChallengeType, 'IMAGE')).to.equal('IMAGE');
    expect(ChallengeType.is(0)).to.equal(false);
  });
});
