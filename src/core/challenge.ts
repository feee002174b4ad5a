/**
 * Parser for `WWW-Authenticate` and `Proxy-Authenticate` (RFC 7235 §4.1, RFC 9110 §11.6.1), with
 * RFC 6750 and provider auth-params. Written by hand because no maintained standalone parser
 * exists on npm (oauth4webapi has one, but keeps it internal to its response processing), and the
 * grammar is small enough to parse in one linear pass — no backtracking regular expressions, so
 * hostile headers cannot make it slow.
 *
 *   challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param  = token BWS "=" BWS ( token / quoted-string )
 *
 * Several challenges may share one header, separated by commas; a comma also separates
 * auth-params, so a new challenge is recognised by a token that is not followed by "=".
 */

export interface Challenge {
  /** The scheme as sent (`Bearer`, `Basic`, `AWS4-HMAC-SHA256` …). */
  scheme: string;
  /** Auth-params with lower-cased names; quoted values unescaped. */
  params: Record<string, string>;
  token68?: string | undefined;
  /** Which header it came from. */
  header: 'www-authenticate' | 'proxy-authenticate';
}

const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/;

class Scanner {
  pos = 0;
  readonly s: string;
  constructor(s: string) {
    this.s = s;
  }
  get done(): boolean {
    return this.pos >= this.s.length;
  }
  peek(): string {
    return this.s[this.pos] ?? '';
  }
  skipWs(): void {
    while (!this.done && (this.peek() === ' ' || this.peek() === '\t')) this.pos++;
  }
  skipWsAndCommas(): void {
    while (!this.done && (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',')) this.pos++;
  }
  token(): string {
    const start = this.pos;
    while (!this.done && TCHAR.test(this.peek())) this.pos++;
    return this.s.slice(start, this.pos);
  }
  /** token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
  token68(): string {
    const start = this.pos;
    while (!this.done && /^[A-Za-z0-9\-._~+/]$/.test(this.peek())) this.pos++;
    while (!this.done && this.peek() === '=') this.pos++;
    return this.s.slice(start, this.pos);
  }
  quoted(): string {
    // assumes current char is '"'
    this.pos++;
    let out = '';
    while (!this.done) {
      const c = this.peek();
      if (c === '\\') {
        this.pos++;
        if (!this.done) out += this.peek();
        this.pos++;
        continue;
      }
      if (c === '"') {
        this.pos++;
        return out;
      }
      out += c;
      this.pos++;
    }
    return out; // unterminated: take what there is, lenient like browsers
  }
}

/** Parses one or more header values into challenges. Never throws; garbage is skipped. */
export function parseChallenges(values: readonly string[], header: Challenge['header'] = 'www-authenticate'): Challenge[] {
  const challenges: Challenge[] = [];
  // A loop, not push(...list): a hostile header can hold more challenges than a call has arguments.
  for (const value of values) for (const challenge of parseOne(value, header)) challenges.push(challenge);
  return challenges;
}

function parseOne(value: string, header: Challenge['header']): Challenge[] {
  const out: Challenge[] = [];
  const sc = new Scanner(value);
  let current: Challenge | null = null;
  while (!sc.done) {
    sc.skipWsAndCommas();
    if (sc.done) break;
    const start = sc.pos;
    const name = sc.token();
    if (name.length === 0) {
      // not a token: skip one character to guarantee progress
      sc.pos = start + 1;
      continue;
    }
    const afterName = sc.pos;
    sc.skipWs();
    if (sc.peek() === '=' && current) {
      // Could be an auth-param, or the padding of a token68 ("abc==") — token68 is only taken
      // right after the scheme, below.
      sc.pos++;
      sc.skipWs();
      const v = sc.peek() === '"' ? sc.quoted() : sc.token();
      current.params[name.toLowerCase()] = v;
      continue;
    }
    // A token not followed by "=": a new challenge scheme.
    sc.pos = afterName;
    current = { scheme: name, params: {}, header };
    out.push(current);
    sc.skipWs();
    if (sc.done || sc.peek() === ',') continue;
    // token68 or the first auth-param
    const save = sc.pos;
    const t = sc.token68();
    sc.skipWs();
    const next = sc.peek();
    if (t.length > 0 && (sc.done || next === ',')) {
      // "Negotiate abc==" or "Basic xyz": a lone value after the scheme is a token68. Anything
      // else ("realm=…") was the first auth-param: rewind and let the loop read it.
      current.token68 = t;
      continue;
    }
    sc.pos = save;
  }
  return out;
}

/** The scheme names the server offers, lower-cased, in order and without duplicates. */
export function offeredSchemes(challenges: readonly Challenge[]): string[] {
  return [...new Set(challenges.map((c) => c.scheme.toLowerCase()))];
}
