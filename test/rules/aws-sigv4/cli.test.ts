import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';
import { startSigV4Server, type SigV4Server } from '../../helpers/sigv4-server.ts';

const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const WRONG = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGWRONG';

let server: SigV4Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** `authdoctor check --curl 'curl --aws-sigv4 … -u KEY:SECRET URL'`, as a user pastes it. */
async function check(secret: string) {
  server = await startSigV4Server({ protocol: 'json', service: 'execute-api', credentials: [KEY] });
  const curl = `curl --aws-sigv4 "aws:amz:us-east-1:execute-api" -u "${KEY.accessKeyId}:${secret}" "${server.url}/prod/items?limit=2"`;
  const result = await runCli(['check', '--curl', curl, '--format', 'json'], { env: { AWS_EC2_METADATA_DISABLED: 'true' } });
  return { result, report: JSON.parse(result.stdout) as { verdict: { cause: string; ruleId: string | null }; findings: { ruleId: string; messageId?: string; evidence: Record<string, unknown> }[] } };
}

describe('authdoctor check --curl with --aws-sigv4', () => {
  it('signs the request and gets 200 from the verifier (exit 0)', async () => {
    const { result, report } = await check(KEY.secretAccessKey);
    expect(report.verdict.cause).toBe('none');
    expect(result.code).toBe(0);
    expect(server!.received).toHaveLength(1);
  });

  it('diagnoses a wrong secret as signature_mismatch, "the secret is wrong", without printing it (exit 1)', async () => {
    const { result, report } = await check(WRONG);
    expect(result.code).toBe(1);
    expect(report.verdict).toMatchObject({ cause: 'signature_mismatch', ruleId: 'aws-sigv4/signature-mismatch' });
    const f = report.findings.find((x) => x.ruleId === 'aws-sigv4/signature-mismatch')!;
    expect(f.messageId).toBe('secret-wrong');
    expect(f.evidence.canonicalDiff).toEqual([]);
    expect(result.stdout.includes(WRONG)).toBe(false);
    expect(result.stderr.includes(WRONG)).toBe(false);
  });
});
