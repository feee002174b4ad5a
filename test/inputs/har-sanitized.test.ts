import { describe, expect, it } from 'vitest';
import { detectSanitizedHeaders, isChromeSanitizedExport, isPlaceholderValue, placeholderHeaders } from '../../src/inputs/index.ts';

const h = (pairs: [string, string][]) => pairs.map(([name, value]) => ({ name, value }));
const entryHeaders = (request: [string, string][], response: [string, string][] = [], cookies: { value?: string }[] = []) => ({
  requestHeaders: h(request),
  responseHeaders: h(response),
  requestCookies: cookies,
  responseCookies: [],
});

describe('isPlaceholderValue', () => {
  it('recognises the placeholders sanitizers write', () => {
    for (const v of ['[REDACTED]', '<redacted>', 'REDACTED', '***', '********', '[Authorization redacted]', '[token redacted]', '[sanitized]', '[Filtered]', '--redacted--', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.redacted']) {
      expect(isPlaceholderValue(v)).toBe(true);
    }
  });

  it('does not take real credentials or empty values for placeholders', () => {
    for (const v of ['', 'abc123', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', 'redactedToken123', '$TOKEN', 'xxx']) {
      expect(isPlaceholderValue(v)).toBe(false);
    }
  });
});

describe('placeholderHeaders', () => {
  it('looks only at credential-carrying headers, after a scheme word', () => {
    expect(placeholderHeaders(h([['Authorization', 'Bearer ***'], ['X-Note', '[REDACTED]'], ['Cookie', 'a=1; sid=[REDACTED]']]))).toEqual(['authorization', 'cookie']);
  });
});

describe('isChromeSanitizedExport', () => {
  it('is true only for WebInspector files with no sensitive header or cookie anywhere', () => {
    const clean = [entryHeaders([['accept', '*/*']]), entryHeaders([['accept', '*/*']], [['content-type', 'text/html']])];
    expect(isChromeSanitizedExport('WebInspector', clean)).toBe(true);
    expect(isChromeSanitizedExport('Firefox', clean)).toBe(false);
    expect(isChromeSanitizedExport('WebInspector', [...clean, entryHeaders([], [['Set-Cookie', 'a=1']])])).toBe(false);
    expect(isChromeSanitizedExport('WebInspector', [...clean, entryHeaders([], [], [{ value: 'x' }])])).toBe(false);
    expect(isChromeSanitizedExport('WebInspector', [...clean, entryHeaders([['authorization', 'Bearer x']])])).toBe(false);
  });
});

describe('detectSanitizedHeaders', () => {
  it('adds cookie when a cookies list holds placeholders', () => {
    const e = entryHeaders([], [], [{ value: '[REDACTED]' }]);
    expect(detectSanitizedHeaders('Charles Proxy', e, [e])).toEqual(['cookie']);
  });
});
