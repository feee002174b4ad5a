import type { HeaderEntry, RequestSnapshot, Scheme } from './types.ts';

/**
 * Where a request carries its credential, and of which scheme. Rules read this instead of
 * re-deriving it; the report's `request.scheme` comes from `primaryScheme`.
 */
export interface CredentialCarrier {
  location: 'header' | 'query' | 'userinfo' | 'body';
  /** Header or parameter name as sent. */
  name: string;
  scheme: Scheme;
  /** The scheme word as sent (`Bearer`, `bearer`, `Basic`, `token`), when there is one. */
  schemeWord?: string | undefined;
  /** The whole raw value. */
  value: string;
  /** The value after the scheme word (for `Bearer x` it is `x`). */
  credential: string;
}

/** Custom headers that conventionally carry an API key or token. */
const API_KEY_HEADER =
  /^(x-api-key|api-key|apikey|x-apikey|x-api-token|x-auth-token|x-access-token|x-token|private-token|x-goog-api-key|ocp-apim-subscription-key|x-functions-key|x-figma-token|x-shopify-access-token|x-riot-token|x-cg-pro-api-key|x-rapidapi-key|x-vault-token|x-consul-token|x-algolia-api-key|x-dreamfactory-api-key|authorization-token|x-auth-key|dd-api-key|dd-application-key|x-[a-z0-9-]*(api[-_]?key|token|secret))$/i;
const API_KEY_PARAM = /^(api[-_]?key|apikey|key|access[-_]?token|token|auth|auth[-_]?token|api[-_]?token|private[-_]?token|client[-_]?secret)$/i;

const API_KEY_SCHEME_WORDS = new Set(['token', 'ssws', 'apikey', 'api-key', 'key', 'geniekey', 'splunk', 'bot']);

export function parseAuthorization(name: string, value: string): CredentialCarrier {
  const trimmed = value.replace(/^[\s\u00a0\u200b\ufeff]+/, '');
  const space = trimmed.search(/[\s\u00a0]/);
  const word = space > 0 ? trimmed.slice(0, space) : trimmed;
  const rest = space > 0 ? trimmed.slice(space).replace(/^[ \t\u00a0]+/, '') : '';
  const lower = word.toLowerCase();
  const base = { location: 'header' as const, name, value };
  if (lower === 'bearer') return { ...base, scheme: 'bearer', schemeWord: word, credential: rest };
  if (lower === 'basic') return { ...base, scheme: 'basic', schemeWord: word, credential: rest };
  if (lower.startsWith('aws4-') || lower === 'aws') return { ...base, scheme: 'aws-sigv4', schemeWord: word, credential: rest };
  if (API_KEY_SCHEME_WORDS.has(lower) && rest) return { ...base, scheme: 'api-key', schemeWord: word, credential: rest };
  if (space > 0 && /^[A-Za-z][A-Za-z0-9_-]*$/.test(word) && rest) {
    // Some other scheme word (Digest, Negotiate, SharedKey, a custom one).
    return { ...base, scheme: 'unknown', schemeWord: word, credential: rest };
  }
  // No scheme word at all: a bare key or token in Authorization.
  return { ...base, scheme: value.trim() ? 'api-key' : 'none', credential: value };
}

export function detectCredentials(request: RequestSnapshot): CredentialCarrier[] {
  const carriers: CredentialCarrier[] = [];
  for (const h of request.headers) {
    const lower = h.name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      if (lower === 'authorization') carriers.push(parseAuthorization(h.name, h.value));
    } else if (API_KEY_HEADER.test(h.name)) {
      carriers.push({ location: 'header', name: h.name, scheme: 'api-key', value: h.value, credential: h.value });
    }
  }
  let url: URL | null;
  try {
    url = new URL(request.url);
  } catch {
    url = null;
  }
  if (url) {
    if (url.searchParams.has('X-Amz-Signature') || url.searchParams.has('X-Amz-Credential')) {
      carriers.push({
        location: 'query',
        name: 'X-Amz-Signature',
        scheme: 'aws-sigv4',
        value: url.searchParams.get('X-Amz-Signature') ?? '',
        credential: url.searchParams.get('X-Amz-Credential') ?? '',
      });
    }
    for (const [k, v] of url.searchParams) {
      if (API_KEY_PARAM.test(k)) carriers.push({ location: 'query', name: k, scheme: 'api-key', value: v, credential: v });
    }
    if (url.username || url.password) {
      carriers.push({
        location: 'userinfo',
        name: 'userinfo',
        scheme: 'basic',
        value: `${url.username}:${url.password}`,
        credential: `${url.username}:${url.password}`,
      });
    }
  }
  const grant = tokenEndpointGrant(request);
  if (grant) carriers.push({ location: 'body', name: 'grant_type', scheme: 'oauth2', value: grant, credential: grant });
  return carriers;
}

/** The OAuth2 grant type when the request is a token-endpoint call (form or JSON body). */
export function tokenEndpointGrant(request: Pick<RequestSnapshot, 'body' | 'method'>): string | null {
  if (!request.body || request.method.toUpperCase() !== 'POST') return null;
  const form = /(?:^|&)grant_type=([^&]+)/.exec(request.body);
  if (form?.[1]) return decodeURIComponent(form[1].replace(/\+/g, ' '));
  const json = /"grant_type"\s*:\s*"([^"]+)"/.exec(request.body);
  return json?.[1] ?? null;
}

/**
 * The scheme the request used, for the report. A token-endpoint call is `oauth2` whatever
 * client authentication it carries; otherwise the first credential carrier decides.
 */
export function primaryScheme(carriers: readonly CredentialCarrier[]): Scheme {
  if (carriers.some((c) => c.scheme === 'oauth2')) return 'oauth2';
  const first = carriers.find((c) => c.scheme !== 'none');
  return first ? first.scheme : 'none';
}

export function headerValues(headers: readonly HeaderEntry[], name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter((h) => h.name.toLowerCase() === lower).map((h) => h.value);
}

export function headerValue(headers: readonly HeaderEntry[], name: string): string | undefined {
  return headerValues(headers, name)[0];
}
