import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

describe('providers: Hugging Face', () => {
  it('reads a gated repository from X-Error-Code', async () => {
    const f = await onlyFailure({ url: 'https://huggingface.co/meta-llama/Llama-3-8B/resolve/main/config.json', status: 403, responseHeaders: { 'X-Error-Code': 'GatedRepo' }, responseBody: 'Access to model meta-llama/Llama-3-8B is restricted.' });
    expect(f).toMatchObject({ messageId: 'huggingface/gated-repo', cause: 'insufficient_permissions' });
  });

  it('reads invalid credentials', async () => {
    const f = await onlyFailure({ url: 'https://router.huggingface.co/v1/chat/completions', status: 401, responseBody: json({ error: 'Invalid credentials in Authorization header' }) });
    expect(f.cause).toBe('invalid_credentials');
  });

  it('ignores RepoNotFound when it is not an auth answer', async () => {
    expect(await failures({ url: 'https://huggingface.co/api/models/none', status: 404, responseHeaders: { 'X-Error-Code': 'RepoNotFound' }, responseBody: json({ error: 'Repository not found' }) })).toEqual([]);
  });
});
