import { describe, expect, it } from 'vitest';
import { maskSecret, Redactor } from '../../src/core/redact.ts';

const CANARY = 'canary-SECRET-7f3a9c2e1b4d6f80';

function leaks(text: string, secret = CANARY): boolean {
  return text.includes(secret);
}

describe('maskSecret', () => {
  it('shows a 4-character prefix, the length and a sha256 fingerprint', () => {
    expect(maskSecret('sk-proj-abcdefghijklmnopqrstuvwxyz')).toMatch(/^sk-p…\(34 chars, sha256:[0-9a-f]{8}\)$/);
  });

  it('shows no prefix for a secret shorter than 12 characters', () => {
    expect(maskSecret('hunter2')).toMatch(/^…\(7 chars, sha256:[0-9a-f]{8}\)$/);
  });

  it('gives the same fingerprint for the same secret and different ones for different secrets', () => {
    expect(maskSecret('a-secret-value-1')).toBe(maskSecret('a-secret-value-1'));
    expect(maskSecret('a-secret-value-1')).not.toBe(maskSecret('a-secret-value-2'));
  });

  it('escapes control characters in the shown prefix', () => {
    expect(maskSecret('\nabcdefghijklmnop')).toContain('\\n');
  });
});

describe('Redactor', () => {
  it('masks the credential of an Authorization header but keeps the scheme word', () => {
    const r = new Redactor();
    const masked = r.headerValue('Authorization', `Bearer ${CANARY}`);
    expect(masked.startsWith('Bearer cana…(')).toBe(true);
    expect(leaks(masked)).toBe(false);
  });

  it('keeps a doubled scheme readable, because it is the evidence', () => {
    const r = new Redactor();
    expect(r.headerValue('Authorization', `Bearer Bearer ${CANARY}`).startsWith('Bearer Bearer cana…(')).toBe(true);
  });

  it('masks key id and signature of a SigV4 header but keeps the scope', () => {
    const r = new Redactor();
    const v = 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';
    const masked = r.headerValue('Authorization', v);
    expect(masked).toContain('/20150830/us-east-1/iam/aws4_request');
    expect(masked).toContain('SignedHeaders=host;x-amz-date');
    expect(masked.includes('AKIAIOSFODNN7EXAMPLE')).toBe(false);
    expect(masked.includes('5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7')).toBe(false);
  });

  it('masks API-key headers and cookies by name, and leaves public headers alone', () => {
    const r = new Redactor();
    expect(leaks(r.headerValue('X-API-Key', CANARY))).toBe(false);
    expect(leaks(r.headerValue('Cookie', `session=${CANARY}; theme=dark`))).toBe(false);
    expect(r.headerValue('WWW-Authenticate', 'Bearer realm="x"')).toBe('Bearer realm="x"');
    expect(r.headerValue('Content-Type', 'application/json')).toBe('application/json');
  });

  it('masks URL userinfo passwords and sensitive query parameters', () => {
    const r = new Redactor();
    const url = r.url(`https://user:${CANARY}@api.example.com/v1?api_key=${CANARY}x&page=2`);
    expect(leaks(url)).toBe(false);
    expect(url).toContain('page=2');
    expect(url).toContain('api.example.com/v1');
  });

  it('masks secret JSON fields and form fields in bodies, and remembers them for free text', () => {
    const r = new Redactor();
    const body = r.body(JSON.stringify({ access_token: CANARY, token_type: 'Bearer', expires_in: 3600 }));
    expect(leaks(body)).toBe(false);
    expect(body).toContain('"token_type":"Bearer"');
    expect(leaks(r.text(`the token ${CANARY} expired`))).toBe(false);
    const form = new Redactor().body(`grant_type=refresh_token&refresh_token=${CANARY}&client_id=app`, 'application/x-www-form-urlencoded');
    expect(leaks(form)).toBe(false);
    expect(form).toContain('client_id=app');
  });

  it('masks known secrets in any string, including their URL-encoded form and deep inside values', () => {
    const r = new Redactor();
    r.addSecret('p@ss word/with+chars!');
    expect(r.text('x=p%40ss%20word%2Fwith%2Bchars!').includes('p%40ss')).toBe(false);
    const value = r.value({ a: ['p@ss word/with+chars!'], b: { c: 'ok' } });
    expect(JSON.stringify(value).includes('p@ss word')).toBe(false);
    expect(value.b.c).toBe('ok');
  });

  it('masks JWTs and well-known key formats even when they were never registered', () => {
    const r = new Redactor();
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(r.text(`token: ${jwt}`).includes(jwt)).toBe(false);
    const key = 'ghp_' + 'A'.repeat(36);
    expect(r.text(`key ${key}`).includes(key)).toBe(false);
  });
});
