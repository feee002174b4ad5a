/**
 * What the plugin knows about Acme Cloud, a made-up provider whose API reference is the README next
 * to this file: its hosts, its two kinds of keys, and the shape of its error answers. The rules
 * read these helpers instead of parsing the exchange each on their own.
 *
 * Inside this repository the example imports the source; in your own plugin write
 * `import type { RuleContext } from 'authdoctor'`.
 */
import type { RuleContext } from '../../../src/index.ts';

export const PRODUCTION_HOST = 'api.acme-cloud.example';
export const SANDBOX_HOST = 'sandbox.api.acme-cloud.example';

export type AcmeEnvironment = 'production' | 'sandbox';

/** Acme's documented window for `Acme-Timestamp`: ±300 seconds around its own clock. */
export const TIMESTAMP_WINDOW_SECONDS = 300;

/** Which Acme environment a URL calls, or null when it is not Acme at all. */
export function apiEnvironment(url: string): AcmeEnvironment | null {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  if (host === SANDBOX_HOST) return 'sandbox';
  if (host === PRODUCTION_HOST) return 'production';
  return null;
}

/** The host of an environment, for fixes ("point the client at …"). */
export function hostOf(environment: AcmeEnvironment): string {
  return environment === 'sandbox' ? SANDBOX_HOST : PRODUCTION_HOST;
}

export interface AcmeKey {
  /** The whole key: a secret. Only ever shown through ctx.mask(). */
  value: string;
  /** `acme_live_` keys work in production only, `acme_test_` keys in the sandbox only. */
  environment: AcmeEnvironment | null;
  /** The public prefix (`acme_test_`), safe to show. */
  prefix: string;
}

/** The Acme key the request sends as `Authorization: Bearer <key>`, or null. */
export function acmeKey(ctx: RuleContext<any>): AcmeKey | null {
  const carrier = ctx.helpers.credentials().find((c) => c.location === 'header' && c.name.toLowerCase() === 'authorization' && c.scheme === 'bearer');
  const value = carrier?.credential.trim();
  if (!value) return null;
  const match = /^acme_(live|test)_/.exec(value);
  return { value, environment: match ? (match[1] === 'live' ? 'production' : 'sandbox') : null, prefix: match ? match[0] : '' };
}

/** An Acme error answer: `{"error": {"code": "ACME-1001", "message": "…", …}}`. */
export interface AcmeError {
  code: string;
  message: string;
  requestId?: string | undefined;
  /** ACME-2001: the server's clock when it refused the request (ISO 8601). */
  serverTime?: string | undefined;
  /** ACME-3001: the scope the operation needs. */
  requiredScope?: string | undefined;
}

const CODE = /^ACME-\d{4}$/;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The response's Acme error, or null when the body is not one (any host: proxies and gateways rename hosts). */
export function acmeError(ctx: RuleContext<any>): AcmeError | null {
  const json = ctx.helpers.responseJson();
  if (!json || typeof json !== 'object' || Array.isArray(json)) return null;
  const error = (json as { error?: unknown }).error;
  if (!error || typeof error !== 'object' || Array.isArray(error)) return null;
  const e = error as Record<string, unknown>;
  const code = str(e.code);
  if (!code || !CODE.test(code)) return null;
  return {
    code,
    message: str(e.message) ?? '',
    requestId: str(e.request_id),
    serverTime: str(e.server_time),
    requiredScope: str(e.required_scope),
  };
}

/** "Quote the request id when you contact Acme support" — their support asks for it first. */
export function supportHint(error: AcmeError): string[] {
  return error.requestId ? [`If it keeps failing, contact Acme support and quote the request id ${error.requestId}.`] : [];
}
