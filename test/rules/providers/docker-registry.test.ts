import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const manifest = 'https://registry-1.docker.io/v2/library/nginx/manifests/latest';
const unauthorized = json({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: [{ Type: 'repository', Class: '', Name: 'acme/private', Action: 'pull' }] }] });

describe('providers: container registries', () => {
  it('reads UNAUTHORIZED without a token as missing credentials', async () => {
    const f = await onlyFailure({ url: manifest, status: 401, responseHeaders: { 'Docker-Distribution-Api-Version': 'registry/2.0' }, responseBody: unauthorized });
    expect(f).toMatchObject({ messageId: 'registry/unauthorized-no-token', cause: 'missing_credentials' });
  });

  it('reads UNAUTHORIZED with a token as a scope that does not cover the repository', async () => {
    const f = await onlyFailure({ url: manifest, status: 401, requestHeaders: { Authorization: 'Bearer x' }, responseBody: unauthorized });
    expect(f).toMatchObject({ messageId: 'registry/unauthorized-scope', cause: 'insufficient_permissions' });
    expect(f.evidence).toMatchObject({ repository: 'acme/private', action: 'pull', resource: 'acme/private' });
  });

  it('reads DENIED', async () => {
    const f = await onlyFailure({ url: 'https://ghcr.io/v2/acme/app/blobs/uploads/', status: 403, requestHeaders: { Authorization: 'Bearer x' }, responseBody: json({ errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] }) });
    expect(f.cause).toBe('insufficient_permissions');
  });

  it('ignores MANIFEST_UNKNOWN', async () => {
    expect(await failures({ url: manifest, status: 404, responseBody: json({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }) })).toEqual([]);
  });
});
