import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

describe('providers: HashiCorp Vault', () => {
  it('reads "missing client token"', async () => {
    const f = await onlyFailure({ url: 'https://vault.example.com:8200/v1/secret/data/app', status: 403, responseBody: json({ errors: ['missing client token'] }) });
    expect(f).toMatchObject({ messageId: 'vault/missing-client-token', cause: 'missing_credentials' });
  });

  it('reads "permission denied" with the path to check the capabilities of', async () => {
    const f = await onlyFailure({ url: 'https://vault.example.com:8200/v1/secret/data/app', status: 403, requestHeaders: { 'X-Vault-Token': 'hvs.x' }, responseBody: json({ errors: ['1 error occurred:\n\t* permission denied\n\n'] }) });
    expect(f).toMatchObject({ messageId: 'vault/permission-denied', cause: 'insufficient_permissions', confidence: 'likely' });
    expect(f.evidence).toMatchObject({ resource: 'secret/data/app', action: 'GET' });
    expect(f.fixes[1]).toContain('vault token capabilities secret/data/app');
  });

  it('does not read "permission denied" outside the Vault API', async () => {
    expect(await failures({ url: 'https://api.example.com/items', status: 403, responseBody: json({ errors: ['permission denied'] }) })).toEqual([]);
  });
});
