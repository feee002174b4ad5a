import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthdoctorError, UsageError } from '../../src/core/errors.ts';
import type { HeaderEntry } from '../../src/core/types.ts';
import { CURL_COMPRESSED_ACCEPT_ENCODING, parseCurlArgs, parseCurlCommand, type CurlRequestSpec } from '../../src/inputs/index.ts';

function header(spec: { headers: HeaderEntry[] }, name: string): string | undefined {
  return spec.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** Runs `fn` and returns the UsageError it throws (fails the test when nothing is thrown). */
function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError, but nothing was thrown');
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'authdoctor-curl-'));
  writeFileSync(join(dir, 'body.txt'), 'a=1\r\nb=2\n');
  writeFileSync(join(dir, 'payload.json'), '{"x": 1}\n');
  writeFileSync(join(dir, 'headers.txt'), 'X-One: 1\r\n\r\nX-Two: 2\n');
  writeFileSync(join(dir, 'note.txt'), 'hello world&more');
  writeFileSync(join(dir, 'upload.bin'), 'file-content');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Case {
  name: string;
  command: string;
  env?: Record<string, string>;
  expect: (spec: CurlRequestSpec) => void;
}

const cases: Case[] = [
  {
    name: 'reads a plain GET with the leading curl word',
    command: 'curl https://api.example.com/v1/me',
    expect: (s) => {
      expect(s.method).toBe('GET');
      expect(s.url).toBe('https://api.example.com/v1/me');
      expect(s.headers).toEqual([]);
      expect(s.body).toBeUndefined();
    },
  },
  {
    name: 'accepts a command without the leading curl word',
    command: "-H 'Accept: application/json' https://api.example.com/v1/me",
    expect: (s) => expect(header(s, 'accept')).toBe('application/json'),
  },
  {
    name: 'assumes http:// for a URL without scheme, like curl',
    command: 'curl localhost:8080/health',
    expect: (s) => expect(s.url).toBe('http://localhost:8080/health'),
  },
  {
    name: 'removes single and double quotes and keeps spaces inside them',
    command: `curl -H 'X-A: one two' -H "X-B: three \\"four\\"" "https://api.example.com/a b"`,
    expect: (s) => {
      expect(header(s, 'x-a')).toBe('one two');
      expect(header(s, 'x-b')).toBe('three "four"');
      expect(s.url).toBe('https://api.example.com/a%20b');
    },
  },
  {
    name: 'joins backslash line continuations (also with CRLF)',
    command: "curl -X POST \\\n  -H 'Content-Type: application/json' \\\r\n  --data-raw '{\"a\":1}' \\\n  https://api.example.com/items",
    expect: (s) => {
      expect(s.method).toBe('POST');
      expect(s.body).toBe('{"a":1}');
      expect(header(s, 'content-type')).toBe('application/json');
    },
  },
  {
    name: 'does not register a short ordinary user name as a secret',
    command: 'curl -u alice:pw-123456 https://api.example.com/',
    expect: (s) => {
      expect(s.secrets).toContain('pw-123456');
      expect(s.secrets).not.toContain('alice');
    },
  },
  {
    name: 'joins lines that start with a flag even when the backslash was lost in copying',
    command: 'curl https://api.example.com/items\n  -H "X-Trace: 1"',
    expect: (s) => expect(header(s, 'x-trace')).toBe('1'),
  },
  {
    name: "reads Chrome's cmd.exe form with ^ continuations and ^\" quotes",
    command: 'curl ^"https://api.example.com/items?q=1^" ^\r\n  -H ^"authorization: Bearer abc.def^" ^\n  --data-raw ^"^{^\\^"a^\\^":1^}^"',
    expect: (s) => {
      expect(s.url).toBe('https://api.example.com/items?q=1');
      expect(header(s, 'authorization')).toBe('Bearer abc.def');
      expect(s.body).toBe('{"a":1}');
    },
  },
  {
    name: 'joins PowerShell backtick continuations',
    command: "curl.exe https://api.example.com/v1/me `\n  -H 'X-A: 1'",
    expect: (s) => expect(header(s, 'x-a')).toBe('1'),
  },
  {
    name: 'keeps a # inside a word (URL fragment) and drops a trailing comment',
    command: "curl https://api.example.com/page#top -H 'X-A: 1' # fetch the page",
    expect: (s) => {
      expect(s.url).toBe('https://api.example.com/page');
      expect(header(s, 'x-a')).toBe('1');
    },
  },
  {
    name: 'reads an unquoted ? and & inside a URL literally',
    command: 'curl https://api.example.com/search?q=x',
    expect: (s) => expect(s.url).toBe('https://api.example.com/search?q=x'),
  },
  {
    name: 'reads combined short flags (-sSL) and attached values (-XPOST, -HName:v, -dfoo)',
    command: 'curl -sSL -XPOST -HX-Key:abc -dfoo https://api.example.com/x',
    expect: (s) => {
      expect(s.method).toBe('POST');
      expect(header(s, 'x-key')).toBe('abc');
      expect(s.body).toBe('foo');
      expect(s.ignoredFlags).toEqual(['-s', '-S', '-L']);
    },
  },
  {
    name: 'reads a value flag at the end of a cluster (-sXPUT)',
    command: 'curl -sXPUT https://api.example.com/x',
    expect: (s) => expect(s.method).toBe('PUT'),
  },
  {
    name: 'treats everything after -- as a URL',
    command: 'curl -H "X-A: 1" -- https://api.example.com/x',
    expect: (s) => expect(s.url).toBe('https://api.example.com/x'),
  },
  {
    name: 'turns -u user:password into a Basic header exactly like curl',
    command: "curl -u 'alice:s3cr:et' https://api.example.com/",
    expect: (s) => {
      expect(header(s, 'authorization')).toBe(basic('alice', 's3cr:et'));
      expect(s.secrets).toContain('s3cr:et');
    },
  },
  {
    name: 'accepts -u key: with an empty password and treats the key as the secret',
    command: 'curl https://api.stripe.com/v1/charges -u sk_test_4eC39HqLyjWDarjtT1zdp7dc:',
    expect: (s) => {
      expect(header(s, 'authorization')).toBe(basic('sk_test_4eC39HqLyjWDarjtT1zdp7dc', ''));
      expect(s.secrets).toContain('sk_test_4eC39HqLyjWDarjtT1zdp7dc');
    },
  },
  {
    name: 'uses URL userinfo as Basic credentials and removes it from the URL',
    command: 'curl https://bob:pa%40ss@api.example.com/x',
    expect: (s) => {
      expect(header(s, 'authorization')).toBe(basic('bob', 'pa@ss'));
      expect(s.url).toBe('https://api.example.com/x');
    },
  },
  {
    name: 'lets an explicit Authorization header win over -u, as curl does',
    command: "curl -u a:b -H 'Authorization: Token xyz' https://api.example.com/",
    expect: (s) => {
      expect(s.headers.filter((h) => h.name.toLowerCase() === 'authorization')).toEqual([{ name: 'Authorization', value: 'Token xyz' }]);
    },
  },
  {
    name: 'turns --oauth2-bearer into Authorization: Bearer',
    command: 'curl --oauth2-bearer eyJhbGciOiJIUzI1NiJ9.e30.sig https://api.example.com/',
    expect: (s) => {
      expect(header(s, 'authorization')).toBe('Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig');
      expect(s.secrets).toContain('eyJhbGciOiJIUzI1NiJ9.e30.sig');
    },
  },
  {
    name: 'turns --aws-sigv4 with -u into an auth spec and sends no Basic header',
    command: `curl --aws-sigv4 'aws:amz:eu-west-1:execute-api' -u AKIDEXAMPLE:wJalrXUtnFEMI -H 'x-amz-security-token: FQoGZXIvYXdz' https://abc123.execute-api.eu-west-1.amazonaws.com/prod/items`,
    expect: (s) => {
      expect(header(s, 'authorization')).toBeUndefined();
      expect(s.auth).toEqual({
        scheme: 'aws-sigv4',
        source: 'curl',
        params: {
          provider: 'aws',
          provider2: 'amz',
          region: 'eu-west-1',
          service: 'execute-api',
          regionSource: 'flag',
          serviceSource: 'flag',
          accessKeyId: 'AKIDEXAMPLE',
          secretAccessKey: 'wJalrXUtnFEMI',
          sessionToken: 'FQoGZXIvYXdz',
        },
      });
      expect(s.secrets).toEqual(expect.arrayContaining(['AKIDEXAMPLE', 'wJalrXUtnFEMI', 'FQoGZXIvYXdz']));
    },
  },
  {
    name: 'takes SigV4 service and region from the host name when --aws-sigv4 omits them',
    command: 'curl --aws-sigv4 aws:amz -u K:S https://sqs.us-east-2.amazonaws.com/',
    expect: (s) => {
      expect(s.auth?.params).toMatchObject({ service: 'sqs', region: 'us-east-2', serviceSource: 'hostname', regionSource: 'hostname' });
    },
  },
  {
    name: 'records -x as a flag proxy and -U as its userinfo',
    command: 'curl -x proxy.corp:3128 -U joe:pr0xy https://api.example.com/',
    expect: (s) => {
      expect(s.proxy).toBe('http://joe:pr0xy@proxy.corp:3128');
      expect(s.proxySource).toBe('flag');
      expect(s.secrets).toContain('pr0xy');
    },
  },
  {
    name: 'does not use the proxy for a host listed in --noproxy',
    command: 'curl -x http://proxy:3128 --noproxy example.com,localhost https://api.example.com/',
    expect: (s) => {
      expect(s.proxy).toBeUndefined();
      expect(s.noProxy).toEqual(['example.com', 'localhost']);
    },
  },
  {
    name: "reads --proxy '' as: no proxy at all",
    command: "curl --proxy '' https://api.example.com/",
    expect: (s) => {
      expect(s.proxy).toBeUndefined();
      expect(s.noProxy).toEqual(['*']);
    },
  },
  {
    name: 'marks -k as insecure',
    command: 'curl -k https://self-signed.example.com/',
    expect: (s) => expect(s.insecure).toBe(true),
  },
  {
    name: 'joins several -d with & and defaults to POST with a form content type',
    command: 'curl -d a=1 --data b=2 --data-raw @c https://api.example.com/',
    expect: (s) => {
      expect(s.method).toBe('POST');
      expect(s.body).toBe('a=1&b=2&@c');
      expect(header(s, 'content-type')).toBe('application/x-www-form-urlencoded');
    },
  },
  {
    name: 'keeps a Content-Type given with -H instead of the form default',
    command: "curl -H 'Content-Type: application/json' -d '{}' https://api.example.com/",
    expect: (s) => {
      expect(s.headers.filter((h) => h.name.toLowerCase() === 'content-type')).toHaveLength(1);
      expect(header(s, 'content-type')).toBe('application/json');
    },
  },
  {
    name: 'encodes --data-urlencode forms (content, =content, name=content)',
    command: "curl --data-urlencode 'a b' --data-urlencode '=c&d' --data-urlencode \"q=it's 100%\" https://api.example.com/",
    expect: (s) => expect(s.body).toBe("a%20b&c%26d&q=it%27s%20100%25"),
  },
  {
    name: 'sends --json with JSON content type and accept headers',
    command: `curl --json '{"name":"x"}' https://api.example.com/items`,
    expect: (s) => {
      expect(s.method).toBe('POST');
      expect(s.body).toBe('{"name":"x"}');
      expect(header(s, 'content-type')).toBe('application/json');
      expect(header(s, 'accept')).toBe('application/json');
    },
  },
  {
    name: 'moves the data into the query string with -G and sends a GET',
    command: "curl -G -d q=auth --data-urlencode 'lang=en us' https://api.example.com/search?page=2",
    expect: (s) => {
      expect(s.method).toBe('GET');
      expect(s.url).toBe('https://api.example.com/search?page=2&q=auth&lang=en%20us');
      expect(s.body).toBeUndefined();
      expect(header(s, 'content-type')).toBeUndefined();
    },
  },
  {
    name: 'adds --url-query parameters to the URL',
    command: "curl --url-query 'x=a b' --url-query +raw=%41 https://api.example.com/",
    expect: (s) => expect(s.url).toBe('https://api.example.com/?x=a%20b&raw=%41'),
  },
  {
    name: 'sends -I as HEAD and -X as given',
    command: 'curl -I https://api.example.com/',
    expect: (s) => expect(s.method).toBe('HEAD'),
  },
  {
    name: 'turns -b name=value into a Cookie header and records the cookie values as secrets',
    command: "curl -b 'session=abc123xyz; theme=dark' -b csrftoken=zzz987654 https://app.example.com/",
    expect: (s) => {
      expect(header(s, 'cookie')).toBe('session=abc123xyz; theme=dark; csrftoken=zzz987654');
      expect(s.secrets).toEqual(expect.arrayContaining(['abc123xyz', 'zzz987654']));
      // Short ordinary words are not registered: they would be masked everywhere in the output.
      expect(s.secrets).not.toContain('dark');
    },
  },
  {
    name: 'sets User-Agent, Referer and, for --compressed, Accept-Encoding',
    command: "curl -A 'my-agent/1.0' -e 'https://ref.example.com/;auto' --compressed https://api.example.com/",
    expect: (s) => {
      expect(header(s, 'user-agent')).toBe('my-agent/1.0');
      expect(header(s, 'referer')).toBe('https://ref.example.com/');
      expect(header(s, 'accept-encoding')).toBe(CURL_COMPRESSED_ACCEPT_ENCODING);
    },
  },
  {
    name: 'reads the URL from --url and accepts --basic as a no-op',
    command: 'curl --basic -u a:b --url https://api.example.com/x',
    expect: (s) => {
      expect(s.url).toBe('https://api.example.com/x');
      expect(header(s, 'authorization')).toBe(basic('a', 'b'));
    },
  },
  {
    name: "removes curl's own header with -H 'Name:' and sends an empty one with -H 'Name;'",
    command: "curl -A agent -H 'User-Agent:' -H 'X-Empty;' https://api.example.com/",
    expect: (s) => {
      expect(header(s, 'user-agent')).toBeUndefined();
      expect(s.headers).toContainEqual({ name: 'X-Empty', value: '' });
    },
  },
  {
    name: 'expands $VAR and ${VAR} from the environment when set',
    command: 'curl -H "Authorization: Bearer $TOKEN" -H "X-Tenant: ${TENANT}" https://api.example.com/',
    env: { TOKEN: 'tok-123456789', TENANT: 'acme' },
    expect: (s) => {
      expect(header(s, 'authorization')).toBe('Bearer tok-123456789');
      expect(header(s, 'x-tenant')).toBe('acme');
      expect(s.secrets).toContain('tok-123456789');
    },
  },
  {
    name: 'keeps an unset $VAR as literal text, and does not register it as a secret',
    command: 'curl -H "Authorization: Bearer $TOKEN" https://api.example.com/',
    env: {},
    expect: (s) => {
      expect(header(s, 'authorization')).toBe('Bearer $TOKEN');
      expect(s.secrets ?? []).not.toContain('$TOKEN');
    },
  },
  {
    name: 'does not expand variables inside single quotes',
    command: "curl -H 'Authorization: Bearer $TOKEN' https://api.example.com/",
    env: { TOKEN: 'set-but-quoted' },
    expect: (s) => expect(header(s, 'authorization')).toBe('Bearer $TOKEN'),
  },
  {
    name: 'uses ${VAR:-default} when the variable is unset',
    command: 'curl "https://${HOST:-api.example.com}/v1"',
    env: {},
    expect: (s) => expect(s.url).toBe('https://api.example.com/v1'),
  },
  {
    name: 'imports environment variables with --variable %NAME and expands them in --expand-header',
    command: "curl --variable %API_KEY --expand-header 'X-Api-Key: {{API_KEY:trim}}' --expand-url 'https://api.example.com/{{path:url}}' --variable 'path=a b'",
    env: { API_KEY: '  key-abcdef123456 ' },
    expect: (s) => {
      expect(header(s, 'x-api-key')).toBe('key-abcdef123456');
      // --variable after --expand-url is set too late: curl expands an unknown name to nothing.
      expect(s.url).toBe('https://api.example.com/');
    },
  },
  {
    name: 'skips leading environment assignments (bash expands $X before assigning)',
    command: 'TOKEN=abc curl -H "X-T: $TOKEN" https://api.example.com/',
    env: {},
    expect: (s) => expect(header(s, 'x-t')).toBe('$TOKEN'),
  },
  {
    name: 'accepts output-only flags with values and lists them as ignored',
    command: "curl -s -o /dev/null -w '%{http_code}' --max-time 10 --retry 3 --fail-with-body -v -i https://api.example.com/",
    expect: (s) => expect(s.ignoredFlags).toEqual(['-s', '-o', '-w', '--max-time', '--retry', '--fail-with-body', '-v', '-i']),
  },
  {
    name: 'accepts --no-<flag> for boolean flags',
    command: 'curl -k --no-insecure --no-progress-meter https://api.example.com/',
    expect: (s) => expect(s.insecure).toBeUndefined(),
  },
  {
    name: 'collects secrets from credential headers, query parameters and form bodies',
    command: "curl -H 'X-Api-Key: key-111111111' -d 'grant_type=client_credentials&client_secret=cs-2222222' 'https://auth.example.com/token?access_token=qt-3333333'",
    expect: (s) => expect(s.secrets).toEqual(expect.arrayContaining(['key-111111111', 'cs-2222222', 'qt-3333333'])),
  },
  {
    name: 'collects secrets from a JSON body',
    command: `curl --json '{"username":"u","password":"pw-4444444"}' https://auth.example.com/login`,
    expect: (s) => expect(s.secrets).toContain('pw-4444444'),
  },
];

describe('parseCurlCommand', () => {
  for (const c of cases) {
    it(c.name, () => {
      c.expect(parseCurlCommand(c.command, c.env ?? {}));
    });
  }

  it('reads @file for -d (stripping newlines) and keeps them for --data-binary', () => {
    expect(parseCurlCommand('curl -d @body.txt https://x.example.com/', {}, { cwd: dir }).body).toBe('a=1b=2');
    expect(parseCurlCommand('curl --data-binary @body.txt https://x.example.com/', {}, { cwd: dir }).body).toBe('a=1\r\nb=2\n');
    expect(parseCurlCommand('curl --json @payload.json https://x.example.com/', {}, { cwd: dir }).body).toBe('{"x": 1}\n');
    expect(parseCurlCommand('curl --data-urlencode msg@note.txt https://x.example.com/', {}, { cwd: dir }).body).toBe('msg=hello%20world%26more');
  });

  it('reads headers from -H @file, one per line', () => {
    const spec = parseCurlCommand('curl -H @headers.txt https://x.example.com/', {}, { cwd: dir });
    expect(spec.headers).toEqual([
      { name: 'X-One', value: '1' },
      { name: 'X-Two', value: '2' },
    ]);
  });

  it('uploads -T FILE with PUT and appends the file name to a URL ending in /', () => {
    const spec = parseCurlCommand('curl -T upload.bin https://bucket.example.com/dir/', {}, { cwd: dir });
    expect(spec.method).toBe('PUT');
    expect(spec.url).toBe('https://bucket.example.com/dir/upload.bin');
    expect(spec.body).toBe('file-content');
  });
});

describe('parseCurlArgs', () => {
  it('handles the argv form the CLI passes after the subcommand', () => {
    const spec = parseCurlArgs(['https://api.example.com/items', '-X', 'POST', '-H', 'a: b', '-d', 'x', '-u', 'user:pass']);
    expect(spec).toMatchObject({ method: 'POST', url: 'https://api.example.com/items', body: 'x' });
    expect(spec.headers).toEqual([
      { name: 'Authorization', value: basic('user', 'pass') },
      { name: 'a', value: 'b' },
      { name: 'Content-Type', value: 'application/x-www-form-urlencoded' },
    ]);
  });

  it('sends a single-quoted $TOKEN as written (the shell already expanded what it could)', () => {
    const spec = parseCurlArgs(['https://api.example.com/', '-H', 'Authorization: Bearer $TOKEN'], { TOKEN: 'x' });
    expect(header(spec, 'authorization')).toBe('Bearer $TOKEN');
  });
});

interface BadCase {
  name: string;
  command: string;
  env?: Record<string, string>;
  code: string;
  message: string;
}

const bad: BadCase[] = [
  { name: 'an empty command', command: '   ', code: 'E_CURL_EMPTY', message: 'empty' },
  { name: 'an unterminated single quote', command: "curl -H 'Authorization: Bearer abc https://x.example.com/", code: 'E_CURL_SYNTAX', message: "unterminated single quote (') opened at line 1 col 9" },
  { name: 'an unterminated double quote on a later line', command: 'curl https://x.example.com/ \\\n -H "X-A: 1', code: 'E_CURL_SYNTAX', message: 'unterminated double quote' },
  { name: 'a pipe', command: "curl https://x.example.com/ | jq '.'", code: 'E_CURL_SHELL_OPERATOR', message: 'a pipe (|)' },
  { name: 'a command list with &&', command: 'curl https://x.example.com/ && echo ok', code: 'E_CURL_SHELL_OPERATOR', message: '(&&)' },
  { name: 'a semicolon', command: 'curl https://x.example.com/; echo', code: 'E_CURL_SHELL_OPERATOR', message: 'command separator (;)' },
  { name: 'an output redirection', command: 'curl https://x.example.com/ > out.json', code: 'E_CURL_SHELL_OPERATOR', message: 'output redirection' },
  { name: 'command substitution', command: 'curl -H "Authorization: Bearer $(gcloud auth print-access-token)" https://x.example.com/', code: 'E_CURL_SUBSTITUTION', message: 'command substitution' },
  { name: 'backticks', command: 'curl -H "X-T: `date`" https://x.example.com/', code: 'E_CURL_SUBSTITUTION', message: 'command substitution' },
  { name: 'a second command on a new line', command: 'curl https://x.example.com/\ncurl https://y.example.com/', code: 'E_CURL_MULTIPLE_COMMANDS', message: 'more than one command' },
  { name: 'another program', command: 'wget https://x.example.com/', code: 'E_CURL_NOT_CURL', message: 'starts with "wget", not curl' },
  { name: 'an unsupported long flag, named', command: 'curl --digest -u a:b https://x.example.com/', code: 'E_CURL_UNSUPPORTED_FLAG', message: 'curl flag --digest is not supported by authdoctor' },
  { name: 'an unknown flag, named', command: 'curl --frobnicate https://x.example.com/', code: 'E_CURL_UNSUPPORTED_FLAG', message: 'curl flag --frobnicate is not supported by authdoctor (or is not a curl flag)' },
  { name: 'an unsupported short flag inside a cluster, named', command: 'curl -sF a=b https://x.example.com/', code: 'E_CURL_UNSUPPORTED_FLAG', message: 'curl flag -F (--form) is not supported' },
  { name: 'a --name=value flag', command: 'curl --header=X-A:1 https://x.example.com/', code: 'E_CURL_UNSUPPORTED_FLAG', message: 'write --header VALUE' },
  { name: 'a flag without its value', command: 'curl https://x.example.com/ -H', code: 'E_CURL_MISSING_ARG', message: 'curl flag -H needs a value' },
  { name: 'no URL', command: 'curl -H "X-A: 1"', code: 'E_CURL_NO_URL', message: 'no URL' },
  { name: 'two URLs', command: 'curl https://x.example.com/ https://y.example.com/', code: 'E_CURL_MULTIPLE_URLS', message: '2 URLs' },
  { name: 'a bad URL', command: 'curl "https://exa mple.com/"', code: 'E_CURL_BAD_URL', message: 'is not a valid URL' },
  { name: 'a URL without a usable host', command: 'curl -', code: 'E_CURL_BAD_URL', message: 'has no host name' },
  { name: 'a non-HTTP URL', command: 'curl ftp://files.example.com/x', code: 'E_CURL_BAD_URL', message: 'uses ftp' },
  { name: '-u without a password', command: 'curl -u alice https://x.example.com/', code: 'E_CURL_USER_NO_PASSWORD', message: 'would stop and prompt' },
  { name: 'a cookie jar file', command: 'curl -b cookies.txt https://x.example.com/', code: 'E_CURL_COOKIE_JAR', message: 'cookie jars are not supported' },
  { name: 'a header without a colon', command: "curl -H 'Authorization Bearer x' https://x.example.com/", code: 'E_CURL_HEADER', message: 'needs "Name: value"' },
  { name: 'a header name with a space', command: "curl -H 'X Api: 1' https://x.example.com/", code: 'E_CURL_HEADER', message: 'not a valid header name' },
  { name: 'HEAD with data', command: 'curl -I -d a=1 https://x.example.com/', code: 'E_CURL_METHOD_CONFLICT', message: '-I/--head asks for HEAD' },
  { name: '--aws-sigv4 without keys', command: 'curl --aws-sigv4 aws:amz:us-east-1:s3 https://s3.amazonaws.com/', code: 'E_CURL_AWS_SIGV4', message: 'add -u "ACCESS_KEY_ID:SECRET_ACCESS_KEY"' },
  { name: '--aws-sigv4 with an empty part', command: 'curl --aws-sigv4 aws::us-east-1 -u k:s https://x.amazonaws.com/', code: 'E_CURL_AWS_SIGV4', message: 'no empty part' },
  { name: '--aws-sigv4 on a host with no service label', command: 'curl --aws-sigv4 aws:amz -u k:s http://localhost/', code: 'E_CURL_AWS_SIGV4', message: 'no dot to take it from' },
  { name: '-u together with --oauth2-bearer', command: 'curl -u a:b --oauth2-bearer t https://x.example.com/', code: 'E_CURL_AUTH_CONFLICT', message: 'keep one of them' },
  { name: 'a missing @file', command: 'curl -d @missing.txt https://x.example.com/', code: 'E_CURL_FILE', message: 'Cannot read missing.txt for -d @missing.txt: no such file' },
  { name: 'data from stdin', command: 'curl -d @- https://x.example.com/', code: 'E_CURL_FILE', message: 'standard input' },
  { name: 'an unset required --variable', command: 'curl --variable %NOPE --expand-url "https://x.example.com/{{NOPE}}"', code: 'E_CURL_VARIABLE', message: 'NOPE, which is not set' },
  { name: 'a bad proxy scheme', command: 'curl -x ftp://proxy:21 https://x.example.com/', code: 'E_CURL_BAD_PROXY', message: 'uses the scheme ftp' },
];

describe('parseCurlCommand errors', () => {
  for (const c of bad) {
    it(`rejects ${c.name} with ${c.code}`, () => {
      const error = usageError(() => parseCurlCommand(c.command, c.env ?? {}, { cwd: dir }));
      expect(error.code).toBe(c.code);
      expect(error.message).toContain(c.message);
      expect(error.exitCode).toBe(2);
      expect(error.message.includes('\n')).toBe(false);
    });
  }

  it('explains in the hint what to do instead of an unsupported flag', () => {
    expect(usageError(() => parseCurlCommand('curl --digest -u a:b https://x.example.com/')).hint).toContain('Digest authentication is not implemented');
    expect(usageError(() => parseCurlCommand('curl --cacert ca.pem https://x.example.com/')).hint).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('never quotes a credential in an error message', () => {
    const secret = 'sk_live_51Habcdefghijklmnopqrstuv';
    const error = usageError(() => parseCurlCommand(`curl -u ${secret} https://api.stripe.com/v1/charges`));
    expect(error.code).toBe('E_CURL_USER_NO_PASSWORD');
    expect(`${error.message} ${error.hint ?? ''}`.includes(secret)).toBe(false);
    const quoting = usageError(() => parseCurlCommand(`curl -H 'Authorization: Bearer ${secret}`));
    expect(`${quoting.message} ${quoting.hint ?? ''}`.includes(secret)).toBe(false);
  });

  it('throws AuthdoctorErrors only (no TypeError or stack-trace material) for garbage input', () => {
    for (const input of ['curl "${}"', 'curl -', "curl $'\\x", 'curl ^"', 'curl -X', 'curl https://', '---']) {
      try {
        parseCurlCommand(input);
      } catch (error) {
        expect(error).toBeInstanceOf(AuthdoctorError);
      }
    }
  });
});
