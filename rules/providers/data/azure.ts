import { optional, type Matcher, type ProviderPack } from '../engine.ts';

/**
 * Azure resource APIs: Azure Resource Manager, Microsoft Graph, Azure Storage and Key Vault.
 * Token-endpoint answers (login.microsoftonline.com, AADSTS codes) belong to the oauth2 plugin.
 */

const code = (value: string | readonly string[]): Matcher => ({ field: 'error.code', equals: value });
const message = (re: RegExp): Matcher => ({ field: 'error.message', matches: re });
const serverMessage = optional({ field: 'error.message', matches: /\S/, capture: 'serverMessage' });

const ARM_ERRORS = 'https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors';
const ARM_AUTHZ = 'https://learn.microsoft.com/azure/role-based-access-control/troubleshooting';

/** Azure Resource Manager: `{"error": {"code": "...", "message": "..."}}`. */
export const azureArm: ProviderPack = {
  provider: 'Azure Resource Manager',
  hosts: ['management.azure.com', 'management.usgovcloudapi.net', 'management.chinacloudapi.cn'],
  entries: [
    {
      id: 'azure-arm/wrong-tenant',
      match: {
        all: [
          code('InvalidAuthenticationTokenTenant'),
          message(/^The access token is from the wrong issuer '(?<tokenIssuer>[^']+)'\. It must match (?:the tenant|one of the tenants) '(?<expectedIssuer>[^']+)'/),
          optional({ field: 'error.message', matches: /Please use the authority \(URL\) '(?<authority>[^']+)'/ }),
          optional({ field: 'error.message', matches: /It must match (?:the tenant|one of the tenants) 'https:\/\/[^/']+\/(?<tenantId>[0-9a-fA-F-]{36})\/?'/ }),
        ],
      },
      cause: 'invalid_credentials',
      title: 'Access token from the wrong Entra ID tenant',
      message:
        'The token is genuine, but it was issued by {{tokenIssuer}} while the subscription belongs to the tenant {{expectedIssuer}} (ARM code InvalidAuthenticationTokenTenant). ARM only accepts tokens from the subscription\'s own tenant.',
      fixes: [
        'Get the token from the subscription\'s tenant{{#authority}} ({{authority}}){{/authority}}: az login --tenant {{tenantId}}{{^tenantId}}TENANT_ID{{/tenantId}}, then az account get-access-token --resource https://management.azure.com/ — or set the tenant id on the SDK credential (e.g. new DefaultAzureCredential({ tenantId: "{{tenantId}}{{^tenantId}}TENANT_ID{{/tenantId}}" })).',
        'If the subscription was just moved to another tenant, the change can take up to an hour to propagate: sign in again after that.',
      ],
      evidence: { principal: 'token issuer {{tokenIssuer}}', resource: '{{_path}}' },
      source: 'https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/error-codes/invalidauthenticationtokentenant-error',
    },
    {
      id: 'azure-arm/token-expired',
      match: { all: [code('ExpiredAuthenticationToken'), optional(message(/expiry UTC time '(?<expiresAt>[^']+)' is earlier than current UTC time '(?<serverTime>[^']+)'/))] },
      cause: 'expired_token',
      title: 'ARM access token expired',
      message: 'Azure Resource Manager says the access token expired{{#expiresAt}} at {{expiresAt}} UTC (server time {{serverTime}}){{/expiresAt}} (code ExpiredAuthenticationToken).',
      fixes: ['Get a new token: az account get-access-token --resource https://management.azure.com/ (SDK credentials refresh by themselves; a token copied into a variable does not).'],
      source: ARM_ERRORS,
    },
    {
      id: 'azure-arm/wrong-audience',
      group: 'azure-arm/invalid-token',
      match: {
        any: [
          { all: [code('InvalidAuthenticationToken'), message(/^The access token has been obtained for wrong audience or resource '(?<audience>[^']*)'/)] },
          code('InvalidAuthenticationTokenAudience'),
        ],
      },
      cause: 'insufficient_permissions',
      title: 'Access token is for another resource',
      message: 'The token was issued for {{audience}}{{^audience}}another resource{{/audience}}, not for Azure Resource Manager (its aud claim must be https://management.azure.com/ or https://management.core.windows.net/).',
      fixes: ['Request the token for ARM: az account get-access-token --resource https://management.azure.com/, or the scope https://management.azure.com/.default in MSAL/azure-identity.'],
      source: ARM_ERRORS,
    },
    {
      id: 'azure-arm/invalid-token',
      group: 'azure-arm/invalid-token',
      match: { all: [code('InvalidAuthenticationToken'), serverMessage] },
      cause: 'invalid_credentials',
      title: 'ARM does not accept the access token',
      message: 'Azure Resource Manager rejected the token (code InvalidAuthenticationToken){{#serverMessage}}: "{{serverMessage}}"{{/serverMessage}}.',
      fixes: ['Get a fresh token for ARM (az account get-access-token --resource https://management.azure.com/) and send it as Authorization: Bearer <token> exactly.'],
      source: ARM_ERRORS,
    },
    {
      id: 'azure-arm/authorization-header-missing',
      group: 'azure-arm/authentication-failed',
      match: { all: [code('AuthenticationFailed'), message(/The 'Authorization' header is missing/)] },
      cause: 'missing_credentials',
      title: 'No Authorization header reached ARM',
      message: 'Azure Resource Manager received no Authorization header.',
      fixes: ['Send Authorization: Bearer $(az account get-access-token --resource https://management.azure.com/ --query accessToken -o tsv).'],
      source: ARM_ERRORS,
    },
    {
      id: 'azure-arm/authorization-header-format',
      group: 'azure-arm/authentication-failed',
      match: { all: [code('AuthenticationFailed'), message(/The 'Authorization' header is provided in an invalid format/)] },
      cause: 'malformed_credentials',
      title: 'Authorization header in the wrong format',
      message: 'Azure Resource Manager could not parse the Authorization header: it must be "Bearer <access token>" exactly.',
      fixes: ['Send exactly one "Bearer " followed by the token, with no quotes, line breaks or a second scheme word.'],
      source: ARM_ERRORS,
    },
    {
      id: 'azure-arm/authentication-failed',
      group: 'azure-arm/authentication-failed',
      match: { all: [code('AuthenticationFailed'), serverMessage] },
      cause: 'invalid_credentials',
      confidence: 'likely',
      title: 'ARM authentication failed',
      message: 'Azure Resource Manager answered AuthenticationFailed{{#serverMessage}}: "{{serverMessage}}"{{/serverMessage}}.',
      fixes: ['Sign in again (az login) and request a fresh token for https://management.azure.com/.'],
      source: ARM_ERRORS,
    },
    {
      id: 'azure-arm/authorization-failed',
      match: {
        all: [
          code(['AuthorizationFailed', 'LinkedAuthorizationFailed']),
          optional(message(/^The client '(?<principal>[^']*)' with object id '(?<objectId>[^']*)' does not have authorization to perform action '(?<action>[^']+)' over scope '(?<scope>[^']+)'/)),
          serverMessage,
        ],
      },
      cause: 'insufficient_permissions',
      title: 'Azure RBAC: no role assignment allows this action',
      message:
        '{{#action}}The token is valid, but {{principal}} (object id {{objectId}}) has no role assignment that allows {{action}} over {{scope}}.{{/action}}{{^action}}Azure denied the action: "{{serverMessage}}".{{/action}}',
      fixes: [
        'Assign a role that includes {{action}}{{^action}}the action{{/action}} at that scope (or above it): az role assignment create --assignee {{objectId}}{{^objectId}}OBJECT_ID{{/objectId}} --role "ROLE" --scope "{{scope}}{{^scope}}SCOPE{{/scope}}" — pick the least-privileged built-in role that lists the action (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles), e.g. Reader for */read or Contributor for writes.',
        'If the role was just assigned, get a new token (az account clear; az login): role assignments can take several minutes to apply and group memberships are cached in tokens.',
        'If the scope looks wrong (a typo in the subscription, resource group or resource name), the error is the same: check the path first.',
      ],
      evidence: { principal: '{{principal}}{{#objectId}} (object id {{objectId}}){{/objectId}}', action: '{{action}}', resource: '{{scope}}' },
      source: ARM_AUTHZ,
    },
  ],
};

const GRAPH_ERRORS = 'https://learn.microsoft.com/graph/errors';
const graphToken = (re: RegExp): Matcher => ({ all: [code('InvalidAuthenticationToken'), message(re)] });

/** Microsoft Graph: `{"error": {"code": "InvalidAuthenticationToken", "message": "...", "innerError": {...}}}`. */
export const microsoftGraph: ProviderPack = {
  provider: 'Microsoft Graph',
  hosts: ['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn'],
  entries: [
    {
      // 80049217: what follows the scheme is not a compact token at all — a doubled "Bearer", a
      // missing space, quotes, or a value that is not a JWT.
      id: 'graph/compact-token-parsing-failed',
      group: 'graph/invalid-token',
      match: {
        all: [
          graphToken(/^CompactToken parsing failed with error code: (?<errorCode>\d+)/),
          optional({ requestHeader: 'authorization', matches: /^\s*(?<doubledScheme>Bearer\s+Bearer)\b/i }),
        ],
      },
      cause: 'malformed_credentials',
      title: 'Graph could not parse the token',
      message:
        'Microsoft Graph could not even parse the token (CompactToken parsing failed, code {{errorCode}}): what follows "Bearer " is not a compact JWT.{{#doubledScheme}} The header starts with "Bearer Bearer": the scheme was added twice — once by your code and once by the client library.{{/doubledScheme}} A parse failure is different from an expired token, which Graph reports as "Lifetime validation failed".',
      fixes: [
        'Send Authorization: Bearer <access token> with exactly one "Bearer " and one space; if your HTTP client or SDK adds the scheme itself, give it the bare token.',
        'Make sure the value is the access_token from the token response (not the id_token, a refresh token, or a quoted JSON string).',
      ],
      source: GRAPH_ERRORS,
    },
    {
      id: 'graph/jwt-not-well-formed',
      group: 'graph/invalid-token',
      match: graphToken(/^IDX14100: JWT is not well formed/),
      cause: 'malformed_credentials',
      title: 'Graph: the token is not a JWT',
      message: 'Microsoft Graph says the token is not well formed (IDX14100): it has no dots, so it is not a JWS/JWE compact token — typically a truncated token, an opaque token for another service, or a wrong variable.',
      fixes: ['Send the access_token issued for https://graph.microsoft.com (scope https://graph.microsoft.com/.default or delegated Graph scopes) as Authorization: Bearer <token>.'],
      source: GRAPH_ERRORS,
    },
    {
      id: 'graph/token-expired',
      group: 'graph/invalid-token',
      match: graphToken(/^Lifetime validation failed, the token is expired\.?/),
      cause: 'expired_token',
      title: 'Graph access token expired',
      message: 'Microsoft Graph says the access token is expired ("Lifetime validation failed"). Entra ID access tokens usually live 60–90 minutes.',
      fixes: ['Acquire a new token (MSAL\'s acquireTokenSilent refreshes with the cached refresh token; az account get-access-token --resource https://graph.microsoft.com for scripts) instead of reusing a stored one.'],
      source: GRAPH_ERRORS,
    },
    {
      // The same words cover exp in the past and nbf in the future: the oauth2 plugin compares the
      // claims with the clock; this entry only says what Graph said.
      id: 'graph/token-expired-or-not-yet-valid',
      group: 'graph/invalid-token',
      match: graphToken(/^Access token has expired or is not yet valid\.?$/),
      cause: 'expired_token',
      confidence: 'likely',
      title: 'Graph access token expired (or not yet valid)',
      message: 'Microsoft Graph says the access token "has expired or is not yet valid": usually a cached token past its exp; if the token\'s nbf lies in the future instead, the client clock is off.',
      fixes: [
        'Get a fresh token (MSAL acquireTokenSilent, or the refresh token) rather than reusing one cached from an earlier run.',
        'If the token was just issued, compare its nbf/exp claims with the response Date: an nbf in the future means the clock of the machine that requested it is wrong.',
      ],
      source: GRAPH_ERRORS,
    },
    {
      id: 'graph/compact-token-expired',
      group: 'graph/invalid-token',
      match: graphToken(/^CompactToken validation failed with reason code: 80049228/),
      cause: 'expired_token',
      confidence: 'likely',
      title: 'Graph rejected an expired personal-account token',
      message: 'Microsoft Graph rejected a Microsoft-account (consumer) token with reason 80049228, which it reports for tokens past their lifetime.',
      fixes: ['Acquire a new access token (acquireTokenSilent with the cached account, or the refresh token).'],
      source: 'https://github.com/microsoftgraph/python-sample-auth/issues/10',
    },
    {
      id: 'graph/token-empty',
      group: 'graph/invalid-token',
      match: graphToken(/^Access token is empty\.?$/),
      cause: 'missing_credentials',
      title: 'Graph received an empty token',
      message: 'Microsoft Graph received an Authorization header with no token in it: the variable holding the token was empty.',
      fixes: ['Check that the token was acquired before the call and that the variable is set (an empty string still produces "Bearer ").'],
      source: GRAPH_ERRORS,
    },
    {
      id: 'graph/invalid-audience',
      group: 'graph/invalid-token',
      match: graphToken(/^Access token validation failure\. Invalid audience\.?$/),
      cause: 'insufficient_permissions',
      title: 'Token issued for another API',
      message: 'Microsoft Graph says the token\'s audience is not Graph: it was requested for another resource (your own API, ARM, or an ID token).',
      fixes: ['Request the token with scope https://graph.microsoft.com/.default (app-only) or Graph delegated scopes such as User.Read; the token\'s aud must be https://graph.microsoft.com or 00000003-0000-0000-c000-000000000000.'],
      source: GRAPH_ERRORS,
    },
    {
      id: 'graph/invalid-token',
      group: 'graph/invalid-token',
      match: { all: [code('InvalidAuthenticationToken'), serverMessage] },
      cause: 'invalid_credentials',
      confidence: 'likely',
      title: 'Graph does not accept the token',
      message: 'Microsoft Graph rejected the token (InvalidAuthenticationToken){{#serverMessage}}: "{{serverMessage}}"{{/serverMessage}}.',
      fixes: ['Acquire a fresh Graph token for the right tenant and send it unchanged as Authorization: Bearer <token>.'],
      source: GRAPH_ERRORS,
    },
    {
      id: 'graph/identity-not-found',
      match: code('Authorization_IdentityNotFound'),
      cause: 'invalid_credentials',
      title: 'Graph cannot identify the application',
      message: 'Microsoft Graph could not establish the identity of the calling application in this tenant (Authorization_IdentityNotFound): the app has no service principal there, or the token is from another tenant.',
      fixes: ['Consent to the application in the target tenant (an admin opens https://login.microsoftonline.com/TENANT/adminconsent?client_id=CLIENT_ID), or request the token from the tenant that owns the data.'],
      source: GRAPH_ERRORS,
    },
    {
      id: 'graph/insufficient-privileges',
      match: { all: [code(['Authorization_RequestDenied', 'ErrorAccessDenied', 'accessDenied', 'Forbidden']), serverMessage] },
      cause: 'insufficient_permissions',
      title: 'Graph permission missing',
      message: 'The token is valid, but it lacks a Microsoft Graph permission (or directory role) that {{_method}} {{_path}} needs{{#serverMessage}}: "{{serverMessage}}"{{/serverMessage}}.',
      fixes: [
        'In the Entra admin center, App registrations > (your app) > API permissions, add the Microsoft Graph permission the endpoint\'s reference page lists (Application permissions for app-only tokens, Delegated for user tokens), then press "Grant admin consent".',
        'Get a new token afterwards and check its roles (app-only) or scp (delegated) claim contains the permission.',
      ],
      evidence: { action: '{{_method}} {{_path}}', resource: '{{_path}}' },
      source: 'https://learn.microsoft.com/graph/resolve-auth-errors',
    },
  ],
};

const STORAGE_ERRORS = 'https://learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes';
const SHARED_KEY = 'https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key';
const storageCode = (value: string | readonly string[]): Matcher => ({ field: 'Error.Code', equals: value });
const storageDetail = (re: RegExp): Matcher => ({ field: 'Error.AuthenticationErrorDetail', matches: re });

/**
 * Azure Storage (Blob, Queue, Table, Files, Data Lake): XML `<Error><Code>…</Code><Message>…
 * </Message><AuthenticationErrorDetail>…</AuthenticationErrorDetail></Error>`. The Message is the
 * same for every authentication failure; the real reason is in AuthenticationErrorDetail.
 */
export const azureStorage: ProviderPack = {
  provider: 'Azure Storage',
  hosts: ['*.core.windows.net', '*.core.usgovcloudapi.net', '*.core.chinacloudapi.cn'],
  fingerprint: { any: [{ header: 'server', matches: /^Windows-Azure-/ }, { header: 'x-ms-error-code', exists: true }] },
  entries: [
    {
      id: 'azure-storage/mac-signature-mismatch',
      group: 'azure-storage/authentication-failed',
      match: {
        all: [
          storageCode('AuthenticationFailed'),
          storageDetail(/^The MAC signature found in the HTTP request '(?<sentSignature>[^']*)' is not the same as any computed signature\. Server used following string to sign: '(?<stringToSign>[\s\S]*)'\.?\s*$/),
          optional(storageDetail(/\n(?<canonicalizedResource>\/[^\n']*)'\.?\s*$/)),
        ],
      },
      cause: 'signature_mismatch',
      title: 'SharedKey signature does not match',
      message:
        'Azure Storage computed a different SharedKey signature than the one sent, and returned the exact string it signed{{#canonicalizedResource}} (ending with the canonicalized resource {{canonicalizedResource}}){{/canonicalizedResource}}. Either what your client signed differs from that string — a header added or changed after signing, such as a Content-Type injected by the HTTP library — or the account key is wrong.',
      fixes: [
        'Print the string your client signed and compare it line by line with stringToSign in the evidence: VERB, Content-Encoding, Content-Language, Content-Length (empty for 0), Content-MD5, Content-Type, Date, If-* and Range lines, then the sorted x-ms-* headers and /account/path. Any header your HTTP library adds after signing (Content-Type is the classic) must be set before signing or not at all.',
        'If both strings are identical, the key is wrong or rotated: compare it with az storage account keys list --account-name ACCOUNT --query "[0].value" and check the account name in the Authorization header.',
        'Prefer the Azure SDK (it signs for you) or Microsoft Entra ID authentication over hand-made SharedKey signatures.',
      ],
      source: SHARED_KEY,
    },
    {
      id: 'azure-storage/sas-signature-mismatch',
      group: 'azure-storage/authentication-failed',
      match: { all: [storageCode('AuthenticationFailed'), storageDetail(/^Signature did not match\. String to sign used was (?<stringToSign>[\s\S]*)$/)] },
      cause: 'signature_mismatch',
      title: 'SAS signature does not match',
      message: 'Azure Storage recomputed the shared access signature and it does not match: a SAS field was changed after signing (URL-decoding the sig, editing se/sp), or it was signed with another key.',
      fixes: ['Generate the SAS again (az storage blob generate-sas … or the portal\'s "Shared access tokens") and use the URL exactly as produced; the server\'s string-to-sign is in the evidence.'],
      source: 'https://learn.microsoft.com/rest/api/storageservices/create-service-sas',
    },
    {
      id: 'azure-storage/request-date-too-old',
      group: 'azure-storage/authentication-failed',
      match: { all: [storageCode('AuthenticationFailed'), storageDetail(/^Request date header too old: '(?<requestDate>[^']*)'/)] },
      cause: 'clock_skew',
      title: 'Request date outside the allowed window',
      message: 'Azure Storage rejected the request\'s x-ms-date/Date ({{requestDate}}): signed requests must be within 15 minutes of the service\'s clock.',
      fixes: ['Synchronise the client clock (timedatectl set-ntp true) and sign each request with the current time, not a cached one.'],
      source: SHARED_KEY,
    },
    {
      id: 'azure-storage/sas-time-window',
      group: 'azure-storage/authentication-failed',
      match: { all: [storageCode('AuthenticationFailed'), storageDetail(/^Signature not valid in the specified time frame: Start \[(?<start>[^\]]*)\] - Expiry \[(?<expiry>[^\]]*)\] - Current \[(?<current>[^\]]*)\]/)] },
      cause: 'expired_token',
      confidence: 'likely',
      title: 'SAS outside its validity window',
      message: 'The shared access signature is not valid now: start {{start}}, expiry {{expiry}}, service time {{current}}. If the expiry has passed, the SAS expired; if the start lies after the service time, the SAS was signed by a clock that is ahead.',
      fixes: ['Generate a new SAS with an expiry in the future, and set its start time a few minutes in the past (or leave it out) to absorb clock skew.'],
      source: 'https://learn.microsoft.com/azure/storage/common/storage-sas-overview',
    },
    {
      id: 'azure-storage/sas-fields-malformed',
      group: 'azure-storage/authentication-failed',
      match: { all: [storageCode('AuthenticationFailed'), storageDetail(/^Signature fields not well formed/)] },
      cause: 'malformed_credentials',
      title: 'SAS fields not well formed',
      message: 'Azure Storage could not read the SAS parameters: a field is missing or damaged (often the sig was URL-encoded twice, or a & was lost when the URL was pasted).',
      fixes: ['Use the SAS URL exactly as generated; in shells, quote the URL so that & is not taken as a command separator.'],
      source: 'https://learn.microsoft.com/rest/api/storageservices/create-service-sas',
    },
    {
      id: 'azure-storage/authentication-failed',
      group: 'azure-storage/authentication-failed',
      match: { all: [storageCode('AuthenticationFailed'), optional({ field: 'Error.AuthenticationErrorDetail', matches: /\S/, capture: 'detail' })] },
      cause: 'invalid_credentials',
      confidence: 'likely',
      title: 'Azure Storage authentication failed',
      message: 'Azure Storage could not authenticate the request{{#detail}}: "{{detail}}"{{/detail}}. Its generic message is the same for every cause; the detail is what matters.',
      fixes: ['Check the account key, SAS or Entra ID token against the storage account you call (az storage account keys list --account-name ACCOUNT).'],
      source: STORAGE_ERRORS,
    },
    {
      id: 'azure-storage/no-authentication-information',
      match: storageCode('NoAuthenticationInformation'),
      cause: 'missing_credentials',
      title: 'No credentials reached Azure Storage',
      message: 'Azure Storage received no authentication information (no Authorization header and no SAS), and the resource is not public.',
      fixes: ['Add a SAS token to the URL, an Authorization: Bearer token for https://storage.azure.com/ (with x-ms-version 2017-11-09 or later), or a SharedKey signature — or use the Azure SDK with DefaultAzureCredential.'],
      source: STORAGE_ERRORS,
    },
    {
      id: 'azure-storage/token-audience',
      group: 'azure-storage/invalid-authentication-info',
      match: { all: [storageCode('InvalidAuthenticationInfo'), storageDetail(/Audience validation failed/)] },
      cause: 'insufficient_permissions',
      title: 'Token issued for another resource',
      message: 'The bearer token is not for Azure Storage: its audience must be https://storage.azure.com/ (or the account URL).',
      fixes: ['Request the token with scope https://storage.azure.com/.default (az account get-access-token --resource https://storage.azure.com/).'],
      source: 'https://learn.microsoft.com/rest/api/storageservices/authorize-with-azure-active-directory',
    },
    {
      id: 'azure-storage/invalid-authentication-info',
      group: 'azure-storage/invalid-authentication-info',
      match: { all: [storageCode('InvalidAuthenticationInfo'), optional({ field: 'Error.AuthenticationErrorDetail', matches: /\S/, capture: 'detail' })] },
      cause: 'malformed_credentials',
      title: 'Authorization header in the wrong format',
      message: 'Azure Storage could not read the authentication information{{#detail}}: "{{detail}}"{{/detail}}: the Authorization header is not "SharedKey account:signature" or "Bearer token" as expected.',
      fixes: ['Send "Authorization: SharedKey ACCOUNT:SIGNATURE" (or "Bearer TOKEN" with x-ms-version 2017-11-09 or later) exactly.'],
      source: STORAGE_ERRORS,
    },
    {
      id: 'azure-storage/key-based-auth-not-permitted',
      match: storageCode('KeyBasedAuthenticationNotPermitted'),
      cause: 'wrong_scheme',
      title: 'Shared key access is disabled on this account',
      message: 'The storage account does not allow Shared Key authorization (allowSharedKeyAccess is false), so account keys and account SAS are refused.',
      fixes: ['Authenticate with Microsoft Entra ID instead (a bearer token for https://storage.azure.com/, or DefaultAzureCredential), or a user delegation SAS.'],
      source: 'https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent',
    },
    {
      id: 'azure-storage/permission-mismatch',
      match: storageCode('AuthorizationPermissionMismatch'),
      cause: 'insufficient_permissions',
      title: 'No data-plane role on the storage account',
      message: 'The caller authenticated, but has no Azure RBAC data role for this operation (AuthorizationPermissionMismatch). Management roles such as Owner or Contributor do not grant access to blob or queue data.',
      fixes: [
        'Assign a data role, e.g. az role assignment create --assignee OBJECT_ID --role "Storage Blob Data Contributor" --scope /subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Storage/storageAccounts/ACCOUNT (Storage Blob Data Reader to read only), then get a new token after a few minutes.',
      ],
      evidence: { action: '{{_method}} {{_path}}', resource: '{{_host}}{{_path}}' },
      source: 'https://learn.microsoft.com/azure/storage/blobs/assign-azure-role-data-access',
    },
    {
      id: 'azure-storage/authorization-failure',
      match: storageCode(['AuthorizationFailure', 'AuthorizationResourceTypeMismatch', 'AuthorizationServiceMismatch', 'AuthorizationSourceIPMismatch', 'AuthorizationProtocolMismatch']),
      cause: 'insufficient_permissions',
      title: 'Request not authorised by the storage account',
      message: 'Azure Storage authenticated the request but did not authorise it: the SAS does not cover this service, resource type, IP or protocol, or the account\'s firewall/network rules block the caller.',
      fixes: [
        'Generate a SAS whose permissions (sp), services (ss), resource types (srt), IP range (sip) and protocol (spr) cover this call, or check the account\'s Networking settings (public network access, allowed virtual networks and IP ranges).',
      ],
      evidence: { resource: '{{_host}}{{_path}}' },
      source: STORAGE_ERRORS,
    },
  ],
};

const KEY_VAULT_AUTH = 'https://learn.microsoft.com/azure/key-vault/general/rest-error-codes';

/** Azure Key Vault data plane: `{"error": {"code": "Forbidden"|"Unauthorized", "message": "AKV…"}}`. */
export const azureKeyVault: ProviderPack = {
  provider: 'Azure Key Vault',
  hosts: ['*.vault.azure.net', '*.vault.usgovcloudapi.net', '*.vault.azure.cn', '*.managedhsm.azure.net'],
  entries: [
    {
      id: 'keyvault/missing-token',
      match: message(/^AKV10000: Request is missing a Bearer or PoP token\.?/),
      cause: 'missing_credentials',
      title: 'No token reached Key Vault',
      message: 'Key Vault received no bearer token (AKV10000). Note that Key Vault first answers every unauthenticated request with 401 and a challenge naming the tenant; SDKs then retry with a token.',
      fixes: ['Send Authorization: Bearer $(az account get-access-token --resource https://vault.azure.net --query accessToken -o tsv), or use the SDK with DefaultAzureCredential.'],
      source: KEY_VAULT_AUTH,
    },
    {
      id: 'keyvault/invalid-audience',
      match: message(/^AKV10022: Invalid audience\.(?: Expected (?<expected>\S+?),? found: (?<found>\S+?)\.?)?$/),
      cause: 'insufficient_permissions',
      title: 'Token issued for another resource',
      message: 'The token is not for Key Vault (AKV10022){{#found}}: its audience is {{found}}, Key Vault expects {{expected}}{{/found}}.',
      fixes: ['Request the token for https://vault.azure.net (az account get-access-token --resource https://vault.azure.net, scope https://vault.azure.net/.default).'],
      source: KEY_VAULT_AUTH,
    },
    {
      id: 'keyvault/invalid-issuer',
      match: message(/^AKV10032: Invalid issuer\./),
      cause: 'invalid_credentials',
      title: 'Token from the wrong tenant',
      message: 'Key Vault rejected the token\'s issuer (AKV10032): it was issued by a tenant other than the vault\'s.',
      fixes: ['Sign in to the vault\'s tenant (az login --tenant TENANT_ID) and request a new token.'],
      source: KEY_VAULT_AUTH,
    },
    {
      id: 'keyvault/access-policy',
      match: {
        all: [
          message(/^The user, group or application '(?<principal>[^']+)' does not have (?<action>.+?) permissions? on key vault '(?<vault>[^;']+)/),
          optional(message(/oid=(?<objectId>[0-9a-fA-F-]{36})/)),
        ],
      },
      cause: 'insufficient_permissions',
      title: 'Key Vault access policy does not allow this',
      message: 'The caller ({{principal}}) authenticated, but the access policies of vault {{vault}} do not give it {{action}} permission.',
      fixes: [
        'Grant it: az keyvault set-policy --name {{vault}} --object-id {{objectId}}{{^objectId}}OBJECT_ID{{/objectId}} --secret-permissions get list (or --key-permissions / --certificate-permissions, matching "{{action}}").',
        'If the vault uses Azure RBAC instead of access policies, assign a data role such as "Key Vault Secrets User": az role assignment create --assignee {{objectId}}{{^objectId}}OBJECT_ID{{/objectId}} --role "Key Vault Secrets User" --scope $(az keyvault show --name {{vault}} --query id -o tsv).',
      ],
      evidence: { principal: '{{principal}}', action: '{{action}}', resource: 'key vault {{vault}}' },
      source: 'https://learn.microsoft.com/azure/key-vault/general/troubleshooting-access-issues',
    },
    {
      id: 'keyvault/rbac-denied',
      match: {
        all: [
          message(/^Caller is not authorized to perform action on resource\./),
          optional(message(/Caller: (?<principal>[^\n]*?)\s*(?:\n|Action:)/)),
          optional(message(/Action: '(?<action>[^']+)'/)),
          optional(message(/Resource: '(?<resource>[^']+)'/)),
        ],
      },
      cause: 'insufficient_permissions',
      title: 'Key Vault RBAC denied the action',
      message: 'The caller authenticated, but no Azure role assignment on the vault allows {{action}}{{^action}}this action{{/action}}.',
      fixes: ['Assign a Key Vault data role that includes {{action}}{{^action}}the action{{/action}} (e.g. "Key Vault Secrets User" to read secrets): az role assignment create --assignee OBJECT_ID --role "Key Vault Secrets User" --scope {{resource}}{{^resource}}VAULT_RESOURCE_ID{{/resource}}.'],
      evidence: { principal: '{{principal}}', action: '{{action}}', resource: '{{resource}}' },
      source: 'https://learn.microsoft.com/azure/key-vault/general/rbac-guide',
    },
  ],
};
