import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseCurlCommand } from '../../src/inputs/curl.ts';
import { buildCurl, curlScript, type CurlInput } from '../../src/ui/curl.ts';

/** Runs the command through a real POSIX shell with `printf` in place of curl: the words curl would get. */
function wordsOf(command: string, env: Record<string, string>): string[] {
  const printed = execFileSync('sh', ['-c', command.replace(/^curl/, "printf '%s\\0'")], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8' });
  return printed.split('\0').slice(0, -1);
}

const input: CurlInput = {
  method: 'POST',
  url: 'https://api.test/v1/items?api_key=k-123456789&q=a b&x=$HOME',
  headers: [
    { name: 'Authorization', value: 'Bearer tok.en.value' },
    { name: 'X-Note', value: "it's $(rm -rf /) `x`" },
    { name: 'Content-Length', value: '12' },
  ],
  body: '{"a":"$b"}',
};

describe('copy as curl', () => {
  it('puts every credential in an environment variable, and the shell gets back exactly the request', () => {
    const curl = buildCurl(input);
    expect(curl.command.includes('tok.en.value')).toBe(false);
    expect(curl.command.includes('k-123456789')).toBe(false);
    expect(curl.variables.map((v) => v.name)).toEqual(['AUTHDOCTOR_API_KEY', 'AUTHDOCTOR_TOKEN']);
    const words = wordsOf(curl.command, { AUTHDOCTOR_TOKEN: 'tok.en.value', AUTHDOCTOR_API_KEY: 'k-123456789', HOME: '/nowhere' });
    expect(words).toEqual([
      '-X',
      'POST',
      '--variable',
      '%AUTHDOCTOR_API_KEY',
      '--expand-url',
      'https://api.test/v1/items?api_key={{AUTHDOCTOR_API_KEY:url}}&q=a%20b&x=$HOME',
      '-H',
      'Authorization: Bearer tok.en.value',
      '-H',
      "X-Note: it's $(rm -rf /) `x`",
      '--data-raw',
      '{"a":"$b"}',
    ]);
  });

  it('a query credential with + & # % or a space is exported plain and percent-encoded by curl, the rest of the URL kept as written', () => {
    const secret = 'ab+c&d#e%f g';
    const url = `https://api.test/v1/me?q=a+b&access_token=${encodeURIComponent(secret)}&page=%7B%7Bx%7D%7D&raw={{y}}`;
    const curl = buildCurl({ method: 'GET', url, headers: [] });
    expect(curl.command.includes('ab+c')).toBe(false);
    const words = wordsOf(curl.command, { AUTHDOCTOR_ACCESS_TOKEN: secret });
    expect(words).toEqual(['--variable', '%AUTHDOCTOR_ACCESS_TOKEN', '--expand-url', 'https://api.test/v1/me?q=a+b&access_token={{AUTHDOCTOR_ACCESS_TOKEN:url}}&page=%7B%7Bx%7D%7D&raw=\\{{y}}']);
    const again = parseCurlCommand(curl.command, { AUTHDOCTOR_ACCESS_TOKEN: secret }, { cwd: '/' });
    const params = new URL(again.url).searchParams;
    expect(params.get('access_token') === secret).toBe(true);
    expect([...params.keys()]).toEqual(['q', 'access_token', 'page', 'raw']);
    expect(params.get('q')).toBe('a b');
    expect(params.get('raw')).toBe('{{y}}');
  });

  it('keeps the exact separator between the scheme word and the credential (tab, two spaces)', () => {
    for (const value of ['Bearer\tabc.def', 'Bearer  abc.def', 'Token   k-1']) {
      const curl = buildCurl({ method: 'GET', url: 'https://api.test/', headers: [{ name: 'Authorization', value }] });
      const env = { AUTHDOCTOR_TOKEN: value.replace(/^\S+\s+/, '') };
      const words = wordsOf(curl.command, env);
      expect(words.at(-1)).toBe(`Authorization: ${value}`);
    }
  });

  it('a SigV4 request is re-signed by curl (--aws-sigv4) instead of replaying a stale signature', () => {
    const curl = buildCurl({
      method: 'GET',
      url: 'https://sts.amazonaws.com/?Action=GetCallerIdentity',
      headers: [
        { name: 'Authorization', value: 'AWS4-HMAC-SHA256 Credential=AKIA…/20261128/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc' },
        { name: 'X-Amz-Date', value: '20261128T100000Z' },
        { name: 'X-Amz-Security-Token', value: 'session-token-value' },
      ],
      sigv4: { region: 'us-east-1', service: 'sts' },
    });
    const words = wordsOf(curl.command, { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'tok' });
    expect(words).toEqual(['https://sts.amazonaws.com/?Action=GetCallerIdentity', '--aws-sigv4', 'aws:amz:us-east-1:sts', '--user', 'AKIAEXAMPLE:secret', '-H', 'X-Amz-Security-Token: tok']);
  });

  it('the saved script says which variables to set, by fingerprint, never by value', () => {
    const script = curlScript(buildCurl(input));
    expect(script).toMatch(/^# {3}export AUTHDOCTOR_TOKEN=… {3}# the Authorization header \(Bearer\); authdoctor sent the value with sha256:[0-9a-f]{8}$/m);
    expect(script.includes('tok.en.value')).toBe(false);
  });
});
