import { describe, expect, it } from 'vitest';
import { diagnoseExchange, failures, json, onlyFailure } from './run.ts';

const errorInfo = (reason: string, metadata: Record<string, string> = {}, status = 'PERMISSION_DENIED', code = 403, message = 'x') =>
  json({ error: { code, message, status, details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata }] } });

describe('providers: Google APIs', () => {
  it('reads API_KEY_INVALID on a 400 as an invalid key', async () => {
    const f = await onlyFailure({ url: 'https://translation.googleapis.com/language/translate/v2?key=AIza', status: 400, responseBody: errorInfo('API_KEY_INVALID', { service: 'translate.googleapis.com' }, 'INVALID_ARGUMENT', 400, 'API key not valid. Please pass a valid API key.') });
    expect(f).toMatchObject({ messageId: 'google/api-key-invalid', cause: 'invalid_credentials', confidence: 'definitive' });
    expect(f.evidence.service).toBe('translate.googleapis.com');
  });

  it('reads SERVICE_DISABLED with the service and project, and gives the enable command', async () => {
    const f = await onlyFailure({
      url: 'https://pubsub.googleapis.com/v1/projects/p/topics',
      status: 403,
      responseBody: errorInfo('SERVICE_DISABLED', { service: 'pubsub.googleapis.com', consumer: 'projects/123', activationUrl: 'https://console.developers.google.com/apis/api/pubsub.googleapis.com/overview?project=123' }),
    });
    expect(f).toMatchObject({ messageId: 'google/service-disabled', cause: 'insufficient_permissions' });
    expect(f.fixes[0]).toBe('Enable it: gcloud services enable pubsub.googleapis.com --project=123.');
    expect(f.evidence).toMatchObject({ action: 'use pubsub.googleapis.com', resource: 'projects/123' });
  });

  it('pulls the missing permission out of IAM_PERMISSION_DENIED', async () => {
    const f = await onlyFailure({
      url: 'https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/endpoints/e:predict',
      method: 'POST',
      status: 403,
      responseBody: errorInfo('IAM_PERMISSION_DENIED', { permission: 'aiplatform.endpoints.predict', resource: 'projects/p/locations/us-central1/endpoints/e' }),
    });
    expect(f).toMatchObject({ messageId: 'google/iam-permission-denied', cause: 'insufficient_permissions' });
    expect(f.evidence).toMatchObject({ action: 'aiplatform.endpoints.predict', resource: 'projects/p/locations/us-central1/endpoints/e' });
    expect(f.fixes[0]).toContain('gcloud projects add-iam-policy-binding');
  });

  it('names principal, permission and resource from a Cloud Storage message', async () => {
    const f = await onlyFailure({
      url: 'https://storage.googleapis.com/storage/v1/b/bkt/o/file',
      status: 403,
      responseBody: json({ error: { code: 403, message: "sa@proj.iam.gserviceaccount.com does not have storage.objects.get access to the Google Cloud Storage object. Permission 'storage.objects.get' denied on resource (or it may not exist).", errors: [{ reason: 'forbidden' }] } }),
    });
    expect(f.messageId).toBe('google/principal-lacks-permission');
    expect(f.evidence).toMatchObject({ principal: 'sa@proj.iam.gserviceaccount.com', action: 'storage.objects.get', resource: 'the Google Cloud Storage object' });
  });

  it('reads ACCESS_TOKEN_EXPIRED as an expired token, before the generic UNAUTHENTICATED', async () => {
    const f = await onlyFailure({ url: 'https://storage.googleapis.com/storage/v1/b', status: 401, responseBody: errorInfo('ACCESS_TOKEN_EXPIRED', { service: 'storage.googleapis.com' }, 'UNAUTHENTICATED', 401, 'Request had invalid authentication credentials.') });
    expect(f).toMatchObject({ messageId: 'google/access-token-expired', cause: 'expired_token' });
  });

  it('reads a missing credential and an API that refuses API keys', async () => {
    const missing = await onlyFailure({ url: 'https://cloudresourcemanager.googleapis.com/v1/projects', status: 401, responseBody: json({ error: { code: 401, message: 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.', status: 'UNAUTHENTICATED' } }) });
    expect(missing).toMatchObject({ messageId: 'google/credentials-missing', cause: 'missing_credentials' });
    const noKeys = await onlyFailure({ url: 'https://cloudresourcemanager.googleapis.com/v1/projects?key=AIza', status: 401, responseBody: json({ error: { code: 401, message: 'API keys are not supported by this API. Expected OAuth2 access token or other authentication credentials that assert a principal.', status: 'UNAUTHENTICATED', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'CREDENTIALS_MISSING' }] } }) });
    expect(noKeys).toMatchObject({ messageId: 'google/api-keys-not-supported', cause: 'wrong_scheme' });
  });

  it('reads insufficient scopes', async () => {
    const f = await onlyFailure({ url: 'https://www.googleapis.com/drive/v3/files', status: 403, responseBody: errorInfo('ACCESS_TOKEN_SCOPE_INSUFFICIENT', { service: 'drive.googleapis.com' }, 'PERMISSION_DENIED', 403, 'Request had insufficient authentication scopes.') });
    expect(f).toMatchObject({ messageId: 'google/scope-insufficient', cause: 'insufficient_permissions' });
  });

  it('reports quota errors as warnings, not authentication failures', async () => {
    const found = await diagnoseExchange({ url: 'https://translation.googleapis.com/x', status: 429, responseBody: errorInfo('RATE_LIMIT_EXCEEDED', {}, 'RESOURCE_EXHAUSTED', 429) });
    expect(found.map((f) => [f.messageId, f.status])).toEqual([['google/quota', 'warn']]);
  });

  it('leaves the OAuth token endpoint to the oauth2 plugin', async () => {
    expect(await failures({ url: 'https://oauth2.googleapis.com/token', method: 'POST', status: 400, responseBody: json({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }) })).toEqual([]);
  });
});
