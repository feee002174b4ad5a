import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin from '../../../rules/aws-sigv4/index.ts';
import { decideVerdict } from '../../../src/core/verdict.ts';
import { findingsOf, makeExchange } from '../../helpers/exchange.ts';
import type { Exchange } from '../../../src/core/types.ts';

const CORPUS = join(import.meta.dirname, '../../fixtures/corpus');

interface HarEntry {
  startedDateTime: string;
  request: { method: string; url: string; headers: { name: string; value: string }[]; postData?: { text?: string } };
  response: { status: number; statusText: string; headers: { name: string; value: string }[]; content: { text?: string; encoding?: string } };
}

/** A minimal HAR entry → Exchange for these tests (the real HAR input lives in src/inputs). */
function harExchange(file: string): Exchange {
  const har = JSON.parse(readFileSync(join(CORPUS, `${file}.har`), 'utf8')) as { log: { entries: HarEntry[] } };
  const e = har.log.entries[0]!;
  const body = e.response.content.encoding === 'base64' ? Buffer.from(e.response.content.text ?? '', 'base64').toString('utf8') : (e.response.content.text ?? '');
  return makeExchange({
    method: e.request.method,
    url: e.request.url,
    requestHeaders: e.request.headers,
    ...(e.request.postData?.text !== undefined ? { requestBody: e.request.postData.text } : {}),
    status: e.response.status,
    statusText: e.response.statusText,
    responseHeaders: e.response.headers,
    responseBody: body,
    sentAt: new Date(e.startedDateTime),
    mode: 'offline',
  });
}

const expected = JSON.parse(readFileSync(join(CORPUS, 'expected.json'), 'utf8')) as Record<string, { expected: { cause: string } }>;

const CASES: { file: string; messageId: string; evidence?: Record<string, unknown>; mentions?: RegExp[] }[] = [
  {
    file: 'aws-apigw-missing-authentication-token-wrong-path',
    messageId: 'apigw-missing-token',
    mentions: [/check the URL first/i, /stage/i],
  },
  {
    file: 'aws-cloudformation-incompletesignature-trailing-space',
    messageId: 'key-id-whitespace',
    evidence: { fragment: '/20150620/us-east-1/cloudformation/aws4_request' },
    mentions: [/trailing whitespace from the access key ID/i],
  },
  { file: 'aws-iam-expiredtoken', messageId: 'session-token-expired', mentions: [/aws sso login/] },
  { file: 'aws-mws-requestexpired-clock-behind', messageId: 'clock-skew', evidence: { skewSeconds: 1364 }, mentions: [/NTP/] },
  {
    file: 'aws-s3-authorizationheadermalformed-region',
    messageId: 'wrong-region',
    evidence: { signedRegion: 'us-east-1', expectedRegion: 'us-east-2' },
    mentions: [/us-east-2/],
  },
  { file: 'aws-sqs-invalidclienttokenid', messageId: 'key-id-unknown', mentions: [/get-caller-identity/] },
];

describe('aws-sigv4 on the corpus', () => {
  it.each(CASES)('gives $file its expected cause', async ({ file, messageId, evidence, mentions }) => {
    const exchange = harExchange(file);
    const findings = await findingsOf(plugin, exchange);
    const verdict = decideVerdict(findings, exchange);
    expect(verdict.cause).toBe(expected[file]!.expected.cause);
    const winner = findings.find((f) => f.ruleId === verdict.ruleId && f.status === 'fail')!;
    expect(winner.messageId).toBe(messageId);
    expect(winner.confidence).toBe('definitive');
    for (const [k, v] of Object.entries(evidence ?? {})) expect(winner.evidence[k]).toEqual(v);
    const text = [winner.message, ...winner.fixes].join('\n');
    for (const re of mentions ?? []) expect(text).toMatch(re);
    // No rule of the plugin crashed on real data.
    expect(findings.filter((f) => f.status === 'error' || f.status === 'timeout')).toEqual([]);
  });
});
