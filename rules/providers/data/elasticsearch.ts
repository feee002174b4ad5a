import { optional, type Matcher, type ProviderPack } from '../engine.ts';

/**
 * Elasticsearch security: `{"error": {"root_cause": [...], "type": "security_exception",
 * "reason": "..."}, "status": 401}`. A user name of [undefined] or [null] means the client built
 * Basic credentials from unset variables — that reading belongs to the basic plugin, so the entry
 * below leaves those names out.
 */
const security: Matcher = { field: 'error.type', equals: 'security_exception' };
const reason = (re: RegExp): Matcher => ({ field: 'error.reason', matches: re });

export const elasticsearch: ProviderPack = {
  provider: 'Elasticsearch',
  fingerprint: { any: [{ header: 'x-elastic-product', exists: true }, { field: 'error.type', equals: 'security_exception' }] },
  entries: [
    {
      id: 'elasticsearch/missing-credentials',
      status: 401,
      match: { all: [security, reason(/^missing authentication credentials for REST request \[(?<restPath>[^\]]*)\]/)] },
      cause: 'missing_credentials',
      title: 'Elasticsearch received no credentials',
      message: 'Elasticsearch found no credentials on the request to {{restPath}} (no Authorization header, API key or token).',
      fixes: ['Send Basic credentials (curl -u elastic:PASSWORD) or an API key (-H "Authorization: ApiKey BASE64_ID_COLON_KEY"); create one with POST /_security/api_key or in Kibana > Stack Management > API keys.'],
      source: 'https://www.elastic.co/guide/en/elasticsearch/reference/current/setting-up-authentication.html',
    },
    {
      id: 'elasticsearch/unable-to-authenticate',
      status: 401,
      match: { all: [security, reason(/^unable to authenticate user \[(?!undefined\]|null\]|\])(?<user>[^\]]*)\] for REST request \[(?<restPath>[^\]]*)\]/)] },
      cause: 'invalid_credentials',
      title: 'Elasticsearch rejected the user\'s credentials',
      message: 'Elasticsearch received credentials for user {{user}} but no realm accepted them: the password is wrong, the user does not exist in the realms configured, or it is disabled.',
      fixes: [
        'Check the user and password with curl -u {{user}} https://{{_host}}/_security/_authenticate; reset a native user\'s password with bin/elasticsearch-reset-password -u {{user}} (or in Kibana > Stack Management > Users).',
      ],
      source: 'https://www.elastic.co/guide/en/elasticsearch/reference/current/trb-security-setup.html',
    },
    {
      id: 'elasticsearch/provided-credentials-rejected',
      status: 401,
      match: { all: [security, reason(/^unable to authenticate with provided credentials/)] },
      cause: 'invalid_credentials',
      title: 'Elasticsearch rejected the API key or token',
      message: 'Elasticsearch could not authenticate the credentials sent (an API key, bearer token or service token that is unknown, invalidated or expired).',
      fixes: ['Check the API key with GET /_security/api_key?id=ID (invalidated and expiration fields) and create a new one if needed; the ApiKey header value is base64("id:api_key").'],
      source: 'https://www.elastic.co/guide/en/elasticsearch/reference/current/security-api-create-api-key.html',
    },
    {
      id: 'elasticsearch/action-unauthorized',
      status: 403,
      match: {
        all: [
          security,
          reason(/^action \[(?<action>[^\]]+)\] is unauthorized for (?:user|API key id) \[(?<principal>[^\]]+)\]/),
          optional(reason(/ with (?:effective )?roles \[(?<roles>[^\]]{0,1000})\]/)),
          optional(reason(/ on indices \[(?<indices>[^\]]{0,1000})\]/)),
          optional(reason(/granted by the (?<privilegeKind>index|cluster) privileges \[(?<privileges>[^\]]{0,1000})\]/)),
        ],
      },
      cause: 'insufficient_permissions',
      title: 'Elasticsearch role lacks a privilege',
      message:
        '{{principal}} authenticated{{#roles}} (roles: {{roles}}){{/roles}}, but may not perform {{action}}{{#indices}} on indices {{indices}}{{/indices}}{{#privileges}}; the {{privilegeKind}} privileges that grant it are {{privileges}}{{/privileges}}.',
      fixes: [
        'Give {{principal}} a role with {{#privileges}}one of the {{privilegeKind}} privileges [{{privileges}}]{{/privileges}}{{^privileges}}the needed privilege{{/privileges}}{{#indices}} on {{indices}}{{/indices}}: PUT /_security/role/NAME with the privilege, then add the role to the user (PUT /_security/user/{{principal}}) or to the role mapping; or do it in Kibana > Stack Management > Roles.',
      ],
      evidence: { principal: '{{principal}}', action: '{{action}}', resource: '{{#indices}}indices {{indices}}{{/indices}}{{^indices}}cluster{{/indices}}' },
      source: 'https://www.elastic.co/guide/en/elasticsearch/reference/current/security-privileges.html',
    },
  ],
};
