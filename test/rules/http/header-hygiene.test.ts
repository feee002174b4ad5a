import { describe, expect, it } from 'vitest';
import rule from '../../../rules/http/header-hygiene.ts';
import { makeExchange } from '../../helpers/exchange.ts';
import type { HeaderEntry } from '../../../src/core/types.ts';
import { leaks, runRule } from './run.ts';

const secret = 'tok_8f3kQ2mZx7LpWv9RtY4c';
const jwtLike = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBhcnQ';
const run = (headers: Record<string, string> | HeaderEntry[], init: Parameters<typeof makeExchange>[0] = {}) => runRule('http', rule, makeExchange({ requestHeaders: headers, ...init }));

describe('http/header-hygiene', () => {
  describe('valid', () => {
    it.each([
      [{ Authorization: `Bearer ${secret}` }],
      [{ Authorization: 'Basic dXNlcjpwYXNz' }],
      [{ 'X-API-Key': secret }],
      [{ Authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc' }],
      [{ Authorization: 'Digest username="a", realm="r", nonce="n", uri="/", response="x"' }],
    ])('accepts a clean header %j', async (headers) => {
      expect(await run(headers)).toEqual([]);
    });
  });

  describe('invalid', () => {
    it('shows a trailing newline as an escaped character and position, not the token', async () => {
      const findings = await run({ Authorization: `Bearer ${secret}\n` });
      const [f] = findings;
      expect(f).toMatchObject({ status: 'fail', cause: 'malformed_credentials', confidence: 'likely', messageId: 'line-break' });
      expect(f!.evidence.damage).toEqual([`\\n (line feed) at position ${`Bearer ${secret}`.length + 1}`]);
      expect(f!.fixes.join(' ')).toContain("printf '%s'");
      expect(leaks(findings, secret)).toBe(false);
    });

    it('names a zero-width space and a no-break space by code point', async () => {
      const findings = await run({ 'X-API-Key': `${secret.slice(0, 6)}\u200b${secret.slice(6)}\u00a0` });
      const [f] = findings;
      expect(f).toMatchObject({ messageId: 'bad-characters', cause: 'malformed_credentials' });
      expect(f!.evidence.damage).toEqual(['U+200B ZERO WIDTH SPACE at position 7', `U+00A0 NO-BREAK SPACE at position ${secret.length + 2}`]);
      expect(leaks(findings, secret)).toBe(false);
    });

    it('reports smart quotes and an en dash', async () => {
      const [f] = await run({ Authorization: `Bearer \u201c${secret}\u201d` });
      expect(f!.evidence.damage).toEqual(expect.arrayContaining([expect.stringContaining('U+201C LEFT DOUBLE QUOTATION MARK')]));
      const [d] = await run({ 'X-API-Key': `sk\u2013${secret}` });
      expect(d!.evidence.damage).toEqual(['U+2013 EN DASH at position 3']);
    });

    it('reports a space inside a token and wrapping quotes', async () => {
      const [space] = await run({ Authorization: `Bearer ${secret.slice(0, 5)} ${secret.slice(5)}` });
      expect(space).toMatchObject({ messageId: 'inner-whitespace' });
      const [quoted] = await run({ Authorization: `Bearer "${secret}"` });
      expect(quoted).toMatchObject({ messageId: 'quoted' });
      expect(quoted!.fixes[0]).toMatch(/\.env/);
    });

    it('reports a value copied from a shortened display', async () => {
      const [f] = await run({ 'X-API-Key': 'sk-proj-abc...xyz9' });
      expect(f!.evidence.damage).toEqual(['"..." (three dots) at position 12']);
    });

    it('only warns about whitespace at the ends of a header (HTTP strips it)', async () => {
      const [f] = await run({ Authorization: `Bearer ${secret}  ` });
      expect(f).toMatchObject({ status: 'warn', messageId: 'edge-whitespace' });
    });

    it('fails on trailing whitespace in a query parameter, which is not stripped', async () => {
      const [f] = await run({}, { url: `https://api.example.com/v1?api_key=${secret}%20` });
      expect(f).toMatchObject({ status: 'fail', messageId: 'bad-characters' });
    });

    it('reports a doubled scheme word without printing the token', async () => {
      const findings = await run({ Authorization: `Bearer Bearer ${jwtLike}` });
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ status: 'fail', cause: 'malformed_credentials', confidence: 'likely', messageId: 'doubled-scheme' });
      expect(String(findings[0]!.evidence.header)).toMatch(/^Bearer Bearer /);
      expect(leaks(findings, jwtLike)).toBe(false);
    });

    it('reports a JWT without the Bearer prefix', async () => {
      const [f] = await run({ Authorization: jwtLike });
      expect(f).toMatchObject({ messageId: 'missing-scheme', cause: 'malformed_credentials' });
    });

    it('reports a bare value when the server asks for Bearer', async () => {
      const [f] = await run({ Authorization: secret }, { responseHeaders: { 'WWW-Authenticate': 'Bearer realm="x"' } });
      expect(f).toMatchObject({ messageId: 'missing-scheme' });
    });

    it('reports a scheme glued to the token, or followed by a colon', async () => {
      const [glued] = await run({ Authorization: `Bearer${secret}` });
      expect(glued).toMatchObject({ messageId: 'scheme-glued' });
      const [colon] = await run({ Authorization: `Bearer: ${secret}` });
      expect(colon).toMatchObject({ messageId: 'scheme-colon' });
      const [line] = await run({ Authorization: `Authorization: Bearer ${secret}` });
      expect(line).toMatchObject({ messageId: 'header-name-in-value' });
    });

    it('warns about lower-case scheme words', async () => {
      const [f] = await run({ Authorization: `bearer ${secret}` });
      expect(f).toMatchObject({ status: 'warn', messageId: 'scheme-case', evidence: { scheme: 'bearer', expected: 'Bearer' } });
    });

    it('reports the same credential header sent twice', async () => {
      const [f] = await run([
        { name: 'Authorization', value: `Bearer ${secret}` },
        { name: 'authorization', value: `Bearer ${secret}x` },
      ]);
      expect(f).toMatchObject({ status: 'fail', messageId: 'duplicate-header', evidence: { header: 'authorization', count: 2, sameValue: false } });
    });

    it('reports two credentials folded into one Authorization line', async () => {
      const [f] = await run({ Authorization: `Bearer ${secret}, Bearer ${secret}` });
      expect(f).toMatchObject({ messageId: 'folded-credentials' });
    });

    it.each([
      ['Authorisation', 'likely'],
      ['Authorizaton', 'likely'],
      ['Autorization', 'likely'],
      ['Authentication', 'possible'],
      ['Auth', 'possible'],
    ])('reports the header %s instead of Authorization as missing credentials (%s)', async (name, confidence) => {
      const [f] = await run({ [name]: `Bearer ${secret}` });
      expect(f).toMatchObject({ status: 'fail', cause: 'missing_credentials', confidence, messageId: 'misspelled-header', evidence: { header: name, expected: 'Authorization' } });
    });

    it('reports an underscore in an API-key header, likely behind nginx', async () => {
      const [f] = await run({ X_Api_Key: secret }, { responseHeaders: { Server: 'nginx/1.25.3' } });
      expect(f).toMatchObject({ status: 'fail', cause: 'missing_credentials', confidence: 'likely', messageId: 'underscore-header', evidence: { suggested: 'X-Api-Key' } });
      expect(f!.fixes.join(' ')).toContain('underscores_in_headers on');
    });

    it('reports a header name with a trailing space', async () => {
      const [f] = await run([{ name: 'X-API-KEY ', value: secret }]);
      expect(f).toMatchObject({ messageId: 'broken-header-name', cause: 'missing_credentials' });
    });

    it('does not take a 400 about JSON syntax for an authentication failure', async () => {
      const [f] = await run({ Authorization: `Bearer ${secret}\u200b` }, { status: 400, responseBody: '{"error":"Unexpected token < in JSON at position 0"}' });
      expect(f!.status).toBe('warn');
      const [g] = await run({ Authorization: `Bearer ${secret}\u200b` }, { status: 400, responseBody: '{"error":"invalid access token"}' });
      expect(g!.status).toBe('fail');
    });

    it('warns rather than fails when the server reported no failure', async () => {
      const [f] = await run({ Authorization: `Bearer ${secret}\n` }, { status: 200 });
      expect(f).toMatchObject({ status: 'warn', cause: 'malformed_credentials' });
    });
  });
});
