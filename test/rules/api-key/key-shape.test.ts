import { describe, expect, it } from 'vitest';
import apiKey from '../../../rules/api-key/index.ts';
import { findingsOf, makeExchange, type ExchangeInit } from '../../helpers/exchange.ts';
import { KEYS, leaks } from './keys.ts';

const run = async (init: ExchangeInit) => (await findingsOf(apiKey, makeExchange(init))).filter((f) => f.ruleId === 'api-key/key-shape');

describe('api-key/key-shape', () => {
  it('reports a truncated GitHub token with its length and the expected length', async () => {
    const cut = KEYS.githubPat.slice(0, 24);
    const findings = await run({ url: 'https://api.github.com/user', requestHeaders: { Authorization: `Bearer ${cut}` }, status: 401 });
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f!.messageId).toBe('key-truncated');
    expect(f!.cause).toBe('malformed_credentials');
    expect(f!.confidence).toBe('likely');
    expect(f!.evidence).toMatchObject({ keyFormat: 'github-pat-classic', length: 24, expectedLength: '40–255' });
    expect(leaks(findings, cut)).toBe(false);
  });

  it('reports a truncated Google API key in the query string', async () => {
    const [f] = await run({ url: `https://translation.googleapis.com/language/translate/v2?key=${KEYS.google.slice(0, 38)}`, status: 400 });
    expect(f?.messageId).toBe('key-truncated');
    expect(f?.evidence).toMatchObject({ keyFormat: 'google-api-key', length: 38, expectedLength: '39' });
  });

  it('reports a key with extra characters pasted on', async () => {
    const [f] = await run({ url: 'https://api.digitalocean.com/v2/account', requestHeaders: { Authorization: `Bearer ${KEYS.digitalocean}0` }, status: 401 });
    expect(f?.messageId).toBe('key-too-long');
    expect(f?.evidence.length).toBe(72);
  });

  it('reports a SendGrid key that lacks its two dot-separated parts', async () => {
    const damaged = `SG.${'a'.repeat(66)}`;
    const [f] = await run({ url: 'https://api.sendgrid.com/v3/mail/send', requestHeaders: { Authorization: `Bearer ${damaged}` }, status: 401 });
    expect(f?.messageId).toBe('key-structure');
    expect(f?.message).toContain('SG. + 22 characters + . + 43 characters');
  });

  it('warns instead of failing when the request succeeded', async () => {
    const [f] = await run({ url: 'https://api.github.com/user', requestHeaders: { Authorization: `Bearer ${KEYS.githubPat.slice(0, 30)}` }, status: 200 });
    expect(f?.status).toBe('warn');
  });

  it('accepts whole keys of every kind it knows', async () => {
    expect(await run({ url: 'https://api.github.com/user', requestHeaders: { Authorization: `Bearer ${KEYS.githubPat}` }, status: 401 })).toEqual([]);
    expect(await run({ url: 'https://api.sendgrid.com/v3/mail/send', requestHeaders: { Authorization: `Bearer ${KEYS.sendgrid}` }, status: 401 })).toEqual([]);
    expect(await run({ url: 'https://api.anthropic.com/v1/messages', requestHeaders: { 'x-api-key': KEYS.anthropic }, status: 401 })).toEqual([]);
  });

  it('says nothing about values of no known kind, or with spaces and quotes (header hygiene is the http plugin\'s)', async () => {
    expect(await run({ url: 'https://api.example.com/v1', requestHeaders: { Authorization: 'Bearer abc' }, status: 401 })).toEqual([]);
    expect(await run({ url: 'https://api.github.com/user', requestHeaders: { Authorization: `Bearer "${KEYS.githubPat.slice(0, 20)}"` }, status: 401 })).toEqual([]);
  });

  it('does not take a SigV4 credential scope in a presigned URL for a damaged AWS key', async () => {
    const url = `https://bucket.s3.amazonaws.com/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${KEYS.aws}%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abc`;
    expect(await run({ url, status: 403 })).toEqual([]);
  });
});
