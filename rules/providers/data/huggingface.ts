import type { ProviderPack } from '../engine.ts';

/**
 * Hugging Face Hub and inference endpoints. Besides a JSON `{"error": "..."}` body, the Hub names
 * the failure in the X-Error-Code header (GatedRepo, RepoNotFound, …), which huggingface_hub maps
 * to its exceptions.
 */
export const huggingface: ProviderPack = {
  provider: 'Hugging Face',
  hosts: ['huggingface.co', '*.huggingface.co', '*.hf.co', 'hf.co'],
  entries: [
    {
      id: 'huggingface/gated-repo',
      match: { header: 'x-error-code', equals: 'GatedRepo' },
      cause: 'insufficient_permissions',
      title: 'Gated model: access not granted',
      message: 'The repository is gated: the account behind the token has not been granted access (or the request carried no token).',
      fixes: ['Open the model page on huggingface.co while signed in and accept its conditions (some need the authors\' approval), then send a token of that account (Authorization: Bearer hf_…) with read access to gated repos.'],
      evidence: { resource: '{{_path}}' },
      source: 'https://huggingface.co/docs/hub/models-gated',
    },
    {
      id: 'huggingface/invalid-credentials',
      status: 401,
      match: { any: [{ field: 'error', matches: /^Invalid (?:credentials in Authorization header|username or password)/ }, { header: 'x-error-message', matches: /^Invalid (?:credentials in Authorization header|username or password)/ }] },
      cause: 'invalid_credentials',
      title: 'Hugging Face does not accept the token',
      message: 'Hugging Face rejected the credentials in the Authorization header: the token was deleted or is mistyped.',
      fixes: ['Create a token at https://huggingface.co/settings/tokens and send it as Authorization: Bearer hf_… (or run huggingface-cli login).'],
      source: 'https://huggingface.co/docs/hub/security-tokens',
    },
  ],
};
