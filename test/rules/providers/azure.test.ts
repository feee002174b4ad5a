import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const arm = 'https://management.azure.com/subscriptions/0000/resourceGroups?api-version=2021-04-01';
const armError = (code: string, message: string) => json({ error: { code, message } });

describe('providers: Azure Resource Manager', () => {
  it('pulls principal, action and scope out of AuthorizationFailed and builds the az command', async () => {
    const f = await onlyFailure({
      url: 'https://management.azure.com/subscriptions/s1/resourcegroups/rg1?api-version=2024-11-01',
      method: 'PUT',
      status: 403,
      responseBody: armError(
        'AuthorizationFailed',
        "The client 'app@contoso.com' with object id '11111111-2222-3333-4444-555555555555' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/write' over scope '/subscriptions/s1/resourcegroups/rg1' or the scope is invalid. If access was recently granted, please refresh your credentials.",
      ),
    });
    expect(f).toMatchObject({ messageId: 'azure-arm/authorization-failed', cause: 'insufficient_permissions', confidence: 'definitive' });
    expect(f.evidence).toMatchObject({
      principal: 'app@contoso.com (object id 11111111-2222-3333-4444-555555555555)',
      action: 'Microsoft.Resources/subscriptions/resourcegroups/write',
      resource: '/subscriptions/s1/resourcegroups/rg1',
    });
    expect(f.fixes[0]).toContain('az role assignment create --assignee 11111111-2222-3333-4444-555555555555 --role "ROLE" --scope "/subscriptions/s1/resourcegroups/rg1"');
  });

  it('reads a token from the wrong tenant and names the tenant to sign in to', async () => {
    const f = await onlyFailure({
      url: arm,
      status: 401,
      responseBody: armError(
        'InvalidAuthenticationTokenTenant',
        "The access token is from the wrong issuer 'https://sts.windows.net/aaaaaaaa-0000-0000-0000-000000000001/'. It must match the tenant 'https://sts.windows.net/bbbbbbbb-0000-0000-0000-000000000002/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/bbbbbbbb-0000-0000-0000-000000000002' to get the token.",
      ),
    });
    expect(f).toMatchObject({ messageId: 'azure-arm/wrong-tenant', cause: 'invalid_credentials' });
    expect(f.evidence).toMatchObject({ tenantId: 'bbbbbbbb-0000-0000-0000-000000000002', authority: 'https://login.windows.net/bbbbbbbb-0000-0000-0000-000000000002' });
    expect(f.fixes[0]).toContain('az login --tenant bbbbbbbb-0000-0000-0000-000000000002');
  });

  it('reads expired, wrong-audience, missing and malformed tokens', async () => {
    expect((await onlyFailure({ url: arm, status: 401, responseBody: armError('ExpiredAuthenticationToken', "The access token expiry UTC time '1/1/2024 10:00:00 AM' is earlier than current UTC time '1/1/2024 11:00:00 AM'.") })).cause).toBe('expired_token');
    expect((await onlyFailure({ url: arm, status: 401, responseBody: armError('InvalidAuthenticationToken', "The access token has been obtained for wrong audience or resource 'https://vault.azure.net'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.azure.com/'.") })).messageId).toBe('azure-arm/wrong-audience');
    expect((await onlyFailure({ url: arm, status: 401, responseBody: armError('AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.") })).cause).toBe('missing_credentials');
    expect((await onlyFailure({ url: arm, status: 401, responseBody: armError('AuthenticationFailed', "Authentication failed. The 'Authorization' header is provided in an invalid format.") })).cause).toBe('malformed_credentials');
  });
});

describe('providers: Microsoft Graph', () => {
  const graph = 'https://graph.microsoft.com/v1.0/me';
  const graphError = (code: string, message: string) => json({ error: { code, message, innerError: { date: '2024-01-01T00:00:00' } } });

  it('tells a parse failure from an expired token', async () => {
    const parse = await onlyFailure({ url: graph, status: 401, requestHeaders: { Authorization: 'Bearer Bearer eyJ0' }, responseBody: graphError('InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217') });
    expect(parse).toMatchObject({ messageId: 'graph/compact-token-parsing-failed', cause: 'malformed_credentials' });
    expect(parse.evidence).toMatchObject({ errorCode: '80049217', doubledScheme: 'Bearer Bearer' });
    const expired = await onlyFailure({ url: graph, status: 401, responseBody: graphError('InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.') });
    expect(expired).toMatchObject({ messageId: 'graph/token-expired', cause: 'expired_token', confidence: 'definitive' });
    const either = await onlyFailure({ url: graph, status: 401, responseBody: graphError('InvalidAuthenticationToken', 'Access token has expired or is not yet valid.') });
    expect(either).toMatchObject({ messageId: 'graph/token-expired-or-not-yet-valid', cause: 'expired_token', confidence: 'likely' });
  });

  it('reads a non-JWT, an empty token and a token for another audience', async () => {
    expect((await onlyFailure({ url: graph, status: 401, responseBody: graphError('InvalidAuthenticationToken', "IDX14100: JWT is not well formed, there are no dots (.).") })).cause).toBe('malformed_credentials');
    expect((await onlyFailure({ url: graph, status: 401, responseBody: graphError('InvalidAuthenticationToken', 'Access token is empty.') })).cause).toBe('missing_credentials');
    expect((await onlyFailure({ url: graph, status: 401, responseBody: graphError('InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.') })).messageId).toBe('graph/invalid-audience');
  });

  it('reads a missing Graph permission', async () => {
    const f = await onlyFailure({ url: 'https://graph.microsoft.com/v1.0/users', status: 403, responseBody: graphError('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.') });
    expect(f).toMatchObject({ messageId: 'graph/insufficient-privileges', cause: 'insufficient_permissions' });
    expect(f.fixes[0]).toContain('Grant admin consent');
  });
});

describe('providers: Azure Storage', () => {
  const xml = (code: string, detail?: string) =>
    `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.\nRequestId:1\nTime:2024-01-01T00:00:00Z</Message>${detail ? `<AuthenticationErrorDetail>${detail}</AuthenticationErrorDetail>` : ''}</Error>`;
  const blob = 'https://acct.blob.core.windows.net/c/b';

  it('reads a SharedKey MAC mismatch and keeps the string the server signed', async () => {
    const stringToSign = 'GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 01 Jan 2024 00:00:00 GMT\nx-ms-version:2021-08-06\n/acct/c/b';
    const f = await onlyFailure({ url: blob, status: 403, responseBody: xml('AuthenticationFailed', `The MAC signature found in the HTTP request 'abc=' is not the same as any computed signature. Server used following string to sign: '${stringToSign}'.`) });
    expect(f).toMatchObject({ messageId: 'azure-storage/mac-signature-mismatch', cause: 'signature_mismatch' });
    expect(f.evidence.stringToSign).toBe(stringToSign);
    expect(f.evidence.canonicalizedResource).toBe('/acct/c/b');
  });

  it('reads the other AuthenticationErrorDetail reasons', async () => {
    expect((await onlyFailure({ url: blob, status: 403, responseBody: xml('AuthenticationFailed', "Request date header too old: 'Mon, 01 Jan 2024 00:00:00 GMT'") })).cause).toBe('clock_skew');
    expect((await onlyFailure({ url: blob, status: 403, responseBody: xml('AuthenticationFailed', 'Signature not valid in the specified time frame: Start [Mon, 01 Jan 2024 00:00:00 GMT] - Expiry [Mon, 01 Jan 2024 01:00:00 GMT] - Current [Mon, 01 Jan 2024 02:00:00 GMT]') })).messageId).toBe('azure-storage/sas-time-window');
    expect((await onlyFailure({ url: blob, status: 403, responseBody: xml('AuthenticationFailed', 'Signature fields not well formed.') })).cause).toBe('malformed_credentials');
  });

  it('reads missing credentials and a missing data-plane role', async () => {
    expect((await onlyFailure({ url: blob, status: 401, responseBody: xml('NoAuthenticationInformation') })).cause).toBe('missing_credentials');
    const role = await onlyFailure({ url: blob, status: 403, responseBody: xml('AuthorizationPermissionMismatch') });
    expect(role).toMatchObject({ messageId: 'azure-storage/permission-mismatch', cause: 'insufficient_permissions' });
    expect(role.fixes[0]).toContain('Storage Blob Data Contributor');
  });

  it('does not read XML error codes from hosts that are not Azure Storage', async () => {
    expect(await failures({ url: 'https://files.example.com/c/b', status: 403, responseBody: xml('AuthenticationFailed', 'x') })).toEqual([]);
  });
});

describe('providers: Azure Key Vault', () => {
  it('names principal, permission and vault from an access-policy denial', async () => {
    const f = await onlyFailure({
      url: 'https://myvault.vault.azure.net/secrets/db?api-version=7.4',
      status: 403,
      responseBody: json({ error: { code: 'Forbidden', message: "The user, group or application 'appid=aaaa;oid=11111111-2222-3333-4444-555555555555;iss=https://sts.windows.net/t/' does not have secrets get permission on key vault 'myvault;location=westeurope'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287", innererror: { code: 'AccessDenied' } } }),
    });
    expect(f).toMatchObject({ messageId: 'keyvault/access-policy', cause: 'insufficient_permissions' });
    expect(f.evidence).toMatchObject({ action: 'secrets get', resource: 'key vault myvault', objectId: '11111111-2222-3333-4444-555555555555' });
    expect(f.fixes[0]).toContain('az keyvault set-policy --name myvault --object-id 11111111-2222-3333-4444-555555555555');
  });

  it('reads a token for another audience', async () => {
    const f = await onlyFailure({ url: 'https://myvault.vault.azure.net/secrets/db', status: 401, responseBody: json({ error: { code: 'Unauthorized', message: 'AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://management.azure.com/.' } }) });
    expect(f).toMatchObject({ messageId: 'keyvault/invalid-audience', cause: 'insufficient_permissions' });
    expect(f.evidence).toMatchObject({ expected: 'https://vault.azure.net', found: 'https://management.azure.com/' });
  });
});
