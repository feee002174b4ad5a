import type { Matcher, ProviderPack } from '../engine.ts';

const AUTH = 'https://www.twilio.com/docs/sendgrid/for-developers/sending-email/authentication';
const ERRORS = 'https://support.sendgrid.com/hc/en-us/articles/18322114821403-4XX-API-Errors-and-Troubleshooting-Suggestions';

/**
 * SendGrid v3: `{"errors": [{"message": "...", "field": null, "help": null}]}`. SendGrid reads the
 * key from `Authorization: Bearer <key>`; it answers "authorization required" when the header is
 * absent, and OAuth-style wording ("authorization grant is invalid, expired, or revoked") for an
 * empty, unknown, deleted or mis-scoped key.
 */
const grantInvalid: Matcher = { field: 'errors[].message', matches: /^The provided authorization grant is invalid, expired, or revoked/ };

export const sendgrid: ProviderPack = {
  provider: 'SendGrid',
  hosts: ['api.sendgrid.com', 'api.eu.sendgrid.com'],
  entries: [
    {
      id: 'sendgrid/authorization-required',
      match: { field: 'errors[].message', matches: /^authorization required$/i },
      cause: 'missing_credentials',
      title: 'SendGrid received no Authorization header',
      message: 'SendGrid answered "authorization required": the request had no Authorization header.',
      fixes: ['Send -H "Authorization: Bearer $SENDGRID_API_KEY" (an SG.… key from https://app.sendgrid.com/settings/api_keys).'],
      source: AUTH,
    },
    {
      id: 'sendgrid/empty-key',
      group: 'sendgrid/grant-invalid',
      match: {
        all: [
          grantInvalid,
          { any: [{ requestHeader: 'authorization', exists: false }, { requestHeader: 'authorization', matches: /^\s*$|^\s*Bearer(?:\s+(?:null|undefined|None|nil|""|''))?\s*$|^\s*(?:null|undefined|None|nil|""|'')\s*$/i }] },
        ],
      },
      cause: 'missing_credentials',
      title: 'SendGrid received an empty API key',
      message: 'SendGrid answered "The provided authorization grant is invalid, expired, or revoked", and the Authorization header carried no key at all (just the scheme, or null/undefined): the API key variable was never loaded.',
      fixes: [
        'Make sure the process actually reads SENDGRID_API_KEY before creating the client (a .env file is not read unless your code loads it), then send Authorization: Bearer SG.….',
      ],
      source: ERRORS,
    },
    {
      id: 'sendgrid/key-without-bearer',
      group: 'sendgrid/grant-invalid',
      match: { all: [grantInvalid, { requestHeader: 'authorization', matches: /^\s*(?!Bearer\s|Basic\s)\S/i }] },
      cause: 'wrong_scheme',
      title: 'SendGrid key sent without "Bearer"',
      message: 'SendGrid rejected the key, and the Authorization header does not start with "Bearer ": SendGrid reads API keys only as Authorization: Bearer <key>.',
      fixes: ['Send -H "Authorization: Bearer $SENDGRID_API_KEY".'],
      source: AUTH,
    },
    {
      id: 'sendgrid/not-an-api-key',
      group: 'sendgrid/grant-invalid',
      match: { all: [grantInvalid, { requestHeader: 'authorization', matches: /^\s*Bearer\s+(?!SG\.)\S/i }] },
      cause: 'invalid_credentials',
      title: 'That is not a SendGrid API key',
      message: 'SendGrid rejected the key, and the value sent does not start with "SG.": it is probably the key\'s ID (shown in the dashboard list), not the key itself, which SendGrid shows only once when it is created.',
      fixes: ['Create a new API key at https://app.sendgrid.com/settings/api_keys, copy the full SG.xxx.yyy value when it is shown, and store that.'],
      source: ERRORS,
    },
    {
      id: 'sendgrid/grant-invalid',
      group: 'sendgrid/grant-invalid',
      match: grantInvalid,
      cause: 'invalid_credentials',
      title: 'SendGrid does not accept the API key',
      message: 'SendGrid answered "The provided authorization grant is invalid, expired, or revoked": the key was deleted, belongs to another account or subuser, or is damaged (SendGrid keys are SG. followed by two dot-separated parts, 69 characters).',
      fixes: ['Check the key is still listed at https://app.sendgrid.com/settings/api_keys; if not, create a new one (with Mail Send permission for /v3/mail/send) and replace the stored value.'],
      source: ERRORS,
    },
    {
      id: 'sendgrid/access-forbidden',
      status: 403,
      match: { field: 'errors[].message', matches: /^access forbidden/i },
      cause: 'insufficient_permissions',
      title: 'SendGrid API key lacks a permission',
      message: 'SendGrid accepted the key but it lacks the permission for {{_method}} {{_path}} (restricted access key).',
      fixes: ['Edit the key at https://app.sendgrid.com/settings/api_keys and give it the needed access (Full Access to Mail Send for sending), or create a key with it.'],
      evidence: { resource: '{{_method}} {{_path}}' },
      source: ERRORS,
    },
  ],
};
