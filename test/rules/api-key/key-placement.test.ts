import { describe, expect, it } from 'vitest';
import type { ProfileHints } from '../../../src/core/plugin.ts';
import apiKey from '../../../rules/api-key/index.ts';
import { findingsOf, makeExchange, type ExchangeInit } from '../../helpers/exchange.ts';
import { KEYS, leaks } from './keys.ts';

const run = async (init: ExchangeInit, profile?: ProfileHints) =>
  (await findingsOf(apiKey, makeExchange(init), profile ? { profile } : {})).filter((f) => f.ruleId === 'api-key/key-placement');

describe('api-key/key-placement', () => {
  it('flags an Anthropic key sent as Authorization: Bearer instead of x-api-key', async () => {
    const findings = await run({ url: 'https://api.anthropic.com/v1/messages', method: 'POST', requestHeaders: { Authorization: `Bearer ${KEYS.anthropic}` }, status: 401 });
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f!.status).toBe('fail');
    expect(f!.cause).toBe('wrong_scheme');
    expect(f!.messageId).toBe('key-wrong-place');
    expect(f!.evidence.keyFormat).toBe('anthropic-api-key');
    expect(f!.evidence.expected).toEqual(['the x-api-key header']);
    expect(f!.fixes[0]).toContain('-H "x-api-key: $ANTHROPIC_API_KEY"');
    expect(leaks(findings, KEYS.anthropic)).toBe(false);
  });

  it('accepts an Anthropic key in x-api-key', async () => {
    expect(await run({ url: 'https://api.anthropic.com/v1/messages', requestHeaders: { 'x-api-key': KEYS.anthropic }, status: 401 })).toEqual([]);
  });

  it('flags an OpenAI key sent in x-api-key', async () => {
    const [f] = await run({ url: 'https://api.openai.com/v1/models', requestHeaders: { 'x-api-key': KEYS.openaiProject }, status: 401 });
    expect(f?.messageId).toBe('key-wrong-place');
    expect(f?.evidence.keyFormat).toBe('openai-project-key');
    expect(f?.evidence.expected).toEqual(['Authorization: Bearer <key>']);
  });

  it('flags a Google API key sent in Authorization instead of key= or X-goog-api-key', async () => {
    const [f] = await run({ url: 'https://generativelanguage.googleapis.com/v1beta/models', requestHeaders: { Authorization: `Bearer ${KEYS.google}` }, status: 401 });
    expect(f?.cause).toBe('wrong_scheme');
    expect(f?.evidence.expected).toEqual(['the query parameter key=', 'the X-goog-api-key header']);
  });

  it('flags a SendGrid key sent without the Bearer scheme', async () => {
    const [f] = await run({ url: 'https://api.sendgrid.com/v3/mail/send', method: 'POST', requestHeaders: { Authorization: KEYS.sendgrid }, status: 401 });
    expect(f?.messageId).toBe('key-wrong-place');
    expect(f?.evidence.sentAs).toBe('Authorization: <key> (no scheme word)');
  });

  it('flags an AWS access key ID sent as a bearer token, on any host', async () => {
    const [f] = await run({ url: 'https://api.internal.example/v1/items', requestHeaders: { Authorization: `Bearer ${KEYS.aws}` }, status: 403 });
    expect(f?.messageId).toBe('aws-key-as-token');
    expect(f?.cause).toBe('wrong_scheme');
    expect(f?.fixes[0]).toContain('--aws-sigv4');
  });

  it('flags a Cloudflare Global API Key sent as a bearer token and an API token sent as X-Auth-Key', async () => {
    const [global] = await run({ url: 'https://api.cloudflare.com/client/v4/zones', requestHeaders: { Authorization: `Bearer ${KEYS.cloudflareGlobal}` }, status: 400, responseBody: '{"success":false,"errors":[{"code":6111,"message":"Invalid format for Authorization header"}]}' });
    expect(global?.evidence.keyFormat).toBe('cloudflare-global-api-key');
    const [token] = await run({ url: 'https://api.cloudflare.com/client/v4/zones', requestHeaders: { 'X-Auth-Key': KEYS.cloudflareToken, 'X-Auth-Email': 'me@example.com' }, status: 400, responseBody: '{"success":false,"errors":[{"code":6003,"message":"Invalid request headers"}]}' });
    expect(token?.evidence.keyFormat).toBe('cloudflare-api-token');
    expect(token?.evidence.expected).toEqual(['Authorization: Bearer <key>']);
  });

  it('flags a Datadog application key in the DD-API-KEY header', async () => {
    const [f] = await run({ url: 'https://api.datadoghq.com/api/v1/validate', requestHeaders: { 'DD-API-KEY': KEYS.datadogApp }, status: 403 });
    expect(f?.evidence.keyFormat).toBe('datadog-application-key');
    expect(f?.evidence.expected).toEqual(['the DD-APPLICATION-KEY header']);
  });

  it('flags a Linear personal API key sent with "Bearer"', async () => {
    const [f] = await run({ url: 'https://api.linear.app/graphql', method: 'POST', requestHeaders: { Authorization: `Bearer ${KEYS.linear}` }, status: 400, responseBody: '{"errors":[{"message":"Authentication required"}]}' });
    expect(f?.evidence.expected).toEqual(['Authorization: <key> (no scheme word)']);
  });

  it('only warns when the request did not fail', async () => {
    const [f] = await run({ url: 'https://api.openai.com/v1/models', requestHeaders: { 'x-api-key': KEYS.openaiProject }, status: 200, responseBody: '{"data":[]}' });
    expect(f?.status).toBe('warn');
  });

  it('only warns about a misplaced copy when the key was also sent in the right place', async () => {
    const [f] = await run({ url: 'https://api.anthropic.com/v1/messages', requestHeaders: { 'x-api-key': KEYS.anthropic, Authorization: `Bearer ${KEYS.anthropic}` }, status: 401 });
    expect(f?.status).toBe('warn');
  });

  it('leaves keys sent to an unknown host alone (it may be a gateway with its own rules)', async () => {
    expect(await run({ url: 'https://llm-gateway.internal.example/v1/messages', requestHeaders: { Authorization: `Bearer ${KEYS.anthropic}` }, status: 401 })).toEqual([]);
  });

  it('flags an unrecognised credential at a known API in a place that API does not read', async () => {
    const [f] = await run({ url: 'https://api.openai.com/v1/models', requestHeaders: { 'X-Api-Key': 'not-a-recognised-format-1234567890' }, status: 401 });
    expect(f?.messageId).toBe('host-wrong-place');
    expect(f?.confidence).toBe('likely');
  });

  it('accepts a token sent the ways GitHub reads it (Bearer, token, Basic password)', async () => {
    for (const auth of [`Bearer ${KEYS.githubPat}`, `token ${KEYS.githubPat}`, `Basic ${Buffer.from(`octocat:${KEYS.githubPat}`).toString('base64')}`]) {
      expect(await run({ url: 'https://api.github.com/user', requestHeaders: { Authorization: auth }, status: 401 })).toEqual([]);
    }
  });

  describe('against the profile', () => {
    it('flags a key sent as Bearer when the profile puts it in its own header', async () => {
      const [f] = await run({ url: 'https://api.acme.example/v1/me', requestHeaders: { Authorization: 'Bearer abcdef0123456789' }, status: 401 }, { name: 'acme', apiKey: { header: 'X-Acme-Key' } });
      expect(f?.messageId).toBe('profile-header-missing');
      expect(f?.cause).toBe('wrong_scheme');
      expect(f?.message).toContain('profile "acme"');
    });

    it('flags another scheme word than the profile prefix as wrong_scheme, and a missing one as malformed', async () => {
      const profile = { apiKey: { header: 'Authorization', prefix: 'Token ' } };
      const [wrong] = await run({ url: 'https://api.acme.example/v1/me', requestHeaders: { Authorization: 'Bearer abcdef0123456789' }, status: 401 }, profile);
      expect(wrong?.messageId).toBe('profile-wrong-scheme');
      expect(wrong?.cause).toBe('wrong_scheme');
      const [missing] = await run({ url: 'https://api.acme.example/v1/me', requestHeaders: { Authorization: 'abcdef0123456789' }, status: 401 }, profile);
      expect(missing?.messageId).toBe('profile-missing-prefix');
      expect(missing?.cause).toBe('malformed_credentials');
    });

    it('flags a scheme word when the profile says the key goes bare', async () => {
      const [f] = await run({ url: 'https://api.acme.example/v1/me', requestHeaders: { Authorization: 'Bearer abcdef0123456789' }, status: 401 }, { apiKey: { header: 'Authorization', prefix: '' } });
      expect(f?.messageId).toBe('profile-unexpected-scheme');
    });

    it('flags a key sent in a header when the profile expects a query parameter', async () => {
      const [f] = await run({ url: 'https://api.acme.example/v1/me', requestHeaders: { 'X-Api-Key': 'abcdef0123456789' }, status: 401 }, { apiKey: { query: 'api_key' } });
      expect(f?.messageId).toBe('profile-query-missing');
    });

    it('accepts the key where the profile says', async () => {
      expect(await run({ url: 'https://api.acme.example/v1/me', requestHeaders: { Authorization: 'Token abcdef0123456789' }, status: 401 }, { apiKey: { header: 'Authorization', prefix: 'Token ' } })).toEqual([]);
      expect(await run({ url: 'https://api.acme.example/v1/me?api_key=abcdef0123456789', status: 401 }, { apiKey: { query: 'api_key' } })).toEqual([]);
    });
  });
});

describe('api-key/key-placement on ordinary headers', () => {
  it('does not take version, idempotency or CSRF headers for misplaced credentials', async () => {
    const headers = { 'X-GitHub-Api-Version': '2022-11-28', 'Idempotency-Key': 'a1b2c3d4e5f6', 'X-CSRF-Token': 'abcdef0123456789' };
    expect(await run({ url: 'https://api.github.com/user', requestHeaders: headers, status: 401 })).toEqual([]);
    expect(await run({ url: 'https://api.stripe.com/v1/charges', requestHeaders: headers, status: 401 })).toEqual([]);
  });
});
