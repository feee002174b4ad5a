import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { parseAuthorization } from '../core/credential.ts';
import { isSensitiveHeader, isSensitiveJsonKey, isSensitiveParam, processRedactor } from '../core/redact.ts';
import type { AuthSpec, HeaderEntry, RequestSpec } from '../core/types.ts';
import { tokenizeCommand, type Env } from './tokenize.ts';

/**
 * curl's command line → one RequestSpec, following curl's documented semantics (curl(1), and
 * tool_getparam.c / http_aws_sigv4.c where the manual is silent). Every flag is either handled,
 * explicitly accepted as output/behaviour-only (listed in `ignoredFlags`), or rejected by name:
 * nothing is dropped silently, because a dropped flag means a different request.
 */

export interface CurlParseOptions {
  /** Directory that `@file` arguments are relative to; defaults to the process's. */
  cwd?: string;
}

/** What curl input yields beyond a plain RequestSpec. */
export interface CurlRequestSpec extends RequestSpec {
  /**
   * `--noproxy` hosts (`*` = all), and `['*']` for `--proxy ''`: proxies from the profile or the
   * environment must not be used for these hosts either.
   */
  noProxy?: string[] | undefined;
  /** Flags accepted because they change only curl's output or behaviour (`-s`, `-L`, `-o out`). */
  ignoredFlags?: string[] | undefined;
}

/** The `Accept-Encoding` that `--compressed` makes curl send (every algorithm a current build has). */
export const CURL_COMPRESSED_ACCEPT_ENCODING = 'deflate, gzip, br, zstd';

// ---------------------------------------------------------------------------------------------
// Flag tables
// ---------------------------------------------------------------------------------------------

/** Handled flags that take a value. */
const HANDLED_WITH_VALUE = new Set([
  'request', 'header', 'user', 'oauth2-bearer', 'aws-sigv4', 'proxy', 'proxy-user', 'noproxy',
  'data', 'data-raw', 'data-binary', 'data-ascii', 'data-urlencode', 'json', 'user-agent', 'referer',
  'cookie', 'url', 'upload-file', 'url-query', 'variable',
]);
/** Handled flags without a value (`--no-<name>` turns them off, as in curl). */
const HANDLED_BOOLEAN = new Set(['get', 'head', 'insecure', 'basic', 'compressed', 'proxy-basic']);

/** Output/behaviour-only flags that take a value: accepted, value ignored. */
const ACCEPTED_WITH_VALUE = new Set([
  'output', 'write-out', 'max-time', 'connect-timeout', 'retry', 'retry-delay', 'retry-max-time',
  'max-redirs', 'dump-header', 'trace', 'trace-ascii', 'trace-config', 'stderr', 'limit-rate',
  'max-filesize', 'speed-limit', 'speed-time', 'keepalive-time', 'expect100-timeout', 'output-dir',
  'cookie-jar', 'happy-eyeballs-timeout-ms', 'parallel-max', 'rate', 'create-file-mode',
]);
/** Output/behaviour-only flags without a value. */
const ACCEPTED_BOOLEAN = new Set([
  'silent', 'show-error', 'verbose', 'include', 'show-headers', 'location', 'location-trusted', 'fail',
  'fail-with-body', 'fail-early', 'no-buffer', 'buffer', 'globoff', 'remote-name', 'remote-name-all',
  'remote-header-name', 'remote-time', 'create-dirs', 'progress-bar', 'progress-meter',
  'no-progress-meter', 'http1.0', 'http1.1', 'http2', 'http2-prior-knowledge', 'http3', 'http3-only',
  'http0.9', 'ipv4', 'ipv6', 'tcp-nodelay', 'tcp-fastopen', 'keepalive', 'sessionid', 'alpn', 'npn',
  'styled-output', 'raw', 'tr-encoding', 'retry-all-errors', 'retry-connrefused', 'parallel',
  'parallel-immediate', 'disable', 'path-as-is', 'post301', 'post302', 'post303', 'ssl-no-revoke',
  'ssl-revoke-best-effort', 'tlsv1', 'tlsv1.0', 'tlsv1.1', 'tlsv1.2', 'tlsv1.3', 'junk-session-cookies',
  'xattr', 'trace-time', 'ignore-content-length', 'skip-existing', 'clobber', 'remove-on-error',
  'suppress-connect-headers',
]);

const SHORT: Record<string, string> = {
  X: 'request', H: 'header', u: 'user', x: 'proxy', U: 'proxy-user', k: 'insecure', d: 'data',
  G: 'get', A: 'user-agent', e: 'referer', b: 'cookie', I: 'head', T: 'upload-file',
  o: 'output', w: 'write-out', m: 'max-time', D: 'dump-header', Y: 'speed-limit', y: 'speed-time',
  c: 'cookie-jar', s: 'silent', S: 'show-error', v: 'verbose', i: 'include', L: 'location', f: 'fail',
  N: 'no-buffer', g: 'globoff', O: 'remote-name', J: 'remote-header-name', R: 'remote-time',
  '#': 'progress-bar', '0': 'http1.0', '1': 'tlsv1', '4': 'ipv4', '6': 'ipv6', q: 'disable', Z: 'parallel',
  j: 'junk-session-cookies',
  // Known to curl, not supported here (the long name carries the advice):
  F: 'form', E: 'cert', K: 'config', n: 'netrc', r: 'range', z: 'time-cond', C: 'continue-at',
  t: 'telnet-option', Q: 'quote', P: 'ftp-port', l: 'list-only', a: 'append', B: 'use-ascii',
  M: 'manual', V: 'version', h: 'help', p: 'proxytunnel', '2': 'sslv2', '3': 'sslv3',
};

/** Flags curl has that change the request in ways authdoctor cannot reproduce, with advice. */
const UNSUPPORTED_ADVICE: Record<string, string> = {
  form: 'multipart forms are not sent by authdoctor; reproduce the call with -d/--data, or record it as a HAR file',
  'form-string': 'multipart forms are not sent by authdoctor; reproduce the call with -d/--data, or record it as a HAR file',
  digest: 'HTTP Digest authentication is not implemented; authdoctor sends Basic (-u), Bearer (--oauth2-bearer) and AWS SigV4',
  ntlm: 'NTLM authentication is not implemented; authdoctor sends Basic (-u), Bearer (--oauth2-bearer) and AWS SigV4',
  negotiate: 'Negotiate/Kerberos authentication is not implemented; authdoctor sends Basic (-u), Bearer (--oauth2-bearer) and AWS SigV4',
  anyauth: 'authdoctor does not probe for the auth method; use -u for Basic (the default), or --oauth2-bearer',
  cert: 'client certificates (mTLS) are not supported yet',
  key: 'client certificates (mTLS) are not supported yet',
  cacert: 'set NODE_EXTRA_CA_CERTS=FILE in the environment instead',
  capath: 'set NODE_EXTRA_CA_CERTS=FILE in the environment instead',
  config: 'paste the options from the config file into the command instead',
  netrc: 'pass the credentials with -u user:password instead',
  'netrc-file': 'pass the credentials with -u user:password instead',
  'netrc-optional': 'pass the credentials with -u user:password instead',
  resolve: 'authdoctor connects to the host in the URL',
  'connect-to': 'authdoctor connects to the host in the URL',
  'unix-socket': 'authdoctor connects over TCP only',
  range: "add the header yourself: -H 'Range: bytes=…'",
  'time-cond': "add the header yourself: -H 'If-Modified-Since: …'",
  'proxy-insecure': 'authdoctor verifies the TLS certificate of an https proxy',
  'request-target': 'authdoctor sends the path of the URL',
  next: 'authdoctor checks one request at a time; keep the part of the command for the failing request',
  'proxy-header': 'authdoctor does not send extra headers to the proxy yet',
};

// ---------------------------------------------------------------------------------------------
// Parsing state
// ---------------------------------------------------------------------------------------------

interface State {
  urls: string[];
  method?: string | undefined;
  head: boolean;
  get: boolean;
  headers: HeaderEntry[];
  /** `-H 'Name:'`: internal headers of these names are not sent. */
  removed: Set<string>;
  user?: string | undefined;
  bearer?: string | undefined;
  awsSigv4?: string | undefined;
  body?: string | undefined;
  /** Kind of the data flags used (for the default Content-Type). */
  dataKinds: Set<'form' | 'json'>;
  urlQuery: string[];
  proxy?: string | undefined;
  proxyUser?: string | undefined;
  noproxy?: string | undefined;
  insecure: boolean;
  userAgent?: string | undefined;
  referer?: string | undefined;
  cookies: string[];
  compressed: boolean;
  uploadFile?: string | undefined;
  variables: Map<string, string>;
  ignored: string[];
  secrets: Set<string>;
}

function unsupported(display: string, name: string): UsageError {
  const advice = UNSUPPORTED_ADVICE[name];
  const known = advice !== undefined || Object.values(SHORT).includes(name);
  const hint = advice
    ? `${advice.charAt(0).toUpperCase()}${advice.slice(1)}.`
    : "Flags that only change curl's output (-s, -v, -o FILE, -w …) are accepted; flags that change the request must be ones authdoctor can reproduce.";
  return new UsageError('E_CURL_UNSUPPORTED_FLAG', `curl flag ${display} is not supported by authdoctor${known ? '' : ' (or is not a curl flag)'}; remove it and run again.`, { hint });
}

function takesValue(name: string): boolean {
  return HANDLED_WITH_VALUE.has(name) || ACCEPTED_WITH_VALUE.has(name);
}

function isKnown(name: string): boolean {
  return takesValue(name) || HANDLED_BOOLEAN.has(name) || ACCEPTED_BOOLEAN.has(name);
}

// ---------------------------------------------------------------------------------------------
// Helpers for values
// ---------------------------------------------------------------------------------------------

function readArgFile(path: string, flag: string, options: CurlParseOptions): Buffer {
  if (path === '-') {
    throw new UsageError('E_CURL_FILE', `${flag} @- reads standard input, which authdoctor does not forward; put the data in a file and use ${flag} @FILE.`);
  }
  const full = resolve(options.cwd ?? process.cwd(), path);
  try {
    return readFileSync(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    throw new UsageError('E_CURL_FILE', `Cannot read ${path} for ${flag} @${path}: ${why}.`, { hint: `Paths after @ are relative to ${options.cwd ?? process.cwd()}.` });
  }
}

/** curl_easy_escape: everything but RFC 3986 unreserved characters is %XX-encoded (space → %20). */
export function curlEscape(text: string): string {
  // A lone UTF-16 surrogate has no UTF-8 bytes (encodeURIComponent throws URIError on it); it can
  // only come from a broken paste, and becomes U+FFFD as any UTF-8 decoder would make it.
  const wellFormed = text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  return encodeURIComponent(wellFormed).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `--data-urlencode` / `--url-query` content: `content`, `=content`, `name=content`, `@file`,
 * `name@file` (curl looks for `=` first, then `@`). `--url-query` also has `+content` (no encoding).
 */
function urlencodeArg(value: string, flag: string, options: CurlParseOptions, allowPlus: boolean): string {
  if (allowPlus && value.startsWith('+')) return value.slice(1);
  let at = value.indexOf('=');
  if (at < 0) at = value.indexOf('@');
  if (at < 0) return curlEscape(value);
  const name = value.slice(0, at);
  const rest = value.slice(at + 1);
  const content = value[at] === '@' ? readArgFile(rest, flag, options).toString('utf8') : rest;
  const encoded = curlEscape(content);
  return name ? `${name}=${encoded}` : encoded;
}

const TOKEN_CHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function parseHeaderArg(raw: string, state: State, flag: string): void {
  const colon = raw.indexOf(':');
  const semicolon = raw.indexOf(';');
  if (colon < 0 && semicolon > 0 && raw.slice(semicolon + 1).trim() === '') {
    // `Name;` sends the header with an empty value.
    const name = raw.slice(0, semicolon).trim();
    checkHeaderName(name, flag);
    state.headers.push({ name, value: '' });
    return;
  }
  if (colon <= 0) {
    throw new UsageError('E_CURL_HEADER', `${flag} needs "Name: value"; the value given has no colon after a header name.`, {
      hint: `Write it like -H 'Authorization: Bearer $TOKEN'.`,
    });
  }
  const name = raw.slice(0, colon);
  checkHeaderName(name, flag);
  const value = raw.slice(colon + 1).replace(/^[ \t]+/, '');
  if (/[\r\n\0]/.test(value)) {
    throw new UsageError('E_CURL_HEADER', `Header ${name} contains a line break or NUL character, which HTTP does not allow in a header value.`, {
      hint: 'Check the quoting of the -H value, and of any variable it expands.',
    });
  }
  if (value === '') {
    // `Name:` with nothing after it removes curl's own header of that name.
    state.removed.add(name.toLowerCase());
    state.headers = state.headers.filter((h) => h.name.toLowerCase() !== name.toLowerCase());
    return;
  }
  state.headers.push({ name, value });
}

function checkHeaderName(name: string, flag: string): void {
  if (!TOKEN_CHARS.test(name)) {
    throw new UsageError('E_CURL_HEADER', `${flag}: "${processRedactor.text(name.slice(0, 40))}" is not a valid header name (no spaces or separators allowed).`, {
      hint: `Write headers as -H 'Name: value'.`,
    });
  }
}

function addData(state: State, text: string, kind: 'form' | 'json'): void {
  state.dataKinds.add(kind);
  if (state.body === undefined) state.body = text;
  else state.body += kind === 'json' ? text : `&${text}`;
}

const VARIABLE_NAME = /^[A-Za-z0-9_]{1,128}$/;

function setVariable(value: string, state: State, env: Env, options: CurlParseOptions): void {
  const importing = value.startsWith('%');
  const spec = importing ? value.slice(1) : value;
  let at = spec.indexOf('=');
  const atFile = spec.indexOf('@');
  if (at < 0 || (atFile >= 0 && atFile < at)) at = atFile;
  const name = at < 0 ? spec : spec.slice(0, at);
  if (!VARIABLE_NAME.test(name)) {
    throw new UsageError('E_CURL_VARIABLE', `--variable needs a name of letters, digits and underscores (then =content or @file); byte ranges like name[0-9] are not supported.`);
  }
  let content: string | undefined;
  if (at >= 0) content = spec[at] === '@' ? readArgFile(spec.slice(at + 1), '--variable', options).toString('utf8') : spec.slice(at + 1);
  if (importing) {
    const fromEnv = env[name];
    if (fromEnv !== undefined) content = fromEnv;
    else if (content === undefined) {
      throw new UsageError('E_CURL_VARIABLE', `--variable %${name} imports the environment variable ${name}, which is not set.`, {
        hint: `Export it first (export ${name}=…), or give a default: --variable %${name}=default.`,
      });
    }
  } else if (content === undefined) {
    throw new UsageError('E_CURL_VARIABLE', `--variable ${name} needs content: --variable ${name}=content or --variable ${name}@file.`);
  }
  state.variables.set(name, content ?? '');
}

/** `{{name}}` / `{{name:fn:fn}}` expansion of `--expand-*` values; `\{{` is a literal `{{`. */
function expandVariables(text: string, state: State): string {
  return text.replace(/\\\{\{|\{\{([A-Za-z0-9_]+)((?::[A-Za-z0-9]+)*)\}\}/g, (match, name: string | undefined, fns: string) => {
    if (name === undefined) return '{{';
    // curl expands an unknown variable to nothing.
    let value = state.variables.get(name) ?? '';
    for (const fn of fns.split(':').filter(Boolean)) {
      switch (fn) {
        case 'trim':
          value = value.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, '');
          break;
        case 'json':
          value = JSON.stringify(value).slice(1, -1);
          break;
        case 'url':
          value = curlEscape(value);
          break;
        case 'b64':
          value = Buffer.from(value, 'utf8').toString('base64');
          break;
        case '64dec':
          value = /^[A-Za-z0-9+/]*={0,2}$/.test(value) ? Buffer.from(value, 'base64').toString('utf8') : '[64dec-fail]';
          break;
        default:
          throw new UsageError('E_CURL_VARIABLE', `Unknown variable function "${fn}" in ${match.replace(name, '…')}; curl has trim, json, url, b64 and 64dec.`);
      }
    }
    return value;
  });
}

// ---------------------------------------------------------------------------------------------
// Applying one flag
// ---------------------------------------------------------------------------------------------

function apply(name: string, value: string | undefined, display: string, state: State, env: Env, options: CurlParseOptions): void {
  const v = value ?? '';
  switch (name) {
    case 'request':
      state.method = v === '' ? undefined : v; // `-X ''` restores curl's own choice
      return;
    case 'header':
      if (v.startsWith('@')) {
        const lines = readArgFile(v.slice(1), display, options).toString('utf8').split(/\r?\n/);
        for (const line of lines) if (line.trim() !== '') parseHeaderArg(line, state, display);
      } else parseHeaderArg(v, state, display);
      return;
    case 'user':
      state.user = v;
      return;
    case 'oauth2-bearer':
      state.bearer = v;
      return;
    case 'aws-sigv4':
      state.awsSigv4 = v;
      return;
    case 'proxy':
      state.proxy = v;
      return;
    case 'proxy-user':
      state.proxyUser = v;
      return;
    case 'noproxy':
      state.noproxy = v;
      return;
    case 'data':
    case 'data-ascii':
      // curl strips carriage returns and newlines from a file read with -d @file.
      addData(state, v.startsWith('@') ? readArgFile(v.slice(1), display, options).toString('utf8').replace(/[\r\n]/g, '') : v, 'form');
      return;
    case 'data-binary':
      addData(state, v.startsWith('@') ? readArgFile(v.slice(1), display, options).toString('utf8') : v, 'form');
      return;
    case 'data-raw':
      addData(state, v, 'form');
      return;
    case 'data-urlencode':
      addData(state, urlencodeArg(v, display, options, false), 'form');
      return;
    case 'json':
      addData(state, v.startsWith('@') ? readArgFile(v.slice(1), display, options).toString('utf8') : v, 'json');
      return;
    case 'url-query':
      state.urlQuery.push(urlencodeArg(v, display, options, true));
      return;
    case 'user-agent':
      state.userAgent = v;
      return;
    case 'referer':
      state.referer = v.replace(/;auto$/, '');
      return;
    case 'cookie':
      if (v === '') return; // `-b ''` only switches curl's cookie engine on
      if (!v.includes('=')) {
        throw new UsageError('E_CURL_COOKIE_JAR', `${display} ${v.includes('/') || v.includes('.') ? 'names a cookie file' : 'has no name=value pair, so curl would read it as a cookie file'}; cookie jars are not supported by authdoctor.`, {
          hint: `Pass the cookies themselves: ${display} 'name=value; other=value'.`,
        });
      }
      state.cookies.push(v);
      return;
    case 'url':
      state.urls.push(v);
      return;
    case 'upload-file':
      state.uploadFile = v;
      return;
    case 'variable':
      setVariable(v, state, env, options);
      return;
    case 'get':
      state.get = true;
      return;
    case 'head':
      state.head = true;
      return;
    case 'insecure':
      state.insecure = true;
      return;
    case 'compressed':
      state.compressed = true;
      return;
    case 'basic':
    case 'proxy-basic':
      return; // Basic is curl's default for -u and -U
    default:
      if (ACCEPTED_BOOLEAN.has(name) || ACCEPTED_WITH_VALUE.has(name)) {
        state.ignored.push(display);
        return;
      }
      throw unsupported(display, name);
  }
}

function negate(name: string, display: string, state: State): void {
  switch (name) {
    case 'get':
      state.get = false;
      return;
    case 'head':
      state.head = false;
      return;
    case 'insecure':
      state.insecure = false;
      return;
    case 'compressed':
      state.compressed = false;
      return;
    case 'basic':
    case 'proxy-basic':
      return;
    default:
      if (ACCEPTED_BOOLEAN.has(name)) {
        state.ignored.push(display);
        return;
      }
      throw unsupported(display, `no-${name}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Building the spec
// ---------------------------------------------------------------------------------------------

const HAS_SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function parseUrl(raw: string): URL {
  // curl assumes http:// when the URL has no scheme.
  const withScheme = HAS_SCHEME.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError('E_CURL_BAD_URL', `"${processRedactor.url(raw.slice(0, 200))}" is not a valid URL.`, {
      hint: 'Quote the URL, and check the host name and port (e.g. https://api.example.com/v1/me).',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError('E_CURL_BAD_URL', `authdoctor checks HTTP and HTTPS requests; this URL uses ${url.protocol.slice(0, -1)}.`);
  }
  if (!/[a-z0-9]/i.test(url.hostname)) {
    throw new UsageError('E_CURL_BAD_URL', `"${processRedactor.url(raw.slice(0, 200))}" has no host name.`);
  }
  return url;
}

function appendQuery(url: string, query: string): string {
  if (query === '') return url;
  const hash = url.indexOf('#');
  const base = hash >= 0 ? url.slice(0, hash) : url;
  const fragment = hash >= 0 ? url.slice(hash) : '';
  return `${base}${base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?'}${query}${fragment}`;
}

/** curl's --noproxy: `*`, exact host names, or domain suffixes (a leading dot is optional). */
export function matchesNoProxy(host: string, list: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return list.some((entry) => {
    const e = entry.trim().toLowerCase().replace(/^\./, '').replace(/^\[|\]$/g, '');
    if (e === '') return false;
    if (e === '*') return true;
    return h === e || h.endsWith(`.${e}`);
  });
}

function buildProxy(raw: string, proxyUser: string | undefined, secrets: Set<string>): string {
  const withScheme = HAS_SCHEME.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError('E_CURL_BAD_PROXY', `-x/--proxy "${processRedactor.url(raw.slice(0, 200))}" is not a valid proxy URL.`, {
      hint: 'Write it like -x http://proxy.example.com:3128.',
    });
  }
  if (!/^(https?|socks4a?|socks5h?):$/.test(url.protocol)) {
    throw new UsageError('E_CURL_BAD_PROXY', `-x/--proxy uses the scheme ${url.protocol.slice(0, -1)}; curl proxies are http, https, socks4, socks4a, socks5 or socks5h.`);
  }
  if (proxyUser !== undefined) {
    const colon = proxyUser.indexOf(':');
    if (colon < 0) {
      throw new UsageError('E_CURL_USER_NO_PASSWORD', '-U/--proxy-user has no password, so curl would prompt for it; write -U \'user:password\'.');
    }
    url.username = curlEscape(proxyUser.slice(0, colon));
    url.password = curlEscape(proxyUser.slice(colon + 1));
  }
  if (url.password) secrets.add(safeDecode(url.password));
  const auth = url.username || url.password ? `${url.username}${url.password ? `:${url.password}` : ''}@` : '';
  return `${url.protocol}//${auth}${url.host}`;
}

function splitUser(user: string, flag: string): { name: string; password: string } {
  const colon = user.indexOf(':');
  if (colon < 0) {
    // Never quote the value: a user name here is often an API key (`-u sk_test_…` without the colon).
    throw new UsageError('E_CURL_USER_NO_PASSWORD', `${flag} has a user but no password, so curl would stop and prompt for one; authdoctor cannot prompt.`, {
      hint: `Write ${flag} 'user:password', or ${flag} 'user:' for an empty password (API keys passed as the user name need the trailing colon).`,
    });
  }
  return { name: user.slice(0, colon), password: user.slice(colon + 1) };
}

/** AWS host names are `<service>.<region>.amazonaws.com`; curl takes the first two labels. */
function sigv4Scope(param: string, host: string): AuthSpec['params'] {
  const parts = param.split(':');
  const [provider1 = '', provider2, region, service] = parts;
  if (provider1 === '' || parts.length > 4 || parts.some((p) => p === '')) {
    throw new UsageError('E_CURL_AWS_SIGV4', '--aws-sigv4 needs "provider1[:provider2[:region[:service]]]" with no empty part, e.g. --aws-sigv4 "aws:amz:us-east-1:execute-api".');
  }
  let finalService = service;
  let finalRegion = region;
  let serviceSource = 'flag';
  let regionSource = 'flag';
  if (finalService === undefined) {
    const labels = host.split('.');
    if (labels.length < 2) {
      throw new UsageError('E_CURL_AWS_SIGV4', `--aws-sigv4 has no service and the host name ${host} has no dot to take it from.`, {
        hint: 'Name region and service: --aws-sigv4 "aws:amz:REGION:SERVICE".',
      });
    }
    finalService = labels[0];
    serviceSource = 'hostname';
    if (finalRegion === undefined) {
      if (labels.length < 3) {
        throw new UsageError('E_CURL_AWS_SIGV4', `--aws-sigv4 has no region and the host name ${host} has no second label to take it from.`, {
          hint: 'Name region and service: --aws-sigv4 "aws:amz:REGION:SERVICE".',
        });
      }
      finalRegion = labels[1];
      regionSource = 'hostname';
    }
  }
  return {
    provider: provider1.toLowerCase(),
    provider2: (provider2 ?? provider1).toLowerCase(),
    region: finalRegion,
    service: finalService,
    regionSource,
    serviceSource,
  };
}

const MIN_INCIDENTAL_SECRET = 6;

function collectHeaderSecrets(headers: readonly HeaderEntry[], secrets: Set<string>): void {
  for (const h of headers) {
    const lower = h.name.toLowerCase();
    if (h.value === '') continue;
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      if (/^AWS4-/i.test(h.value)) {
        const keyId = /Credential=\s*([^/,\s]+)/.exec(h.value)?.[1];
        const signature = /Signature=\s*([^,\s]+)/.exec(h.value)?.[1];
        if (keyId) secrets.add(keyId);
        if (signature) secrets.add(signature);
        continue;
      }
      const carrier = parseAuthorization(h.name, h.value);
      const credential = carrier.credential.trim();
      if (credential) secrets.add(credential);
      if (carrier.scheme === 'basic') {
        const decoded = Buffer.from(credential, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon >= 0 && decoded.slice(colon + 1)) secrets.add(decoded.slice(colon + 1));
      }
      continue;
    }
    // Cookie values and other sensitive-looking headers also hold ordinary words (theme=dark,
    // X-Csrf-Mode: on); only values long enough to be credentials are registered for masking in
    // free text (the redactor still masks these headers structurally).
    if (lower === 'cookie') {
      for (const pair of h.value.split(/;\s*/)) {
        const eq = pair.indexOf('=');
        const value = eq >= 0 ? pair.slice(eq + 1) : '';
        if (value.length >= MIN_INCIDENTAL_SECRET) secrets.add(value);
      }
      continue;
    }
    if (isSensitiveHeader(h.name) && h.value.length >= MIN_INCIDENTAL_SECRET) secrets.add(h.value);
  }
}

function collectJsonSecrets(value: unknown, secrets: Set<string>, depth = 0): void {
  if (depth > 32 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collectJsonSecrets(item, secrets, depth + 1);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string' && v && isSensitiveJsonKey(key) && !/^(token_type|token_use|expires_in|token_endpoint.*)$/i.test(key)) secrets.add(v);
    else collectJsonSecrets(v, secrets, depth + 1);
  }
}

function collectBodySecrets(body: string, secrets: Set<string>): void {
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      collectJsonSecrets(JSON.parse(trimmed), secrets);
      return;
    } catch {
      // not JSON: fall through to form pairs
    }
  }
  for (const pair of trimmed.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const name = safeDecode(pair.slice(0, eq).replace(/\+/g, ' '));
    const value = safeDecode(pair.slice(eq + 1).replace(/\+/g, ' '));
    if (value && (isSensitiveParam(name) || isSensitiveJsonKey(name))) secrets.add(value);
  }
}

/**
 * Values that stand in for a credential rather than being one: an unexpanded `$TOKEN`, a curl
 * `{{name}}`, `null`/`undefined` from a broken template. Registering them as secrets would mask
 * the very text a rule quotes to explain the mistake.
 */
const NOT_A_SECRET = /^(?:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%[A-Za-z_][A-Za-z0-9_]*%|\{\{[A-Za-z0-9_]+\}\}|<[^<>]*>|null|undefined|none|nil)$/i;

function hasHeader(headers: readonly HeaderEntry[], name: string): boolean {
  const lower = name.toLowerCase();
  return headers.some((h) => h.name.toLowerCase() === lower);
}

function headerValue(headers: readonly HeaderEntry[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

function build(state: State, options: CurlParseOptions): CurlRequestSpec {
  if (state.urls.length === 0) {
    throw new UsageError('E_CURL_NO_URL', 'The curl command has no URL.', { hint: 'Add the URL of the request, e.g. https://api.example.com/v1/me.' });
  }
  if (state.urls.length > 1) {
    throw new UsageError('E_CURL_MULTIPLE_URLS', `The curl command has ${state.urls.length} URLs; authdoctor checks one request at a time.`, {
      hint: 'Keep the URL of the failing request. A stray word can also look like a URL: check the quoting of header and data values.',
    });
  }
  const uploading = state.uploadFile !== undefined;
  const hasData = state.body !== undefined;
  if (state.head && ((hasData && !state.get) || uploading)) {
    throw new UsageError('E_CURL_METHOD_CONFLICT', `-I/--head asks for HEAD, but ${uploading ? '-T/--upload-file' : 'the data flags'} ask for ${uploading ? 'PUT' : 'POST'}; curl refuses this too.`, {
      hint: 'Drop -I, or add -G to send the data in the query string.',
    });
  }
  if (uploading && hasData && !state.get) {
    throw new UsageError('E_CURL_METHOD_CONFLICT', '-T/--upload-file and -d/--data both set the request body; curl refuses this too.', { hint: 'Keep one of them.' });
  }

  let rawUrl = state.urls[0] as string;
  if (!HAS_SCHEME.test(rawUrl)) rawUrl = `http://${rawUrl}`;
  for (const q of state.urlQuery) rawUrl = appendQuery(rawUrl, q);
  let body = state.body;
  if (state.get && body !== undefined) {
    rawUrl = appendQuery(rawUrl, body);
    body = undefined;
  }
  const url = parseUrl(rawUrl);
  url.hash = ''; // curl never sends the fragment
  if (uploading && url.pathname.endsWith('/')) {
    // curl appends the uploaded file's name to a URL that ends in a slash.
    url.pathname += curlEscape(basename(state.uploadFile as string));
  }
  if (uploading) body = readArgFile(state.uploadFile as string, '-T', options).toString('utf8');

  const secrets = state.secrets;
  // Userinfo in the URL is curl's other way of saying -u; it never goes into the request line.
  let user = state.user;
  if (url.username || url.password) {
    user ??= `${safeDecode(url.username)}:${safeDecode(url.password)}`;
    url.username = '';
    url.password = '';
  }

  const method = state.method ?? (state.head ? 'HEAD' : state.get ? 'GET' : uploading ? 'PUT' : body !== undefined ? 'POST' : 'GET');

  const custom = state.headers;
  const blocked = (name: string): boolean => hasHeader(custom, name) || state.removed.has(name.toLowerCase());
  const before: HeaderEntry[] = [];
  const after: HeaderEntry[] = [];
  const internal = (list: HeaderEntry[], name: string, value: string): void => {
    if (!blocked(name)) list.push({ name, value });
  };

  let auth: AuthSpec | undefined;
  if (state.awsSigv4 !== undefined) {
    if (state.bearer !== undefined) {
      throw new UsageError('E_CURL_AUTH_CONFLICT', '--aws-sigv4 and --oauth2-bearer both set the Authorization header; keep one of them.');
    }
    // curl signs only when no Authorization header was given (http_aws_sigv4.c bails out otherwise).
    if (!hasHeader(custom, 'authorization')) {
      if (user === undefined) {
        throw new UsageError('E_CURL_AWS_SIGV4', '--aws-sigv4 needs the access key pair: add -u "ACCESS_KEY_ID:SECRET_ACCESS_KEY".', {
          hint: 'For temporary credentials also add -H "x-amz-security-token: $AWS_SESSION_TOKEN".',
        });
      }
      const { name: accessKeyId, password: secretAccessKey } = splitUser(user, '-u/--user');
      const params: AuthSpec['params'] = { ...sigv4Scope(state.awsSigv4, url.hostname), accessKeyId, secretAccessKey };
      // The header stays in `headers` (curl sends it as given); the signer must not add it again.
      const sessionToken = headerValue(custom, 'x-amz-security-token');
      if (sessionToken !== undefined) params['sessionToken'] = sessionToken;
      auth = { scheme: 'aws-sigv4', params, source: 'curl' };
      if (accessKeyId) secrets.add(accessKeyId);
      if (secretAccessKey) secrets.add(secretAccessKey);
    }
  } else if (state.bearer !== undefined) {
    if (state.user !== undefined) {
      throw new UsageError('E_CURL_AUTH_CONFLICT', '-u/--user and --oauth2-bearer both set the Authorization header; keep one of them.');
    }
    internal(before, 'Authorization', `Bearer ${state.bearer}`);
    if (state.bearer) secrets.add(state.bearer);
  } else if (user !== undefined) {
    const { name, password } = splitUser(user, '-u/--user');
    const encoded = Buffer.from(`${name}:${password}`, 'utf8').toString('base64');
    internal(before, 'Authorization', `Basic ${encoded}`);
    if (password) secrets.add(password);
    // An API key passed as the user name (Stripe's `-u sk_live_…:`) is the secret itself; an
    // ordinary short user name is not (registering it would mask the word everywhere).
    if ((password === '' && name.length >= 12) || name.length >= 24) secrets.add(name);
    secrets.add(encoded);
  }

  if (state.userAgent !== undefined) internal(before, 'User-Agent', state.userAgent);
  if (state.referer !== undefined) internal(before, 'Referer', state.referer);
  if (state.cookies.length > 0) internal(before, 'Cookie', state.cookies.join('; '));
  if (state.compressed) internal(before, 'Accept-Encoding', CURL_COMPRESSED_ACCEPT_ENCODING);
  if (body !== undefined && !uploading) {
    if (state.dataKinds.has('json')) {
      internal(after, 'Content-Type', 'application/json');
      internal(after, 'Accept', 'application/json');
    } else {
      internal(after, 'Content-Type', 'application/x-www-form-urlencoded');
    }
  } else if (state.dataKinds.has('json') && state.get) {
    internal(after, 'Accept', 'application/json');
  }
  const headers = [...before, ...custom, ...after];

  let proxy: string | undefined;
  let noProxy: string[] | undefined;
  if (state.noproxy !== undefined) noProxy = state.noproxy.split(',').map((s) => s.trim()).filter(Boolean);
  if (state.proxy !== undefined) {
    if (state.proxy === '') noProxy = ['*'];
    else if (!noProxy || !matchesNoProxy(url.hostname, noProxy)) proxy = buildProxy(state.proxy, state.proxyUser, secrets);
  } else if (state.proxyUser !== undefined) {
    throw new UsageError('E_CURL_BAD_PROXY', '-U/--proxy-user is given without -x/--proxy; authdoctor needs the proxy named on the same command.', {
      hint: 'Add -x http://proxy.example.com:3128 (the proxy from HTTPS_PROXY/HTTP_PROXY).',
    });
  }

  collectHeaderSecrets(headers, secrets);
  for (const [k, v] of url.searchParams) if (v && isSensitiveParam(k)) secrets.add(v);
  if (body) collectBodySecrets(body, secrets);

  const spec: CurlRequestSpec = { method, url: url.href, headers };
  if (body !== undefined) spec.body = body;
  if (proxy !== undefined) {
    spec.proxy = proxy;
    spec.proxySource = 'flag';
  }
  if (state.insecure) spec.insecure = true;
  if (auth) spec.auth = auth;
  const list = [...secrets].filter((s) => s !== '' && !NOT_A_SECRET.test(s.trim()));
  if (list.length > 0) spec.secrets = list;
  if (noProxy && noProxy.length > 0) spec.noProxy = noProxy;
  if (state.ignored.length > 0) spec.ignoredFlags = state.ignored;
  return spec;
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/**
 * curl flags as an argv array (the CLI's `authdoctor check URL -X POST -H 'a: b'`): the shell has
 * already expanded variables, so a `$TOKEN` that arrives here was single-quoted and is sent as
 * written (a rule reports it as an unexpanded placeholder). `env` serves `--variable %NAME`.
 */
export function parseCurlArgs(args: readonly string[], env: Env = {}, options: CurlParseOptions = {}): CurlRequestSpec {
  const state: State = {
    urls: [],
    head: false,
    get: false,
    headers: [],
    removed: new Set(),
    dataKinds: new Set(),
    urlQuery: [],
    insecure: false,
    cookies: [],
    compressed: false,
    variables: new Map(),
    ignored: [],
    secrets: new Set(),
  };
  let positionalOnly = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (positionalOnly || !arg.startsWith('-') || arg === '-') {
      state.urls.push(arg);
      continue;
    }
    if (arg === '--') {
      positionalOnly = true;
      continue;
    }
    const next = (display: string): string => {
      if (i + 1 >= args.length) {
        throw new UsageError('E_CURL_MISSING_ARG', `curl flag ${display} needs a value.`, { hint: `Put the value right after ${display}, quoted if it has spaces.` });
      }
      i++;
      return args[i] as string;
    };
    if (arg.startsWith('--')) {
      const word = arg.slice(2);
      const eq = word.indexOf('=');
      if (eq > 0 && !isKnown(word) && isKnown(word.slice(0, eq))) {
        throw new UsageError('E_CURL_UNSUPPORTED_FLAG', `curl does not accept --${word.slice(0, eq)}=VALUE; write --${word.slice(0, eq)} VALUE (a space, not "=").`);
      }
      if (word.startsWith('expand-')) {
        const inner = word.slice('expand-'.length);
        if (!takesValue(inner)) throw unsupported(arg, inner);
        apply(inner, expandVariables(next(arg), state), arg, state, env, options);
        continue;
      }
      if (isKnown(word)) {
        apply(word, takesValue(word) ? next(arg) : undefined, arg, state, env, options);
        continue;
      }
      if (word.startsWith('no-')) {
        const base = word.slice(3);
        if (HANDLED_BOOLEAN.has(base) || ACCEPTED_BOOLEAN.has(base)) {
          negate(base, arg, state);
          continue;
        }
      }
      throw unsupported(arg, word);
    }
    // A cluster of short flags: `-sSL`, `-XPOST`, `-HAuthorization:x`, `-sXPOST`.
    for (let j = 1; j < arg.length; j++) {
      const ch = arg[j] as string;
      const name = SHORT[ch];
      const display = `-${ch}`;
      if (name === undefined) throw unsupported(display, `-${ch}`);
      if (takesValue(name)) {
        const rest = arg.slice(j + 1);
        apply(name, rest !== '' ? rest : next(display), display, state, env, options);
        break;
      }
      if (!isKnown(name)) throw unsupported(`${display} (--${name})`, name);
      apply(name, undefined, display, state, env, options);
    }
  }
  return build(state, options);
}

/** Looks like a host or URL rather than a program name: has a dot, colon or slash, or is localhost. */
function looksLikeUrl(word: string): boolean {
  return /[.:/]/.test(word) || /^localhost$/i.test(word);
}

/**
 * A whole pasted curl command (`--curl '…'`): quoting, line continuations, `$VAR`/`${VAR}` from
 * `env` (an unset variable keeps its `$NAME` text, so the placeholder itself is diagnosed).
 */
export function parseCurlCommand(command: string, env: Env = {}, options: CurlParseOptions = {}): CurlRequestSpec {
  const argv = tokenizeCommand(command, env);
  let start = 0;
  // `TOKEN=abc curl …`: assignments for the command's environment. Bash expands the command's
  // own `$TOKEN` before assigning, so they change nothing here.
  while (start < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[start] as string) && !looksLikeUrlAssignment(argv[start] as string)) start++;
  const first = argv[start];
  if (first !== undefined && /^(?:.*[\\/])?curl(?:\.exe)?$/i.test(first)) start++;
  else if (first !== undefined && !first.startsWith('-') && !looksLikeUrl(first)) {
    throw new UsageError('E_CURL_NOT_CURL', `The command starts with "${processRedactor.text(first.slice(0, 40))}", not curl; authdoctor reads curl commands.`, {
      hint: "Paste a command that starts with curl, e.g. curl -H 'Authorization: Bearer $TOKEN' https://api.example.com/v1/me.",
    });
  }
  return parseCurlArgs(argv.slice(start), env, options);
}

/** `a=b` at the start could also be a (schemeless) URL with a query; an assignment has no `/`. */
function looksLikeUrlAssignment(word: string): boolean {
  const name = word.slice(0, word.indexOf('='));
  return name.includes('.') || word.includes('://');
}
