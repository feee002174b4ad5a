import type { Matcher, ProviderPack } from '../engine.ts';

const ERROR_CODES = 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm';

/** Salesforce REST API: the body is an ARRAY, `[{"message": "...", "errorCode": "INVALID_SESSION_ID"}]`. */
const errorCode = (value: string | readonly string[]): Matcher => ({ field: '[].errorCode', equals: value, capture: 'errorCode' });

export const salesforce: ProviderPack = {
  provider: 'Salesforce',
  hosts: ['*.salesforce.com', '*.force.com', '*.salesforce-setup.com', '*.cloudforce.com'],
  entries: [
    {
      // Same errorCode as an expired session, but the session is alive: it may not use the API.
      id: 'salesforce/session-not-valid-for-api',
      group: 'salesforce/invalid-session',
      match: { all: [errorCode('INVALID_SESSION_ID'), { field: '[].message', matches: /^This session is not valid for use with the (?<api>[\w ]{1,30}?) API/ }] },
      cause: 'insufficient_permissions',
      title: 'Session not allowed to use the API',
      message:
        'Salesforce says this session may not use the {{api}} API: the session is alive, but it was created in a context that does not allow API use — the user\'s profile lacks "API Enabled", the connected app\'s OAuth scopes lack "api", or the profile requires a higher session security level (High Assurance) or login IP range than this session has.',
      fixes: [
        'Refreshing the token will not help. In Setup, check the user\'s profile or permission set has "API Enabled", the connected app requests the api scope, and the profile\'s Session Settings / Login IP Ranges do not require High Assurance for this login.',
        'Obtain the session through the connected app\'s OAuth flow (not a UI-only session such as a Visualforce or Lightning session id).',
      ],
      evidence: { action: 'use the {{api}} API', resource: '{{_host}}' },
      source: ERROR_CODES,
    },
    {
      id: 'salesforce/session-expired',
      group: 'salesforce/invalid-session',
      match: { all: [errorCode('INVALID_SESSION_ID'), { field: '[].message', matches: /^Session expired or invalid/ }] },
      cause: 'expired_token',
      title: 'Salesforce session expired or invalid',
      message:
        'Salesforce answered INVALID_SESSION_ID "Session expired or invalid": the access token (session id) timed out under the org\'s session timeout, or was ended by a logout, a password reset, the user\'s session limit, or use against another instance than its own.',
      fixes: [
        'Obtain a new access token with the refresh token (POST /services/oauth2/token grant_type=refresh_token) or log in again, then retry the call once.',
        'Call the instance_url returned with the token (https://{{_host}} must match it): a session from one org or sandbox is invalid on another.',
      ],
      source: ERROR_CODES,
    },
    {
      id: 'salesforce/invalid-session',
      group: 'salesforce/invalid-session',
      match: errorCode('INVALID_SESSION_ID'),
      cause: 'expired_token',
      confidence: 'likely',
      title: 'Salesforce rejected the session',
      message: 'Salesforce answered INVALID_SESSION_ID: the session id (access token) has expired or is not valid for this org.',
      fixes: ['Obtain a new access token (refresh token or login) and call the instance_url that came with it.'],
      source: ERROR_CODES,
    },
    {
      id: 'salesforce/api-disabled',
      match: errorCode('API_DISABLED_FOR_ORG'),
      cause: 'insufficient_permissions',
      title: 'API not enabled for the org',
      message: 'Salesforce says the API is not enabled for this organisation (API_DISABLED_FOR_ORG): the edition does not include API access, or it was switched off.',
      fixes: ['Use an edition with API access (Enterprise, Unlimited, Developer, or Professional with the API add-on), and give the user "API Enabled".'],
      source: ERROR_CODES,
    },
    {
      id: 'salesforce/insufficient-access',
      match: errorCode(['INSUFFICIENT_ACCESS', 'INSUFFICIENT_ACCESS_OR_READONLY', 'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY']),
      cause: 'insufficient_permissions',
      confidence: 'likely',
      title: 'User lacks access to the record or object',
      message: 'Salesforce authenticated the user but denied the operation ({{errorCode}}): the profile, permission sets or sharing rules do not allow it.',
      fixes: ['Check the user\'s object and field permissions (profile / permission sets) and the record\'s sharing; run the same call as a user who has access to compare.'],
      evidence: { resource: '{{_method}} {{_path}}' },
      source: ERROR_CODES,
    },
    {
      id: 'salesforce/request-limit',
      match: errorCode('REQUEST_LIMIT_EXCEEDED'),
      cause: 'none',
      title: 'API request limit reached — not authentication',
      message: 'Salesforce accepted the session but the org exceeded its API request limit (REQUEST_LIMIT_EXCEEDED).',
      fixes: ['Check usage in Setup > Company Information > API Requests, Last 24 Hours; wait for the rolling window or buy more capacity.'],
      source: ERROR_CODES,
    },
  ],
};
