import { describe, expect, it } from 'vitest';
import { parseChallenges } from '../../src/core/challenge.ts';
import { decodeBasic, decodeJwtSafe } from '../../src/core/context.ts';
import { detectCredentials, parseAuthorization } from '../../src/core/credential.ts';
import { fc, hostileString } from './fc.ts';

/**
 * `WWW-Authenticate` / `Proxy-Authenticate` and `Authorization` come from servers and users we do
 * not control. The parsers never throw, return well-formed values, and give back exactly what a
 * well-formed header says.
 */

const TCHARS = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const token = fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 12 });
const SCHEMES = new Set(['bearer', 'basic', 'api-key', 'aws-sigv4', 'oauth2', 'none', 'unknown']);

describe('WWW-Authenticate and Proxy-Authenticate, property-based', () => {
  it('never throws on any header values, and every challenge is well-formed', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(hostileString(120), fc.string({ unit: 'binary', maxLength: 120 })), { maxLength: 3 }), fc.constantFrom('www-authenticate', 'proxy-authenticate'), (values, header) => {
        const challenges = parseChallenges(values, header as 'www-authenticate');
        for (const c of challenges) {
          expect(c.scheme.length).toBeGreaterThan(0);
          expect([...c.scheme].every((ch) => TCHARS.includes(ch))).toBe(true);
          expect(c.header).toBe(header);
          for (const [k, v] of Object.entries(c.params)) {
            expect(k).toBe(k.toLowerCase());
            expect(typeof v).toBe('string');
          }
        }
      }),
    );
  });

  it('reads back any list of challenges with quoted auth-params exactly as they were written', () => {
    const challenge = fc.record({
      scheme: token,
      params: fc.uniqueArray(fc.tuple(token, fc.string({ unit: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), fc.constantFrom('"', '\\', ',', '=', ' ')), maxLength: 30 })), { selector: ([k]) => k.toLowerCase(), maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(challenge, { minLength: 1, maxLength: 4 }), (list) => {
        const header = list.map((c) => [c.scheme, c.params.map(([k, v]) => `${k}="${v.replace(/["\\]/g, (ch) => `\\${ch}`)}"`).join(', ')].filter(Boolean).join(' ')).join(', ');
        const parsed = parseChallenges([header]);
        expect(parsed.map((c) => c.scheme)).toEqual(list.map((c) => c.scheme));
        expect(parsed.map((c) => c.params)).toEqual(list.map((c) => Object.fromEntries(c.params.map(([k, v]) => [k.toLowerCase(), v]))));
      }),
    );
  });

  it('reads back a token68 after the scheme (Negotiate, Basic)', () => {
    const token68 = fc.stringMatching(/^[A-Za-z0-9._~+/-]{1,40}=*$/);
    fc.assert(
      fc.property(token, token68, (scheme, value) => {
        const [c] = parseChallenges([`${scheme} ${value}`]);
        expect(c?.scheme).toBe(scheme);
        expect(c?.token68).toBe(value);
      }),
    );
  });
});

describe('Authorization values, property-based', () => {
  it('parseAuthorization never throws, and the credential is the tail of the value', () => {
    fc.assert(
      fc.property(hostileString(80), fc.oneof(fc.constantFrom('Authorization', 'authorization'), token), (value, name) => {
        const c = parseAuthorization(name, value);
        expect(SCHEMES.has(c.scheme)).toBe(true);
        expect(c.value).toBe(value);
        expect(value.endsWith(c.credential)).toBe(true);
      }),
    );
  });

  it('reads back the scheme and the credential of `<Scheme> <credential>`', () => {
    const expected: Record<string, string> = { bearer: 'bearer', basic: 'basic', 'aws4-hmac-sha256': 'aws-sigv4', token: 'api-key', ssws: 'api-key', digest: 'unknown', negotiate: 'unknown' };
    fc.assert(
      fc.property(fc.constantFrom('Bearer', 'bearer', 'BASIC', 'Basic', 'AWS4-HMAC-SHA256', 'Token', 'SSWS', 'Digest', 'Negotiate'), fc.stringMatching(/^[A-Za-z0-9._~+/=-][\x21-\x7e]{0,60}$/), (word, credential) => {
        const c = parseAuthorization('Authorization', `${word} ${credential}`);
        expect(c.scheme).toBe(expected[word.toLowerCase()]);
        expect(c.schemeWord).toBe(word);
        expect(c.credential).toBe(credential);
      }),
    );
  });

  it('detectCredentials never throws on any request', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ name: fc.oneof(fc.constantFrom('Authorization', 'X-API-Key', 'Cookie', 'Proxy-Authorization'), hostileString(20)), value: hostileString(60) }), { maxLength: 4 }), fc.oneof(fc.webUrl({ withQueryParameters: true }), hostileString(60)), fc.option(hostileString(80), { nil: undefined }), fc.constantFrom('GET', 'POST', 'post'), (headers, url, body, method) => {
        const carriers = detectCredentials({ method, url, headers, body });
        for (const c of carriers) expect(SCHEMES.has(c.scheme)).toBe(true);
      }),
    );
  });

  it('decodeBasic never throws, and reads back any user:password it is given in base64', () => {
    fc.assert(fc.property(hostileString(80), (value) => { decodeBasic(value); }));
    const text = fc.string({ unit: 'grapheme', maxLength: 30 });
    fc.assert(
      fc.property(text.filter((u) => !u.includes(':')), text, fc.boolean(), (user, password, urlSafe) => {
        let b64 = Buffer.from(`${user}:${password}`, 'utf8').toString(urlSafe ? 'base64url' : 'base64');
        if (b64 === '') b64 = '=';
        const decoded = decodeBasic(b64);
        if (user === '' && password === '') return; // `Basic =` carries nothing to decode
        expect(decoded).toMatchObject({ user, password, hasColon: true });
      }),
    );
  });

  it('decodeJwtSafe never throws, and decodes any compact JWT back to its header and claims', () => {
    fc.assert(fc.property(fc.oneof(hostileString(120), fc.tuple(hostileString(20), hostileString(20), hostileString(20)).map((p) => p.join('.'))), (value) => { decodeJwtSafe(value); }));
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
    const claims = fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 });
    fc.assert(
      fc.property(claims, claims, fc.stringMatching(/^[A-Za-z0-9_-]{0,60}$/), (header, payload, signature) => {
        const jwt = decodeJwtSafe(`${b64(header)}.${b64(payload)}.${signature}`);
        expect(jwt).not.toBeNull();
        expect(jwt?.header).toEqual(JSON.parse(JSON.stringify(header)));
        expect(jwt?.payload).toEqual(JSON.parse(JSON.stringify(payload)));
      }),
    );
  });
});

describe('AWS SigV4 Authorization values and AWS error bodies, property-based', () => {
  // The parsers of the aws-sigv4 plugin (rules/aws-sigv4/lib): tested here as parsers of hostile
  // input, like the core ones above.
  it('parseAuthorizationHeader and parseSigV4 never throw, and report problems instead', async () => {
    const { parseAuthorizationHeader, parseSigV4 } = await import('../../rules/aws-sigv4/lib/authorization.ts');
    const piece = fc.oneof(hostileString(20), fc.constantFrom('AWS4-HMAC-SHA256', 'Credential=', 'SignedHeaders=', 'Signature=', '/', ',', ', ', '=', 'aws4_request', 'AKIAEXAMPLE', '20261128', 'us-east-1', 's3', 'host;x-amz-date', ' '));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }).map((p) => p.join('')), fc.webUrl({ withQueryParameters: true }), (value, url) => {
        const parsed = parseAuthorizationHeader(value);
        expect(Array.isArray(parsed.problems)).toBe(true);
        parseSigV4({ url, headers: [{ name: 'Authorization', value }, { name: 'X-Amz-Date', value: value.slice(0, 16) }] });
        // (A lone surrogate has no percent-encoding: a URL cannot carry one.)
        const enc = (v: string) => encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '\ufffd'));
        parseSigV4({ url: `${url}${url.includes('?') ? '&' : '?'}X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${enc(value)}&X-Amz-Signature=${enc(value)}&X-Amz-Expires=${enc(value.slice(0, 5))}`, headers: [] });
      }),
    );
  });

  it('reads back the key id, scope, signed headers and signature of a well-formed header', async () => {
    const { parseAuthorizationHeader } = await import('../../rules/aws-sigv4/lib/authorization.ts');
    const label = fc.stringMatching(/^[a-z][a-z0-9-]{1,14}$/);
    fc.assert(
      // Region names as AWS forms them (one ending in a letter would be an Availability Zone, which the parser rightly flags).
      fc.property(fc.stringMatching(/^(AKIA|ASIA)[A-Z0-9]{16}$/), fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), fc.oneof(fc.constantFrom('us-east-1', 'eu-west-3', 'ap-southeast-2', 'us-gov-west-1', 'cn-north-1'), fc.stringMatching(/^[a-z]{2}-[a-z]{4,9}-[1-9]$/)), label, fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), { minLength: 1, maxLength: 6 }), fc.stringMatching(/^[0-9a-f]{64}$/), (keyId, when, region, service, headers, signature) => {
        const date = when.toISOString().slice(0, 10).replace(/-/g, '');
        // `host` is always signed (AWS requires it; the parser rightly reports its absence).
        const signed = [...new Set(['host', ...headers])].sort();
        const parsed = parseAuthorizationHeader(`AWS4-HMAC-SHA256 Credential=${keyId}/${date}/${region}/${service}/aws4_request, SignedHeaders=${signed.join(';')}, Signature=${signature}`);
        expect(parsed).toMatchObject({ algorithm: 'AWS4-HMAC-SHA256', accessKeyId: keyId, scope: { date, region, service, terminator: 'aws4_request' }, signedHeaders: signed, signature });
        expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
      }),
    );
  });

  it('parseAwsError never throws on any body, XML or JSON, whole or cut', async () => {
    const { parseAwsError } = await import('../../rules/aws-sigv4/lib/errors.ts');
    const xmlText = hostileString(30).map((t) => t.replace(/[<&]/g, ''));
    const element = fc.tuple(fc.constantFrom('Code', 'Message', 'RequestId', 'StringToSign', 'CanonicalRequest', 'Errors', 'Error', 'Region', 'x'), xmlText).map(([k, v]) => `<${k}>${v}</${k}>`);
    const xml = fc.tuple(fc.constantFrom('Error', 'ErrorResponse', 'Response'), fc.array(element, { maxLength: 5 }), fc.nat(200)).map(([root, children, cut]) => `<?xml version="1.0"?><${root}>${children.join('')}</${root}>`.slice(0, 40 + cut));
    const json = fc.dictionary(fc.constantFrom('__type', 'message', 'Message', 'code', 'Code', 'x'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((o) => JSON.stringify(o));
    await fc.assert(
      fc.asyncProperty(fc.oneof(xml, json, hostileString(120)), fc.constantFrom('application/xml', 'text/xml', 'application/json', 'application/x-amz-json-1.1', ''), fc.constantFrom(400, 403), async (body, type, status) => {
        await parseAwsError({ status, statusText: '', headers: [{ name: 'Content-Type', value: type }, { name: 'x-amzn-ErrorType', value: 'UnrecognizedClientException' }], body });
      }),
    );
  });
});
