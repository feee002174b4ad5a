import { randomBytes } from 'node:crypto';
import type { DemoReply, DemoRequest } from '../types.ts';
import { headerValue, json } from '../oauth.ts';

export { headerValue, json };

/** A random credential of `length` characters from [A-Za-z0-9]. */
export function randomToken(length: number): string {
  let out = '';
  while (out.length < length) out += randomBytes(length).toString('base64').replace(/[^A-Za-z0-9]/g, '');
  return out.slice(0, length);
}

/** The bearer token of a request, or undefined (RFC 6750 §2.1: `Authorization: Bearer <token>`). */
export function bearerOf(req: DemoRequest): string | undefined {
  const auth = headerValue(req.headers, 'authorization');
  const m = auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return m?.[1];
}

/**
 * RFC 6750 §3: a request without a token gets a bare challenge (no error code); a bad token gets
 * `error="invalid_token"` and a description.
 */
export function bearerChallenge(realm: string, error?: { code: string; description: string }): Record<string, string> {
  const value = error ? `Bearer realm="${realm}", error="${error.code}", error_description="${error.description}"` : `Bearer realm="${realm}"`;
  return { 'www-authenticate': value };
}

/** A path match that ignores the query. */
export function pathIs(req: DemoRequest, path: string): boolean {
  return req.path.split('?')[0] === path;
}

export function notFound(req: DemoRequest): DemoReply {
  return json(404, { error: 'not_found', message: `No resource at ${req.path.split('?')[0]}.` });
}
