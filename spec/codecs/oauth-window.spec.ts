import { expect } from 'chai';
import { OAuthWindow, OAuthWindowResponseBody } from '../../lib/codecs/oauth-window.js';
import { decodeErrors, decodeOk } from './assert.js';

describe('codecs/OAuthWindow', () => {
  it('decodes { member: { guid, oauth_window_uri } }, both optional and nullable', () => {
    const body = { member: { guid: 'MBR-1', oauth_window_uri: 'https://int-app.moneydesktop.com/oauth/predirect_to/MBR-1/abc' } };
    expect(decodeOk(OAuthWindowResponseBody, body)).to.deep.equal(body);
    expect(decodeOk(OAuthWindow, { guid: null, oauth_window_uri: null })).to.deep.equal({ guid: null, oauth_window_uri: null });
    expect(decodeOk(OAuthWindow, {})).to.deep.equal({});
  });

  it('rejects a non-string URI, and a body without the member', () => {
    expect(decodeErrors(OAuthWindow, { oauth_window_uri: 5 })).to.deep.equal(['oauth_window_uri: expected string | null, got 5']);
    expect(decodeErrors(OAuthWindowResponseBody, { oauth_window_uri: 'https://x' })).to.deep.equal(['member: expected OAuthWindow, got undefined']);
  });
});
