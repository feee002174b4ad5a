import { describe, expect, it } from 'vitest';
import apiKey from '../../../rules/api-key/index.ts';
import { findingsOf, makeExchange, type ExchangeInit } from '../../helpers/exchange.ts';
import { KEYS, leaks } from './keys.ts';

const run = async (init: ExchangeInit) => (await findingsOf(apiKey, makeExchange(init))).filter((f) => f.ruleId === 'api-key/key-kind');
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('api-key/key-kind', () => {
  it('flags a Stripe publishable key used for a server call that failed', async () => {
    const findings = await run({ url: 'https://api.stripe.com/v1/charges', method: 'POST', requestHeaders: { Authorization: `Bearer ${KEYS.stripePublishableTest}` }, status: 401 });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ messageId: 'key-publishable', cause: 'invalid_credentials', confidence: 'likely', status: 'fail' });
    expect(findings[0]!.evidence.keyFormat).toBe('stripe-publishable-test');
    expect(leaks(findings, KEYS.stripePublishableTest)).toBe(false);
  });

  it('leaves a publishable key alone where it worked (Stripe.js endpoints accept it)', async () => {
    expect(await run({ url: 'https://api.stripe.com/v1/tokens', method: 'POST', requestHeaders: { Authorization: `Bearer ${KEYS.stripePublishableTest}` }, status: 200 })).toEqual([]);
  });

  it('flags a Slack refresh token sent as the access token', async () => {
    const [f] = await run({ url: 'https://slack.com/api/chat.postMessage', requestHeaders: { Authorization: `Bearer ${KEYS.slackRefresh}` }, status: 200, responseBody: '{"ok":false,"error":"invalid_auth"}' });
    expect(f).toMatchObject({ messageId: 'key-refresh', cause: 'invalid_credentials', status: 'fail' });
    expect(f?.message).toContain('oauth.v2.access');
  });

  it('flags a Shopify app shared secret sent as the access token', async () => {
    const [f] = await run({ url: 'https://shop.myshopify.com/admin/api/2024-01/shop.json', requestHeaders: { 'X-Shopify-Access-Token': KEYS.shopifySecret }, status: 401 });
    expect(f?.messageId).toBe('key-app-secret');
  });

  it('flags an OpenRouter key sent to api.openai.com', async () => {
    const [f] = await run({ url: 'https://api.openai.com/v1/chat/completions', method: 'POST', requestHeaders: { Authorization: `Bearer ${KEYS.openrouter}` }, status: 401 });
    expect(f).toMatchObject({ messageId: 'key-other-provider', cause: 'invalid_credentials' });
    expect(f?.evidence).toMatchObject({ provider: 'OpenRouter', hostProvider: 'OpenAI', keyFormat: 'openrouter-key' });
  });

  it('flags an Anthropic key sent to OpenAI', async () => {
    const [f] = await run({ url: 'https://api.openai.com/v1/chat/completions', method: 'POST', requestHeaders: { Authorization: `Bearer ${KEYS.anthropic}` }, status: 401 });
    expect(f?.messageId).toBe('key-other-provider');
    expect(f?.message).toContain('An Anthropic API key');
  });

  it('flags a sandbox key against the live host, and a TestPyPI token against pypi.org', async () => {
    const [paddle] = await run({ url: 'https://api.paddle.com/products', requestHeaders: { Authorization: `Bearer ${KEYS.paddleSandbox}` }, status: 403 });
    expect(paddle).toMatchObject({ messageId: 'key-wrong-environment', cause: 'invalid_credentials' });
    expect(paddle?.evidence).toMatchObject({ keyEnvironment: 'test', hostEnvironment: 'live' });
    const [pypi] = await run({ url: 'https://upload.pypi.org/legacy/', method: 'POST', requestHeaders: { Authorization: basic('__token__', KEYS.testPypi) }, status: 403 });
    expect(pypi?.messageId).toBe('key-wrong-environment');
  });

  it('flags an admin key on a model endpoint and a regular key on an admin endpoint', async () => {
    const [admin] = await run({ url: 'https://api.openai.com/v1/chat/completions', requestHeaders: { Authorization: `Bearer ${KEYS.openaiAdmin}` }, status: 401 });
    expect(admin).toMatchObject({ messageId: 'key-admin-on-api', cause: 'invalid_credentials' });
    const [regular] = await run({ url: 'https://api.openai.com/v1/organization/users', requestHeaders: { Authorization: `Bearer ${KEYS.openaiProject}` }, status: 403 });
    expect(regular).toMatchObject({ messageId: 'key-not-admin', cause: 'insufficient_permissions' });
    expect(regular?.evidence).toMatchObject({ action: 'GET /v1/organization/users', resource: '/v1/organization/users' });
  });

  it('flags an API key SID (SK…) where the Twilio URL needs the Account SID (AC…)', async () => {
    const [f] = await run({
      url: `https://api.twilio.com/2010-04-01/Accounts/${KEYS.twilioKeySid}/Messages.json`,
      method: 'POST',
      requestHeaders: { Authorization: basic(KEYS.twilioKeySid, 'secret') },
      status: 401,
    });
    expect(f).toMatchObject({ messageId: 'key-wrong-id-in-path', cause: 'invalid_credentials', confidence: 'likely' });
    expect(f?.evidence).toMatchObject({ keyFormat: 'twilio-api-key-sid', expected: ['twilio-account-sid'] });
    expect(f?.message).toContain('an Account SID (AC…)');
  });

  it('accepts the Account SID in the URL with an API key in Basic auth', async () => {
    expect(
      await run({ url: `https://api.twilio.com/2010-04-01/Accounts/${KEYS.twilioAccountSid}/Messages.json`, requestHeaders: { Authorization: basic(KEYS.twilioKeySid, 'secret') }, status: 401 }),
    ).toEqual([]);
  });

  it('accepts a key of the host\'s own provider', async () => {
    expect(await run({ url: 'https://slack.com/api/auth.test', requestHeaders: { Authorization: `Bearer ${KEYS.slackBot}` }, status: 200, responseBody: '{"ok":false,"error":"invalid_auth"}' })).toEqual([]);
  });
});

describe('api-key/key-kind at gateways', () => {
  it('accepts other providers\' keys at a router that forwards them', async () => {
    expect(await run({ url: 'https://router.huggingface.co/v1/chat/completions', requestHeaders: { Authorization: `Bearer ${KEYS.openaiProject}` }, status: 401 })).toEqual([]);
  });
});
