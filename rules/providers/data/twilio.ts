import { optional, type ProviderPack } from '../engine.ts';

/** Twilio REST API: `{"code": 20003, "message": "Authenticate", "more_info": "...", "status": 401}`. */
export const twilio: ProviderPack = {
  provider: 'Twilio',
  hosts: ['api.twilio.com', '*.twilio.com'],
  entries: [
    {
      // An API key SID (SK…) authenticates only together with its secret, and the URL must still
      // name the Account SID (AC…): Client(keySid, keySecret, accountSid).
      id: 'twilio/20003-api-key-sid-as-account-sid',
      group: 'twilio/20003',
      match: {
        all: [
          { field: 'code', equals: 20003 },
          { url: 'path', matches: /\/Accounts\/(?<pathSid>SK[0-9a-fA-F]{32})(?:[/.]|$)/ },
        ],
      },
      cause: 'invalid_credentials',
      title: 'API key SID used as the Account SID',
      message:
        'Twilio answered 20003 (authentication failed), and the URL names {{pathSid}} as the account — but SK… is an API key SID, not an Account SID. With API keys, Basic auth carries the key SID and the key secret, and the URL still carries your Account SID (AC…).',
      fixes: [
        'Build the client with all three values: Client(apiKeySid, apiKeySecret, accountSid) in twilio-python/PHP, twilio(apiKeySid, apiKeySecret, { accountSid }) in twilio-node — so requests go to /Accounts/AC…/ with Basic SK…:secret.',
        'The key secret is shown only when the key is created (Console > Account > API keys & tokens); if you lost it, create a new key.',
      ],
      evidence: { principal: '{{pathSid}} (API key SID)', resource: '{{_path}}' },
      source: 'https://www.twilio.com/docs/iam/api-keys',
    },
    {
      id: 'twilio/20003-authenticate',
      group: 'twilio/20003',
      match: { all: [{ field: 'code', equals: 20003 }, optional({ field: 'detail', matches: /\S/, capture: 'detail' })] },
      cause: 'invalid_credentials',
      title: 'Twilio authentication failed',
      message:
        'Twilio answered 20003{{#detail}} ("{{detail}}"){{/detail}}: the Basic credentials do not match — a wrong Account SID and Auth Token pair, an API key with the wrong secret, test credentials used against live resources, subaccount credentials for the main account, a rotated Auth Token, a deleted API key, extra spaces, or a suspended account.',
      fixes: [
        'Copy the Account SID and Auth Token again from https://console.twilio.com (Account Info) and send them as Basic ACCOUNT_SID:AUTH_TOKEN, with no spaces or line breaks.',
        'With an API key, send KEY_SID:KEY_SECRET and keep the Account SID (AC…) in the URL; check the key was created in the same region you call.',
      ],
      source: 'https://www.twilio.com/docs/api/errors/20003',
    },
    {
      id: 'twilio/20005-account-not-active',
      match: { field: 'code', equals: 20005 },
      cause: 'invalid_credentials',
      title: 'Twilio account not active',
      message: 'Twilio says the account is not active (20005): it was suspended or closed.',
      fixes: ['Check the account status in https://console.twilio.com and contact Twilio Support if it was suspended.'],
      source: 'https://www.twilio.com/docs/api/errors/20005',
    },
    {
      id: 'twilio/20008-test-credentials',
      match: { field: 'code', equals: 20008 },
      cause: 'invalid_credentials',
      title: 'Test credentials cannot reach this resource',
      message: 'Twilio says this resource is not available with test credentials (20008): test credentials only work for a few endpoints (sending messages, making calls, buying numbers) and never touch live data.',
      fixes: ['Use the live Account SID and Auth Token (or an API key) for this request.'],
      source: 'https://www.twilio.com/docs/iam/test-credentials',
    },
    {
      id: 'twilio/20403-forbidden',
      match: { field: 'code', equals: 20403 },
      cause: 'insufficient_permissions',
      title: 'Twilio account may not use this API',
      message: 'Twilio answered 20403: the account lacks permission for this API, usually because it is suspended or closed.',
      fixes: ['Check the account in https://console.twilio.com and contact Twilio Support.'],
      source: 'https://www.twilio.com/docs/api/errors/20403',
    },
    {
      id: 'twilio/70051-authorization-failed',
      match: { field: 'code', equals: 70051 },
      cause: 'insufficient_permissions',
      title: 'Twilio could not authorise the request',
      message: 'Twilio authenticated the credentials but could not authorise the request (70051): a restricted API key lacks the permission, or the credentials belong to another account.',
      fixes: ['Add the missing permission to the restricted key (Console > API keys & tokens), or use a Standard/Main key for this call.'],
      evidence: { resource: '{{_method}} {{_path}}' },
      source: 'https://www.twilio.com/docs/api/errors/70051',
    },
  ],
};
