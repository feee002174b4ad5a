/**
 * "Show the key's scopes": asks Acme about the key itself, `GET /v1/keys/self` on the same host
 * with the same key (README, "Key introspection"). It needs no scope, so it works for exactly the
 * keys that ACME-3001 refuses. It is an action, not a rule: a diagnosis sends one request, and this
 * is a second credentialed one the user asks for (DESIGN.md §4).
 */
import { defineAction } from '../../../../src/index.ts';
import type { ActionResult } from '../../../../src/index.ts';
import { apiEnvironment } from '../acme.ts';

function bearerKey(headers: readonly { name: string; value: string }[]): string | undefined {
  const value = headers.find((h) => h.name.toLowerCase() === 'authorization')?.value.trim();
  const match = value ? /^bearer\s+(\S+)$/i.exec(value) : null;
  return match?.[1];
}

export default defineAction({
  id: 'key-info',
  title: "Show the key's scopes",
  kind: 'inspect',
  available(ctx) {
    return apiEnvironment(ctx.spec.url) !== null && bearerKey(ctx.spec.headers) !== undefined;
  },
  async run(ctx): Promise<ActionResult> {
    const key = bearerKey(ctx.spec.headers);
    if (!key) return { ok: false, retry: false, message: 'The request sends no Acme key (Authorization: Bearer acme_…) to ask about.' };
    ctx.redactor.addSecret(key);
    const url = new URL('/v1/keys/self', ctx.spec.url).href;
    ctx.progress(`Asking Acme about the key (${url})…`);
    let response;
    try {
      response = await ctx.http.request({ method: 'GET', url, headers: { Authorization: `Bearer ${key}`, Accept: 'application/json' }, credentialed: true, signal: ctx.signal });
    } catch (error) {
      return { ok: false, retry: false, message: `Could not reach ${url}: ${error instanceof Error ? error.message : String(error)}` };
    }
    let body: { key?: { id?: unknown; environment?: unknown; scopes?: unknown } } | undefined;
    try {
      body = JSON.parse(response.body) as typeof body;
    } catch {
      body = undefined;
    }
    const info = body?.key;
    if (response.status !== 200 || !info || !Array.isArray(info.scopes)) {
      return { ok: false, retry: false, message: `Acme answered ${response.status} to the key introspection instead of the key's details.` };
    }
    const scopes = info.scopes.filter((s): s is string => typeof s === 'string');
    const required = ctx.findings.map((f) => f.evidence.requiredScope).find((s): s is string => typeof s === 'string');
    const id = typeof info.id === 'string' ? info.id : 'this key';
    const environment = typeof info.environment === 'string' ? info.environment : 'unknown';
    const verdict = required ? (scopes.includes(required) ? ` It has ${required}, so the refusal comes from elsewhere (a project-level restriction).` : ` It does not have ${required}.`) : '';
    return {
      ok: true,
      retry: false,
      message: `Key ${id} (${environment}) has the scopes ${scopes.length > 0 ? scopes.join(', ') : '(none)'}.${verdict}`,
      details: { id, environment, scopes, ...(required ? { requiredScope: required, hasRequiredScope: scopes.includes(required) } : {}) },
    };
  },
});
