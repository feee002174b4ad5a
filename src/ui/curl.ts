import { quote } from 'shell-quote';
import { parseAuthorization } from '../core/credential.ts';
import { fingerprint, isSensitiveHeader, isSensitiveParam } from '../core/redact.ts';
import type { HeaderEntry } from '../core/types.ts';

/**
 * "Copy as curl" with every credential replaced by an environment-variable reference, so the
 * command can go into a ticket or a chat: `-H 'Authorization: Bearer '"$AUTHDOCTOR_TOKEN"`.
 * Quoting is shell-quote's; the only text added around it is `"$NAME"`, where NAME is one of ours
 * ([A-Z0-9_]), so nothing from the request is ever quoted by hand. A credential inside the URL is
 * curl's own `{{NAME:url}}` instead (see urlWord), so curl percent-encodes the exported value.
 */
export interface CurlInput {
  method: string;
  url: string;
  headers: readonly HeaderEntry[];
  body?: string | undefined;
  proxy?: string | undefined;
  insecure?: boolean | undefined;
  /** A SigV4 request is better re-signed by curl itself (`--aws-sigv4`) than replayed. */
  sigv4?: { region: string; service: string } | undefined;
}

export interface CurlVariable {
  name: string;
  /** Where the value came from, for the comment above the command. */
  from: string;
  /** sha256 prefix of the value that was sent, so the user can check they export the same one. */
  fingerprint: string;
}

export interface CurlCommand {
  command: string;
  variables: CurlVariable[];
}

type Part = { text: string } | { env: string };

export function buildCurl(input: CurlInput): CurlCommand {
  const variables: CurlVariable[] = [];
  const variable = (base: string, from: string, value: string): Part => {
    let name = base;
    for (let i = 2; variables.some((v) => v.name === name); i++) name = `${base}_${i}`;
    variables.push({ name, from, fingerprint: fingerprint(value) });
    return { env: name };
  };
  // One line per option and its value, as people write curl commands in docs.
  const lines: Part[][][] = [[[{ text: 'curl' }]]];
  const flag = (...words: Part[][]) => lines.push(words);

  if (input.method.toUpperCase() !== 'GET' || input.body !== undefined) flag([{ text: '-X' }], [{ text: input.method.toUpperCase() }]);
  const url = urlWord(input.url, variable);
  for (const name of url.imports) flag([{ text: '--variable' }], [{ text: `%${name}` }]);
  flag(...(url.expand ? [[{ text: '--expand-url' }], url.parts] : [url.parts]));

  const sigv4 = input.sigv4;
  if (sigv4) {
    flag([{ text: '--aws-sigv4' }], [{ text: `aws:amz:${sigv4.region}:${sigv4.service}` }]);
    flag([{ text: '--user' }], [{ env: 'AWS_ACCESS_KEY_ID' }, { text: ':' }, { env: 'AWS_SECRET_ACCESS_KEY' }]);
    variables.push({ name: 'AWS_ACCESS_KEY_ID', from: 'your AWS credentials', fingerprint: '' }, { name: 'AWS_SECRET_ACCESS_KEY', from: 'your AWS credentials', fingerprint: '' });
  }
  for (const h of input.headers) {
    const lower = h.name.toLowerCase();
    // curl computes these itself; replaying them would pin a stale length or signature.
    if (lower === 'content-length' || lower === 'host' || lower.startsWith(':')) continue;
    if (sigv4 && (lower === 'authorization' || lower === 'x-amz-date' || lower === 'x-amz-content-sha256')) continue;
    if (sigv4 && lower === 'x-amz-security-token') {
      flag([{ text: '-H' }], [{ text: `${h.name}: ` }, { env: 'AWS_SESSION_TOKEN' }]);
      variables.push({ name: 'AWS_SESSION_TOKEN', from: 'your AWS credentials', fingerprint: fingerprint(h.value) });
      continue;
    }
    flag([{ text: '-H' }], headerParts(h, variable));
  }
  if (input.body !== undefined) flag([{ text: '--data-raw' }], [{ text: input.body }]);
  if (input.proxy) {
    const proxy = urlWord(input.proxy, variable, 'PROXY');
    for (const name of proxy.imports) flag([{ text: '--variable' }], [{ text: `%${name}` }]);
    flag([{ text: proxy.expand ? '--expand-proxy' : '-x' }], proxy.parts);
  }
  if (input.insecure) flag([{ text: '-k' }]);

  const command = lines.map((words) => words.map(renderWord).join(' ')).join(' \\\n  ');
  return { command, variables };
}

function renderWord(parts: Part[]): string {
  return parts
    .map((p) => ('env' in p ? `"$${p.env}"` : p.text.length > 0 ? quote([p.text]) : ''))
    .join('') || "''";
}

function envName(raw: string): string {
  return `AUTHDOCTOR_${raw.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '')}`;
}

function headerParts(h: HeaderEntry, variable: (base: string, from: string, value: string) => Part): Part[] {
  if (!isSensitiveHeader(h.name)) return [{ text: `${h.name}: ${h.value}` }];
  const lower = h.name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const carrier = parseAuthorization(h.name, h.value);
    if (carrier.schemeWord && carrier.credential) {
      const base = lower === 'proxy-authorization' ? 'AUTHDOCTOR_PROXY_AUTH' : carrier.scheme === 'basic' ? 'AUTHDOCTOR_BASIC' : carrier.scheme === 'bearer' ? 'AUTHDOCTOR_TOKEN' : envName(carrier.schemeWord);
      // Everything before the credential is kept as sent (a tab, two spaces, a leading blank):
      // that damage is what the header-hygiene rules diagnose, so the copy must reproduce it.
      const prefix = h.value.endsWith(carrier.credential) ? h.value.slice(0, h.value.length - carrier.credential.length) : `${carrier.schemeWord} `;
      return [{ text: `${h.name}: ${prefix}` }, variable(base, `the ${h.name} header (${carrier.schemeWord})`, carrier.credential)];
    }
  }
  if (lower === 'cookie') return [{ text: `${h.name}: ` }, variable('AUTHDOCTOR_COOKIE', 'the Cookie header', h.value)];
  return [{ text: `${h.name}: ` }, variable(envName(h.name), `the ${h.name} header`, h.value)];
}

/**
 * The URL as one curl word. Without credentials it is the URL's own text. With a credential in
 * the user info or a query value, the word becomes `--expand-url` text where each credential is
 * `{{NAME:url}}` and NAME is imported from the environment (`--variable %NAME`, curl ≥ 8.3): the
 * user exports the plain value and curl percent-encodes it, so `+ & # %` or a space in a token
 * round-trip (a bare "$NAME" in the URL would be sent undecoded and change the request). Every
 * other part of the URL is kept exactly as it was written, percent-encoding included.
 */
interface UrlWord {
  parts: Part[];
  expand: boolean;
  /** Variables the word refers to, for the `--variable %NAME` lines that must come first. */
  imports: string[];
}

function urlWord(raw: string, variable: (base: string, from: string, value: string) => Part, prefix = ''): UrlWord {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { parts: [{ text: raw }], expand: false, imports: [] };
  }
  // `template` marks the `{{NAME:url}}` references, the only text not escaped for --expand-url.
  const parts: { text: string; template?: boolean }[] = [];
  const imports: string[] = [];
  const secret = (base: string, from: string, value: string): void => {
    const part = variable(base, from, value);
    if ('env' in part) {
      imports.push(part.env);
      parts.push({ text: `{{${part.env}:url}}`, template: true });
    }
  };
  let head = `${url.protocol}//`;
  if (url.username || url.password) {
    parts.push({ text: head });
    if (url.username) secret(envName(`${prefix}_USER`), `the ${prefix ? 'proxy ' : ''}URL's user name`, decodeSafe(url.username));
    if (url.password) {
      parts.push({ text: ':' });
      secret(envName(`${prefix}_PASSWORD`), `the ${prefix ? 'proxy ' : ''}URL's password`, decodeSafe(url.password));
    }
    head = '@';
  }
  parts.push({ text: `${head}${url.host}${url.pathname}` });
  // The query as written (`url.search` keeps `+`, `%2B` and the order), one pair at a time.
  const pairs = url.search.length > 1 ? url.search.slice(1).split('&') : [];
  pairs.forEach((pair, i) => {
    const sep = i === 0 ? '?' : '&';
    const eq = pair.indexOf('=');
    const [decoded] = [...new URLSearchParams(pair)];
    if (eq > 0 && decoded && isSensitiveParam(decoded[0]) && decoded[1]) {
      parts.push({ text: `${sep}${pair.slice(0, eq + 1)}` });
      secret(envName(decoded[0]), `the ${decoded[0]} query parameter`, decoded[1]);
    } else parts.push({ text: `${sep}${pair}` });
  });
  if (url.hash) parts.push({ text: url.hash });
  const expand = imports.length > 0;
  // In --expand-* text `{{` starts a variable; a literal one is written `\{{`.
  const text = parts.map((p) => (p.template || !expand ? p.text : p.text.replaceAll('{{', '\\{{'))).join('');
  return { parts: [{ text }], expand, imports };
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The file that `c` writes: the exports to set (by fingerprint, never the values) and the command. */
export function curlScript(curl: CurlCommand): string {
  const lines = ['#!/bin/sh', '# Written by authdoctor ("copy as curl"). Credentials are environment variables; set them first:'];
  for (const v of curl.variables) {
    lines.push(`#   export ${v.name}=…   # ${v.from}${v.fingerprint ? `; authdoctor sent the value with sha256:${v.fingerprint}` : ''}`);
  }
  lines.push(curl.command, '');
  return lines.join('\n');
}
