import { optional, type Matcher, type ProviderPack } from '../engine.ts';

/**
 * Google APIs (*.googleapis.com). Errors follow AIP-193: `{"error": {"code", "message", "status",
 * "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason", "domain",
 * "metadata": {...}}]}}`; the stable machine-readable signal is ErrorInfo.reason, whose values
 * for the googleapis.com domain are listed in google/api/error_reason.proto.
 * The OAuth 2.0 token endpoint (oauth2.googleapis.com/token) answers in RFC 6749 form instead and
 * is left to the oauth2 plugin: none of these matchers fits its body.
 */
const REASONS = 'https://github.com/googleapis/googleapis/blob/master/google/api/error_reason.proto';

const reason = (value: string | readonly string[]): Matcher => ({ field: 'error.details[].reason', equals: value });
const service = optional({ field: 'error.details[].metadata.service', matches: /\S/, capture: 'service' });
const consumer = optional({ field: 'error.details[].metadata.consumer', matches: /^projects\/(?<project>[^/\s]+)$/, capture: 'consumer' });
const serverMessage = optional({ field: 'error.message', matches: /\S/, capture: 'serverMessage' });

export const google: ProviderPack = {
  provider: 'Google APIs',
  hosts: ['*.googleapis.com'],
  entries: [
    {
      id: 'google/api-key-invalid',
      match: { all: [reason('API_KEY_INVALID'), service] },
      cause: 'invalid_credentials',
      title: 'Google rejected the API key',
      message:
        'Google rejected the API key (ErrorInfo reason API_KEY_INVALID{{#service}} for {{service}}{{/service}}): it is unknown, deleted, or damaged. Google reports this as {{_status}}, not 401, so clients that look only at the status misread it.',
      fixes: [
        'Copy the key again from https://console.cloud.google.com/apis/credentials in the project that has the API enabled, and check that nothing was cut off or added: a Google API key is 39 characters and starts with AIza.',
        'If the key was deleted or rotated, create a new one on the same page and update the variable that holds it.',
      ],
      source: REASONS,
    },
    {
      id: 'google/api-key-service-blocked',
      group: 'google/permission',
      match: { all: [reason('API_KEY_SERVICE_BLOCKED'), service, consumer] },
      cause: 'insufficient_permissions',
      title: 'API key is not allowed to call this API',
      message: 'The API key is valid, but its API restrictions do not include {{service}}{{^service}}this API{{/service}} (ErrorInfo reason API_KEY_SERVICE_BLOCKED).',
      fixes: [
        'At https://console.cloud.google.com/apis/credentials{{#project}}?project={{project}}{{/project}}, edit the key, and under "API restrictions" add {{service}}{{^service}}the API you call{{/service}} (or create a separate key for it).',
      ],
      evidence: { principal: 'API key', action: 'call {{service}}', resource: '{{consumer}}' },
      source: REASONS,
    },
    {
      id: 'google/api-key-client-blocked',
      group: 'google/permission',
      match: { all: [{ field: 'error.details[].reason', equals: ['API_KEY_HTTP_REFERRER_BLOCKED', 'API_KEY_IP_ADDRESS_BLOCKED', 'API_KEY_ANDROID_APP_BLOCKED', 'API_KEY_IOS_APP_BLOCKED'], capture: 'reason' }, service] },
      cause: 'insufficient_permissions',
      title: 'API key application restriction blocked the caller',
      message: 'The API key is valid, but its application restrictions do not allow this caller (ErrorInfo reason {{reason}}): the referrer, IP address or app signature of the request is not on the key\'s allow-list.',
      fixes: [
        'At https://console.cloud.google.com/apis/credentials, edit the key\'s "Application restrictions" to include this caller — or use a separate key for server-side calls (HTTP-referrer keys only work from browsers that send a matching Referer).',
      ],
      source: REASONS,
    },
    {
      id: 'google/service-disabled',
      group: 'google/permission',
      match: {
        all: [
          reason('SERVICE_DISABLED'),
          service,
          consumer,
          optional({ field: 'error.details[].metadata.activationUrl', matches: /^https:\/\/\S+$/, capture: 'activationUrl' }),
        ],
      },
      cause: 'insufficient_permissions',
      title: 'The API is not enabled in the project',
      message:
        'Authentication worked, but {{service}}{{^service}}this API{{/service}} is not enabled{{#project}} in project {{project}}{{/project}} (ErrorInfo reason SERVICE_DISABLED). The project is the one that owns the API key or the OAuth client, or the quota project of your credentials.',
      fixes: [
        '{{#service}}Enable it: gcloud services enable {{service}}{{#project}} --project={{project}}{{/project}}.{{/service}}',
        '{{#activationUrl}}Or enable it in the console: {{activationUrl}}{{/activationUrl}}{{^activationUrl}}Or enable it at https://console.cloud.google.com/apis/library.{{/activationUrl}} If you just enabled it, wait a few minutes for the change to propagate.',
      ],
      evidence: { action: 'use {{service}}', resource: '{{consumer}}' },
      source: REASONS,
    },
    {
      id: 'google/user-project-denied',
      group: 'google/permission',
      match: { all: [reason('USER_PROJECT_DENIED'), consumer] },
      cause: 'insufficient_permissions',
      title: 'Caller may not bill the quota project',
      message: 'The caller lacks serviceusage.services.use on the quota project{{#project}} {{project}}{{/project}} that the request is billed to (ErrorInfo reason USER_PROJECT_DENIED).',
      fixes: [
        'Grant the caller roles/serviceusage.serviceUsageConsumer on the project: gcloud projects add-iam-policy-binding {{project}}{{^project}}PROJECT_ID{{/project}} --member=user:EMAIL --role=roles/serviceusage.serviceUsageConsumer (serviceAccount:EMAIL for a service account).',
        'Or point your credentials at a project you may use: gcloud auth application-default set-quota-project PROJECT_ID.',
      ],
      evidence: { action: 'serviceusage.services.use', resource: '{{consumer}}' },
      source: REASONS,
    },
    {
      id: 'google/access-token-expired',
      group: 'google/unauthenticated',
      match: reason('ACCESS_TOKEN_EXPIRED'),
      cause: 'expired_token',
      title: 'Google access token expired',
      message: 'Google says the OAuth access token has expired (ErrorInfo reason ACCESS_TOKEN_EXPIRED); Google access tokens live one hour by default.',
      fixes: [
        'Get a fresh token: gcloud auth print-access-token (or gcloud auth application-default print-access-token) — client libraries refresh by themselves when given credentials rather than a raw token.',
      ],
      source: REASONS,
    },
    {
      id: 'google/api-keys-not-supported',
      group: 'google/unauthenticated',
      match: { field: 'error.message', matches: /^API keys are not supported by this API\./ },
      cause: 'wrong_scheme',
      title: 'This Google API does not take API keys',
      message: 'Google says this API does not accept API keys: it needs an OAuth 2.0 access token (or another credential that identifies a principal, such as a service account).',
      fixes: [
        'Send Authorization: Bearer $(gcloud auth print-access-token) instead of the key, or use a client library with Application Default Credentials (gcloud auth application-default login, or a service account).',
      ],
      source: 'https://cloud.google.com/docs/authentication/api-keys',
    },
    {
      id: 'google/credentials-missing',
      group: 'google/unauthenticated',
      match: {
        all: [
          {
            any: [
              reason('CREDENTIALS_MISSING'),
              { field: 'error.message', matches: /^Request is missing required authentication credential\./ },
              { field: 'error.message', matches: /^Method doesn't allow unregistered callers/ },
            ],
          },
          serverMessage,
        ],
      },
      cause: 'missing_credentials',
      title: 'Google received no credentials',
      message: 'Google says the request carries no credential it can use{{#serverMessage}}: "{{serverMessage}}"{{/serverMessage}}.',
      fixes: [
        'Send an OAuth access token (Authorization: Bearer $(gcloud auth print-access-token)) or, for APIs that take them, an API key in the X-goog-api-key header or the key= parameter.',
      ],
      source: REASONS,
    },
    {
      id: 'google/scope-insufficient',
      group: 'google/permission',
      match: {
        any: [reason('ACCESS_TOKEN_SCOPE_INSUFFICIENT'), { field: 'error.message', matches: /^Request had insufficient authentication scopes\.?$/ }],
      },
      cause: 'insufficient_permissions',
      title: 'Access token lacks an OAuth scope',
      message: 'The access token is valid but was not issued with a scope this API needs (ErrorInfo reason ACCESS_TOKEN_SCOPE_INSUFFICIENT).',
      fixes: [
        'Request a token with the API\'s scope (the API reference lists it; https://www.googleapis.com/auth/cloud-platform covers most Cloud APIs): gcloud auth application-default login --scopes=https://www.googleapis.com/auth/cloud-platform,… or add the scope to your OAuth consent request.',
        'On Compute Engine, the VM\'s access scopes cap its service account\'s tokens: stop the VM and set "Allow full access to all Cloud APIs" (gcloud compute instances set-service-account … --scopes=cloud-platform).',
      ],
      source: REASONS,
    },
    {
      id: 'google/access-token-type-unsupported',
      group: 'google/unauthenticated',
      match: reason('ACCESS_TOKEN_TYPE_UNSUPPORTED'),
      cause: 'invalid_credentials',
      title: 'Wrong kind of Google token',
      message: 'Google does not accept this kind of token for this API (ErrorInfo reason ACCESS_TOKEN_TYPE_UNSUPPORTED) — for example an ID token where an OAuth access token belongs.',
      fixes: ['Send an OAuth 2.0 access token (gcloud auth print-access-token), not an ID token (gcloud auth print-identity-token is for Cloud Run and IAP).'],
      source: REASONS,
    },
    {
      id: 'google/account-state-invalid',
      group: 'google/unauthenticated',
      match: reason('ACCOUNT_STATE_INVALID'),
      cause: 'invalid_credentials',
      title: 'Google account disabled or deleted',
      message: 'The account behind the credentials is disabled or deleted (ErrorInfo reason ACCOUNT_STATE_INVALID).',
      fixes: ['Check the account or service account at https://console.cloud.google.com/iam-admin/serviceaccounts (a disabled service account can be re-enabled there) or use other credentials.'],
      source: REASONS,
    },
    {
      id: 'google/iam-permission-denied',
      group: 'google/permission',
      match: {
        all: [
          reason('IAM_PERMISSION_DENIED'),
          optional({ field: 'error.details[].metadata.permission', matches: /\S/, capture: 'permission' }),
          optional({ field: 'error.details[].metadata.resource', matches: /\S/, capture: 'resource' }),
        ],
      },
      cause: 'insufficient_permissions',
      title: 'IAM permission denied',
      message: 'Authentication worked, but the caller lacks the IAM permission {{permission}}{{^permission}}this call needs{{/permission}}{{#resource}} on {{resource}}{{/resource}}.',
      fixes: [
        'Grant the caller a role that contains {{permission}}{{^permission}}the permission{{/permission}} (find one at https://cloud.google.com/iam/docs/roles-permissions, or the console\'s IAM > Roles page filtered by the permission): gcloud projects add-iam-policy-binding PROJECT_ID --member=serviceAccount:EMAIL --role=ROLE (user:EMAIL for a person).',
        'To see who the caller is: gcloud auth list (the active account), or the client_email of the service-account key file.',
      ],
      evidence: { action: '{{permission}}', resource: '{{resource}}' },
      source: 'https://cloud.google.com/iam/docs/troubleshooting-access',
    },
    {
      // Cloud Storage JSON API and others name the principal in the message itself.
      id: 'google/principal-lacks-permission',
      group: 'google/permission',
      match: { field: 'error.message', matches: /^(?<principal>[^\s']+) does not have (?<permission>[a-z][\w.]*) access to (?<resource>.+?)\.(?: Permission '[^']*' denied on resource \(or it may not exist\)\.?)?$/ },
      cause: 'insufficient_permissions',
      title: 'IAM permission denied',
      message: 'Authentication worked: {{principal}} is known to Google, but lacks {{permission}} on {{resource}}.',
      fixes: [
        'Grant {{principal}} a role that contains {{permission}} on that resource or its project (for Cloud Storage objects, e.g. roles/storage.objectViewer): gcloud storage buckets add-iam-policy-binding gs://BUCKET --member=serviceAccount:{{principal}} --role=ROLE, or gcloud projects add-iam-policy-binding PROJECT_ID --member=serviceAccount:{{principal}} --role=ROLE (user: for a person).',
      ],
      evidence: { principal: '{{principal}}', action: '{{permission}}', resource: '{{resource}}' },
      source: 'https://cloud.google.com/storage/docs/access-control/iam-permissions',
    },
    {
      id: 'google/permission-denied-on-resource',
      group: 'google/permission',
      match: { field: 'error.message', matches: /^Permission '?(?<permission>[a-z][\w.]*)'? denied on resource '?(?<resource>[^'(]*?)'? ?\(or it may not exist\)\.?$/ },
      cause: 'insufficient_permissions',
      title: 'IAM permission denied',
      message: 'Authentication worked, but the caller lacks {{permission}}{{#resource}} on {{resource}}{{/resource}} — or the resource does not exist (Google does not say which, so as not to reveal it).',
      fixes: [
        'Check that the resource name is right, then grant the caller a role that contains {{permission}}: gcloud projects add-iam-policy-binding PROJECT_ID --member=serviceAccount:EMAIL --role=ROLE.',
      ],
      evidence: { action: '{{permission}}', resource: '{{resource}}' },
      source: 'https://cloud.google.com/iam/docs/troubleshooting-access',
    },
    {
      id: 'google/permission-denied',
      group: 'google/permission',
      match: { all: [{ field: 'error.status', equals: 'PERMISSION_DENIED' }, serverMessage] },
      cause: 'insufficient_permissions',
      confidence: 'likely',
      title: 'Google answered PERMISSION_DENIED',
      message: 'Google authenticated the caller but refused the call (PERMISSION_DENIED){{#serverMessage}}: "{{serverMessage}}"{{/serverMessage}}.',
      fixes: ['Find out who the caller is (gcloud auth list, or the service account\'s client_email) and grant it a role with the permission this method needs; the method\'s reference page lists the IAM permission.'],
      evidence: { resource: '{{_method}} {{_path}}' },
      source: 'https://cloud.google.com/apis/design/errors#handling_errors',
    },
    {
      id: 'google/invalid-credentials',
      group: 'google/unauthenticated',
      match: { all: [{ field: 'error.status', equals: 'UNAUTHENTICATED' }, serverMessage] },
      cause: 'invalid_credentials',
      title: 'Google does not accept the credentials',
      message: 'Google answered UNAUTHENTICATED{{#serverMessage}}: "{{serverMessage}}"{{/serverMessage}} — the token is invalid, revoked, expired, or for another audience.',
      fixes: ['Get a fresh access token (gcloud auth print-access-token) and send it as Authorization: Bearer …; with a service-account key, check that the key was not deleted (gcloud iam service-accounts keys list --iam-account=EMAIL).'],
      source: 'https://cloud.google.com/apis/design/errors#handling_errors',
    },
    {
      id: 'google/quota',
      match: { any: [reason(['RATE_LIMIT_EXCEEDED', 'RESOURCE_QUOTA_EXCEEDED']), { field: 'error.status', equals: 'RESOURCE_EXHAUSTED' }] },
      cause: 'none',
      title: 'Quota or rate limit, not authentication',
      message: 'Google answered with a quota or rate limit: the credentials were accepted; this is not an authentication problem.',
      fixes: ['Slow down or request more quota at https://console.cloud.google.com/iam-admin/quotas.'],
      source: REASONS,
    },
  ],
};
