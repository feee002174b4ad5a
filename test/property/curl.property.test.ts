import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAuthorization } from '../../src/core/credential.ts';
import { UsageError } from '../../src/core/errors.ts';
import { fingerprint } from '../../src/core/redact.ts';
import type { RequestSpec } from '../../src/core/types.ts';
import { parseCurlArgs, parseCurlCommand } from '../../src/inputs/curl.ts';
import { buildCurl } from '../../src/ui/curl.ts';
import { fc, hostileString } from './fc.ts';

/**
 * curl input is the text people paste from anywhere. For any input the parser either yields a
 * RequestSpec or throws the documented UsageError (exit 2, one clear line) — never a TypeError or
 * a RangeError that would surface as "internal error".
 */

// `@file` arguments are read relative to this empty folder, so random input reads nothing real.
const cwd = mkdtempSync(path.join(tmpdir(), 'authdoctor-prop-curl-'));
const ENV = { TOKEN: 'tok-123456789012', HOME: '/home/someone', EMPTY: '' };

function isRequestSpec(spec: RequestSpec): boolean {
  if (typeof spec.method !== 'string' || spec.method.length === 0) return false;
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return Array.isArray(spec.headers) && spec.headers.every((h) => typeof h.name === 'string' && typeof h.value === 'string');
}

/** Runs `parse`; returns 'spec', or 'usage' for a UsageError; rethrows anything else (the bug). */
function outcome(parse: () => RequestSpec): 'spec' | 'usage' {
  try {
    const spec = parse();
    if (!isRequestSpec(spec)) throw new Error(`not a RequestSpec: ${JSON.stringify(spec).slice(0, 200)}`);
    return 'spec';
  } catch (error) {
    if (error instanceof UsageError) {
      if (typeof error.message !== 'string' || error.message.length === 0 || !/^E_/.test(error.code)) throw new Error('UsageError without a message or code', { cause: error });
      return 'usage';
    }
    throw error;
  }
}

const FLAGS = [
  '-X', '-H', '-d', '-u', '-G', '-I', '-k', '-x', '-U', '-b', '-A', '-e', '-T', '-L', '-s', '-v', '-o', '-sSL', '-XPOST', '-HX-A:b',
  '--data', '--data-raw', '--data-binary', '--data-urlencode', '--json', '--url', '--url-query', '--oauth2-bearer', '--aws-sigv4',
  '--proxy', '--noproxy', '--user', '--header', '--request', '--cookie', '--compressed', '--basic', '--variable', '--expand-url',
  '--expand-header', '--no-insecure', '--insecure', '--get', '--head', '--form', '--digest', '--frobnicate', '--', '-', '--max-time',
  '--data=x', '--proxy-user', '--location-trusted', '-#',
];
const VALUES = [
  'https://api.example.com/v1/me', 'http://127.0.0.1:9/x?a=1&token=abc', 'api.example.com', 'Authorization: Bearer $TOKEN', 'X-Api-Key: k',
  'a=b', '@file.txt', '@-', '{"a":1}', 'user:pass', 'user', 'aws:amz:us-east-1:s3', 'http://proxy:3128', '*', '', ' ', 'Name:', 'Name;',
  'name=content', '%TOKEN', '{{name}}', 'https://[::1]:8443/', 'ftp://x', 'http://', 'POST', 'GET', '"', "'", '$(id)', '`id`',
];

const word = fc.oneof(fc.constantFrom(...FLAGS), fc.constantFrom(...VALUES), hostileString(30));

/** Shell-ish quoting of one word, or none: exercises the tokenizer's quote handling. */
const quoted = fc.tuple(word, fc.constantFrom('none', 'single', 'double', 'dollar', 'broken')).map(([w, q]) => {
  if (q === 'single') return `'${w.replaceAll("'", `'\\''`)}'`;
  if (q === 'double') return `"${w.replace(/["\\$`]/g, (c) => `\\${c}`)}"`;
  if (q === 'dollar') return `$'${w.replace(/['\\]/g, (c) => `\\${c}`)}'`;
  if (q === 'broken') return `${w}"`;
  return w;
});
const separator = fc.constantFrom(' ', '  ', ' \\\n  ', '\n', '\t', ' `\n ', ' ^\n ', ' ; ', ' | ', ' && ', ' # ', '\r\n');

const commandText = fc
  .tuple(fc.constantFrom('curl', 'curl.exe', '/usr/bin/curl', 'TOKEN=x curl', '', 'wget', 'Curl'), fc.array(fc.tuple(separator, quoted), { maxLength: 12 }))
  .map(([head, parts]) => head + parts.map(([sep, w]) => sep + w).join(''));

describe('curl parsing, property-based', () => {
  it('any text as --curl yields a RequestSpec or a UsageError, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(commandText, hostileString(200), fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        outcome(() => parseCurlCommand(text, ENV, { cwd }));
      }),
    );
  });

  it('any argv after `check` yields a RequestSpec or a UsageError, nothing else', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 14 }), (argv) => {
        outcome(() => parseCurlArgs(argv, ENV, { cwd }));
      }),
    );
  });

  it('a well-formed request always parses, and the flags mean what curl says', () => {
    fc.assert(
      fc.property(requestModel(), (model) => {
        const spec = parseCurlArgs(argvOf(model), {}, { cwd });
        expect(spec.method).toBe(model.method ?? (model.body !== undefined ? 'POST' : 'GET'));
        expect(new URL(spec.url).searchParams.toString()).toBe(new URL(model.url).searchParams.toString());
        for (const h of model.headers) expect(spec.headers).toContainEqual(h);
        expect(spec.body).toBe(model.body);
      }),
    );
  });

  it('round-trips: curl → RequestSpec → copy as curl (credentials as $VARS) → the same RequestSpec', () => {
    fc.assert(
      fc.property(requestModel(), (model) => {
        const first = parseCurlArgs(argvOf(model), {}, { cwd });
        const copy = buildCurl({ method: first.method, url: first.url, headers: first.headers, body: first.body });
        const env = envFor(copy.variables, first);
        const second = parseCurlCommand(copy.command, env, { cwd });
        expect(second.method).toBe(first.method);
        expect(sameUrl(second.url, first.url)).toBe(true);
        expect(second.headers.filter((h) => !/^(content-length|host)$/i.test(h.name))).toEqual(first.headers.filter((h) => !/^(content-length|host)$/i.test(h.name)));
        expect(second.body).toBe(first.body);
      }),
    );
  });

  // A credential query value goes through an environment variable that holds it *decoded*; the
  // copy must re-encode it (curl's --expand-url {{VAR:url}}), or `+`, `&`, `#`, `%` or a space in
  // it would change the request (`?access_token=ab+cd` coming back as "ab cd").
  it('round-trips a credential query value that holds a "+"', () => {
    const first = parseCurlArgs(['https://api.example.com/v1/me?access_token=ab%2Bcd+ef'], {}, { cwd });
    const copy = buildCurl({ method: first.method, url: first.url, headers: first.headers });
    const second = parseCurlCommand(copy.command, envFor(copy.variables, first), { cwd });
    expect(new URL(second.url).searchParams.get('access_token')).toBe('ab+cd ef');
  });

  // Known bug in src/ui/curl.ts: the scheme word and the credential are rejoined with one space,
  // so copy as curl "repairs" `Bearer<TAB>x` or `Bearer  x` — the very damage the header-hygiene
  // rules diagnose — and the copied command no longer reproduces the failure.
  it('keeps the whitespace between the scheme word and the credential', () => {
    const first = parseCurlArgs(['https://api.example.com/v1/me', '-H', 'Authorization: Bearer\tabc.def'], {}, { cwd });
    const copy = buildCurl({ method: first.method, url: first.url, headers: first.headers });
    const second = parseCurlCommand(copy.command, envFor(copy.variables, first), { cwd });
    expect(second.headers).toEqual(first.headers);
  });
});

// ---------------------------------------------------------------------------------------------
// A model of a plain request, and its curl argv
// ---------------------------------------------------------------------------------------------

interface Model {
  method?: string | undefined;
  url: string;
  headers: { name: string; value: string }[];
  body?: string | undefined;
}

const headerName = fc.oneof(
  fc.constantFrom('X-API-Key', 'Cookie', 'Accept', 'X-Request-Id', 'Private-Token', 'X-Auth-Token', 'Content-Type'),
  // Free-form Authorization values come from `authorization` below (see the second known bug).
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/).filter((n) => !/^(proxy-)?authorization$/i.test(n)),
);
/** A header value curl sends as given: no CR/LF/NUL, not empty, no leading blank (curl strips it). */
const headerValue = fc
  .string({ unit: fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), fc.constantFrom('é', '\t', '…', '$', "'", '"', '\\')), minLength: 1, maxLength: 40 })
  .filter((v) => !/^[ \t]/.test(v) && !/[\r\n\0]/.test(v));
const authorization = fc
  .tuple(fc.constantFrom('Bearer', 'Basic', 'Token', 'bearer', 'SSWS'), fc.stringMatching(/^[A-Za-z0-9._~+/=-]{1,40}$/))
  .map(([scheme, credential]) => ({ name: 'Authorization', value: `${scheme} ${credential}` }));

function requestModel(): fc.Arbitrary<Model> {
  // Credential query values with characters that need encoding are covered by the example tests
  // below; the generated ones stay in the unreserved alphabet.
  const query = fc.array(
    fc.oneof(
      fc.tuple(fc.constantFrom('q', 'page', 'x', 'redirect_uri'), fc.string({ maxLength: 20 })),
      fc.tuple(fc.constantFrom('api_key', 'access_token', 'sig'), fc.stringMatching(/^[A-Za-z0-9._~-]{0,20}$/)),
    ),
    { maxLength: 4 },
  );
  const url = fc
    .tuple(fc.constantFrom('http', 'https'), fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), fc.webPath(), query)
    .map(([scheme, host, port, pathPart, params]) => {
      const u = new URL(`${scheme}://${host}${port ? `:${port}` : ''}`);
      u.pathname = pathPart || '/';
      for (const [k, v] of params) u.searchParams.append(k, v);
      return u.href;
    });
  return fc.record(
    {
      method: fc.option(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'REPORT'), { nil: undefined }),
      url,
      headers: fc.uniqueArray(fc.oneof(fc.record({ name: headerName, value: headerValue }), authorization), { maxLength: 5, selector: (h) => h.name.toLowerCase() }),
      body: fc.option(fc.string({ unit: fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), fc.constantFrom('\n', 'é', '&', '=')), maxLength: 80 }), { nil: undefined }),
    },
    { requiredKeys: ['url', 'headers'] },
  );
}

function argvOf(model: Model): string[] {
  const argv = [model.url];
  if (model.method) argv.push('-X', model.method);
  for (const h of model.headers) argv.push('-H', `${h.name}: ${h.value}`);
  if (model.body !== undefined) argv.push('--data-raw', model.body);
  return argv;
}

function sameUrl(a: string, b: string): boolean {
  const ua = new URL(a);
  const ub = new URL(b);
  return ua.origin === ub.origin && ua.pathname === ub.pathname && ua.searchParams.toString() === ub.searchParams.toString();
}

/**
 * copy-as-curl names each credential by an environment variable and its fingerprint, never by
 * value; the user exports the values. Find each value among the request's credential parts by
 * its fingerprint, as the user would by reading the comment.
 */
function envFor(variables: readonly { name: string; fingerprint: string }[], spec: RequestSpec): Record<string, string> {
  const candidates = new Set<string>();
  for (const h of spec.headers) {
    candidates.add(h.value);
    candidates.add(parseAuthorization(h.name, h.value).credential);
  }
  const url = new URL(spec.url);
  for (const [, v] of url.searchParams) candidates.add(v);
  candidates.add(decodeURIComponent(url.username));
  candidates.add(decodeURIComponent(url.password));
  const env: Record<string, string> = {};
  for (const v of variables) {
    const value = [...candidates].find((c) => fingerprint(c) === v.fingerprint);
    if (value === undefined) throw new Error(`no value for ${v.name}`);
    env[v.name] = value;
  }
  return env;
}
