import { describe, expect, it } from 'vitest';
import { findDamage, looksLikeLoginUrl, looksLikeTokenEndpoint, placeholderOf } from '../../../rules/http/shared.ts';

describe('placeholderOf', () => {
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['null', 'literal'],
    ['undefined', 'literal'],
    ['None', 'literal'],
    ['nil', 'literal'],
    ['[object Object]', 'literal'],
    ['$TOKEN', 'variable'],
    ['${API_KEY}', 'variable'],
    ['%API_KEY%', 'variable'],
    ['$env:GITHUB_TOKEN', 'variable'],
    ['process.env.STRIPE_KEY', 'variable'],
    ['{{token}}', 'template'],
    ['{{ access_token }}', 'template'],
    ['<token>', 'doc-placeholder'],
    ['<your-api-key>', 'doc-placeholder'],
    ['YOUR_API_KEY', 'doc-placeholder'],
    ['your-api-key-here', 'doc-placeholder'],
    ['INSERT_TOKEN_HERE', 'doc-placeholder'],
    ['your_auth_token', 'doc-placeholder'],
    ['xxxxxxxxxxxx', 'doc-placeholder'],
    ['sk_xxxxxxxxxxxx', 'doc-placeholder'],
    ['changeme', 'doc-placeholder'],
    ['********', 'masked'],
  ])('recognises %j as %s', (value, kind) => {
    expect(placeholderOf(value)?.kind).toBe(kind);
  });

  it.each(['sk_live_51HxYzAbCdEfGhIjKlMnOpQr', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'xoxb-1234-5678-abcdef', 'dXNlcjpwYXNz', 'token_abc123XYZ'])(
    'does not take the real-looking credential %j for a placeholder',
    (value) => {
      expect(placeholderOf(value)).toBeNull();
    },
  );

  it('returns on long and repetitive input (no runaway pattern matching)', () => {
    expect(placeholderOf(`your${'apian'.repeat(5000)}!`)).toBeNull();
    expect(placeholderOf(`your${'-api'.repeat(15)}x`)).toBeNull();
  });

  it('keeps dictionary words that are real (if weak) passwords when asked to', () => {
    expect(placeholderOf('changeme', { forPassword: true })).toBeNull();
    expect(placeholderOf('secret', { forPassword: true })).toBeNull();
    expect(placeholderOf('undefined', { forPassword: true })?.kind).toBe('literal');
  });
});

describe('findDamage', () => {
  it('reports a trailing line feed with its position, without the value', () => {
    const d = findDamage('abc123\n');
    expect(d).toEqual([{ kind: 'line-break', position: 7, char: '\\n (line feed)' }]);
  });

  it('names invisible and typographic characters by code point', () => {
    const d = findDamage('ab\u200bcd\u00a0e\u201cf\u2013g');
    expect(d.map((x) => [x.kind, x.position, x.char])).toEqual([
      ['invisible', 3, 'U+200B ZERO WIDTH SPACE'],
      ['no-break-space', 6, 'U+00A0 NO-BREAK SPACE'],
      ['smart-quote', 8, 'U+201C LEFT DOUBLE QUOTATION MARK'],
      ['dash', 10, 'U+2013 EN DASH'],
    ]);
  });

  it('tells inner from edge whitespace and sees wrapping quotes', () => {
    expect(findDamage(' a b ').map((d) => d.kind)).toEqual(['leading-whitespace', 'inner-whitespace', 'trailing-whitespace']);
    expect(findDamage('a b', { allowInnerSpace: true })).toEqual([]);
    expect(findDamage('"abc"').map((d) => d.kind)).toEqual(['wrapping-quotes']);
  });

  it('finds nothing in a clean token', () => {
    expect(findDamage('sk_test_4eC39HqLyjWDarjtT1zdp7dc')).toEqual([]);
  });
});

describe('looksLikeLoginUrl and looksLikeTokenEndpoint', () => {
  it('recognises sign-in pages by path and identity-provider host', () => {
    expect(looksLikeLoginUrl('https://app.example.com/login?next=/api')).toBe(true);
    expect(looksLikeLoginUrl('/users/sign_in', 'https://gitlab.example.com/api')).toBe(true);
    expect(looksLikeLoginUrl('https://login.microsoftonline.com/common/oauth2/authorize')).toBe(true);
    expect(looksLikeLoginUrl('https://api.example.com/v2/items/')).toBe(false);
    expect(looksLikeLoginUrl('https://api.example.com/authors/12')).toBe(false);
  });

  it('recognises token endpoints by grant or by path when the body was not captured', () => {
    expect(looksLikeTokenEndpoint({ method: 'POST', url: 'https://idp/x', body: 'grant_type=client_credentials' })).toBe(true);
    expect(looksLikeTokenEndpoint({ method: 'POST', url: 'https://login.microsoftonline.com/t/oauth2/token' })).toBe(true);
    expect(looksLikeTokenEndpoint({ method: 'POST', url: 'https://kc/realms/x/protocol/openid-connect/token' })).toBe(true);
    expect(looksLikeTokenEndpoint({ method: 'GET', url: 'https://api/token' })).toBe(false);
    expect(looksLikeTokenEndpoint({ method: 'POST', url: 'https://api/v1/items', body: '{"a":1}' })).toBe(false);
  });
});
