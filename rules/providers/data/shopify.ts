import { optional, type ProviderPack } from '../engine.ts';

const AUTH = 'https://shopify.dev/docs/api/usage/authentication';

/** Shopify Admin API: REST `{"errors": "[API] …"}`; GraphQL `{"errors": [{"extensions": {"code": "ACCESS_DENIED"}}]}`. */
export const shopify: ProviderPack = {
  provider: 'Shopify',
  hosts: ['*.myshopify.com'],
  entries: [
    {
      id: 'shopify/token-in-authorization',
      group: 'shopify/invalid-token',
      match: {
        all: [
          { field: 'errors', matches: /^\[API\] Invalid API key or access token/ },
          { requestHeader: 'x-shopify-access-token', exists: false },
          { requestHeader: 'authorization', matches: /^\s*Bearer\s+\S/i },
        ],
      },
      cause: 'wrong_scheme',
      confidence: 'likely',
      title: 'Admin API token sent as Bearer',
      message: 'Shopify rejected the credentials, and the token travelled as Authorization: Bearer — the Admin API reads access tokens from the X-Shopify-Access-Token header.',
      fixes: ['Send -H "X-Shopify-Access-Token: $SHOPIFY_ACCESS_TOKEN" instead of Authorization: Bearer.'],
      source: AUTH,
    },
    {
      id: 'shopify/no-token',
      group: 'shopify/invalid-token',
      match: {
        all: [
          { field: 'errors', matches: /^\[API\] Invalid API key or access token/ },
          { requestHeader: 'x-shopify-access-token', exists: false },
          { requestHeader: 'authorization', exists: false },
        ],
      },
      cause: 'missing_credentials',
      title: 'Shopify received no access token',
      message: 'Shopify answered "Invalid API key or access token" and the request carried no X-Shopify-Access-Token header.',
      fixes: ['Send -H "X-Shopify-Access-Token: $SHOPIFY_ACCESS_TOKEN" (an shpat_… token from the app\'s API credentials).'],
      source: AUTH,
    },
    {
      id: 'shopify/invalid-token',
      group: 'shopify/invalid-token',
      match: { field: 'errors', matches: /^\[API\] Invalid API key or access token/ },
      cause: 'invalid_credentials',
      title: 'Shopify does not accept the access token',
      message: 'Shopify rejected the access token: it belongs to another shop, the app was uninstalled, or the token was rotated.',
      fixes: ['Copy the Admin API access token again from the app (Settings > Apps and sales channels > Develop apps > API credentials) for this shop, or re-run the OAuth install to get a new one.'],
      source: AUTH,
    },
    {
      id: 'shopify/merchant-approval',
      match: { field: 'errors', matches: /^\[API\] This action requires merchant approval for (?<scope>\S+) scope\.?/ },
      cause: 'insufficient_permissions',
      title: 'App lacks an access scope',
      message: 'The token is valid but the app was not granted the {{scope}} scope by the merchant.',
      fixes: ['Add {{scope}} to the app\'s access scopes (custom apps: Configuration > Admin API integration; public apps: the scopes requested in OAuth) and have the merchant approve or reinstall.'],
      evidence: { action: '{{scope}}', resource: '{{_method}} {{_path}}' },
      source: 'https://shopify.dev/docs/api/usage/access-scopes',
    },
    {
      id: 'shopify/graphql-access-denied',
      match: {
        all: [
          { field: 'errors[].extensions.code', equals: 'ACCESS_DENIED' },
          optional({ field: 'errors[].extensions.requiredAccess', matches: /\S/, capture: 'requiredAccess' }),
          optional({ field: 'errors[].message', matches: /\S/, capture: 'serverMessage' }),
        ],
      },
      cause: 'insufficient_permissions',
      title: 'GraphQL field needs another access scope',
      message: 'Shopify denied part of the query{{#serverMessage}}: "{{serverMessage}}"{{/serverMessage}}{{#requiredAccess}} — required access: {{requiredAccess}}{{/requiredAccess}}.',
      fixes: ['Add the required access scope to the app and have the merchant approve it; then use the new token.'],
      evidence: { action: '{{requiredAccess}}' },
      source: 'https://shopify.dev/docs/api/usage/access-scopes',
    },
  ],
};
