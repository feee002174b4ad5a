import { optional, type ProviderPack } from '../engine.ts';

const KEYS = 'https://docs.stripe.com/keys';

/** Stripe API: `{"error": {"message", "type", "code"?}}`. */
export const stripe: ProviderPack = {
  provider: 'Stripe',
  hosts: ['api.stripe.com', 'files.stripe.com', 'connect.stripe.com'],
  entries: [
    {
      // Stripe echoes what it found in Authorization: "null" or "undefined" means the client read
      // an unset variable.
      id: 'stripe/no-api-key',
      match: {
        all: [
          { field: 'error.message', matches: /^You did not provide an API key/ },
          optional({ field: 'error.message', matches: /though you did set your Authorization header to "(?<sentValue>[^"]{0,60})"/ }),
        ],
      },
      cause: 'missing_credentials',
      title: 'Stripe received no API key',
      message:
        'Stripe says no API key was provided.{{#sentValue}} The Authorization header was set to "{{sentValue}}": the client was built from an unset variable (null/undefined), so no key was sent.{{/sentValue}}',
      fixes: [
        'Load the secret key before constructing the client (e.g. dotenv before new Stripe(process.env.STRIPE_SECRET_KEY)), and check the variable is set in the deployed environment.',
        'The request should carry Authorization: Bearer sk_test_… or sk_live_… (or rk_… for a restricted key).',
      ],
      source: 'https://docs.stripe.com/api/authentication',
    },
    {
      id: 'stripe/api-key-expired',
      match: { any: [{ field: 'error.code', equals: 'api_key_expired' }, { field: 'error.message', matches: /^Expired API Key provided/ }] },
      cause: 'expired_token',
      title: 'Stripe API key expired',
      message: 'Stripe says the API key has expired (api_key_expired): it was rolled, and its grace period is over.',
      fixes: ['Use the current key from https://dashboard.stripe.com/apikeys (Developers > API keys) and update every place that stores the old one.'],
      source: 'https://docs.stripe.com/error-codes#api-key-expired',
    },
    {
      id: 'stripe/invalid-api-key',
      match: { field: 'error.message', matches: /^Invalid API Key provided: (?<maskedKey>\S+)/ },
      cause: 'invalid_credentials',
      title: 'Stripe does not know this API key',
      message: 'Stripe rejected the API key {{maskedKey}}: it was deleted or rolled, belongs to another account, or is not a Stripe secret key.',
      fixes: ['Copy the secret key (sk_…) or restricted key (rk_…) again from https://dashboard.stripe.com/apikeys — test-mode and live-mode keys are listed separately.'],
      source: KEYS,
    },
    {
      id: 'stripe/publishable-key',
      match: { field: 'error.message', matches: /^This API call cannot be made with a publishable API key/ },
      cause: 'invalid_credentials',
      title: 'Publishable key used for a server call',
      message: 'A publishable key (pk_…) was sent where a secret key belongs: publishable keys are for browsers and mobile apps (Stripe.js, tokenisation) and cannot call this endpoint.',
      fixes: ['Use the secret key (sk_…) or a restricted key (rk_…) on your server, from https://dashboard.stripe.com/apikeys; keep the pk_ key in the front end.'],
      source: KEYS,
    },
    {
      id: 'stripe/restricted-key-permission',
      group: 'stripe/restricted',
      match: { field: 'error.message', matches: /^The provided key '(?<maskedKey>[^']+)' does not have the required permissions for this endpoint on account '(?<account>[^']+)'\.\s*Having the '(?<permission>[^']+)' permission would allow this request to continue\./ },
      cause: 'insufficient_permissions',
      title: 'Restricted key lacks a permission',
      message: 'The restricted key {{maskedKey}} is valid but lacks {{permission}} on account {{account}} for {{_method}} {{_path}}.',
      fixes: ['Edit the restricted key at https://dashboard.stripe.com/apikeys and grant the resource behind {{permission}} (Read for GET, Write for POST/DELETE), or use a key that has it.'],
      evidence: { principal: '{{maskedKey}}', action: '{{permission}}', resource: '{{_method}} {{_path}} on {{account}}' },
      source: 'https://docs.stripe.com/keys/restricted-api-keys',
    },
    {
      id: 'stripe/restricted-key-unsupported',
      group: 'stripe/restricted',
      match: { field: 'error.message', matches: /^The provided key '(?<maskedKey>[^']+)' does not have the required permissions for this endpoint on account '(?<account>[^']+)'\.\s*This is a restricted API key, but the required permissions are not available for use by restricted keys\./ },
      cause: 'insufficient_permissions',
      title: 'Endpoint not available to restricted keys',
      message: 'Restricted keys cannot call {{_method}} {{_path}} at all, whatever their permissions.',
      fixes: ['Call this endpoint with the account\'s secret key (sk_…) from https://dashboard.stripe.com/apikeys.'],
      evidence: { principal: '{{maskedKey}}', action: '{{_method}} {{_path}}', resource: 'account {{account}}' },
      source: 'https://docs.stripe.com/keys/restricted-api-keys',
    },
    {
      id: 'stripe/mode-mismatch',
      match: { field: 'error.message', matches: /^No such (?<objectType>[\w ]{1,40}): '(?<objectId>[^']+)'; a similar object exists in (?<objectMode>live|test) mode, but a (?<keyMode>live|test) mode key was used to make this request\.?$/ },
      cause: 'invalid_credentials',
      title: 'Test-mode key used for a live-mode object (or the reverse)',
      message: 'The {{objectType}} {{objectId}} exists in {{objectMode}} mode, but the request used a {{keyMode}}-mode key: Stripe keeps the two modes apart.',
      fixes: ['Use the {{objectMode}}-mode secret key (sk_{{objectMode}}_…) for this object, or create the object in {{keyMode}} mode.'],
      source: 'https://docs.stripe.com/keys#test-live-modes',
    },
    {
      id: 'stripe/account-access',
      match: { field: 'error.message', matches: /^The provided key '(?<maskedKey>[^']+)' does not have access to account '(?<account>[^']+)'/ },
      cause: 'insufficient_permissions',
      title: 'Key has no access to the connected account',
      message: 'The key {{maskedKey}} may not act on account {{account}} (Stripe-Account header): the account is not connected to yours, or the application\'s access was revoked.',
      fixes: ['Check the Stripe-Account header value and that the account is connected to your platform (https://dashboard.stripe.com/connect/accounts).'],
      evidence: { principal: '{{maskedKey}}', resource: 'account {{account}}' },
      source: 'https://docs.stripe.com/connect/authentication',
    },
  ],
};
