import { describe, expect, it } from 'vitest';
import apiKey from '../../../rules/api-key/index.ts';
import { findingsOf, makeExchange, type ExchangeInit } from '../../helpers/exchange.ts';
import { KEYS, leaks } from './keys.ts';

const run = async (init: ExchangeInit) => (await findingsOf(apiKey, makeExchange(init))).filter((f) => f.ruleId === 'api-key/key-in-query');

describe('api-key/key-in-query', () => {
  it('warns about a Google API key in ?key= and names the header Google also reads', async () => {
    const findings = await run({ url: `https://translation.googleapis.com/language/translate/v2?key=${KEYS.google}&q=hi`, status: 200 });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'warn', cause: null, messageId: 'key-in-query' });
    expect(findings[0]!.evidence).toMatchObject({ parameter: 'key', alternative: 'the X-goog-api-key header' });
    expect(findings[0]!.fixes[0]).toContain('-H "X-goog-api-key: $GOOGLE_API_KEY"');
    expect(leaks(findings, KEYS.google)).toBe(false);
  });

  it('warns about an api_key parameter on any host', async () => {
    const [f] = await run({ url: 'https://api.example.com/v1/things?api_key=abcdef0123456789', status: 200 });
    expect(f?.messageId).toBe('key-in-query');
    expect(f?.evidence.alternative).toBeUndefined();
  });

  it('says nothing when the provider reads its key only from the query string', async () => {
    expect(await run({ url: `https://api.openweathermap.org/data/2.5/weather?q=Paris&appid=${KEYS.openweathermap}`, status: 401 })).toEqual([]);
  });

  it('leaves presigned URLs and SAS tokens alone: their signatures are meant for the URL', async () => {
    expect(await run({ url: `https://bucket.s3.amazonaws.com/o?X-Amz-Credential=${KEYS.aws}%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=abcdef`, status: 200 })).toEqual([]);
    expect(await run({ url: 'https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=abcdef%3D&se=2030-01-01', status: 200 })).toEqual([]);
  });

  it('says nothing when there is no credential in the URL', async () => {
    expect(await run({ url: 'https://api.example.com/v1/things?page=2', status: 401 })).toEqual([]);
  });
});
