/**
 * Real providers' API keys: where each API reads its key, and what each kind of key looks like.
 * DATA only — the rules in this folder read it. Every entry cites where the format comes from:
 * the provider's documentation where it publishes the format, otherwise the secret-scanning
 * patterns that GitHub and gitleaks maintain with the providers (gitleaks/gitleaks,
 * cmd/generate/config/rules/*.go).
 */

/** Where a credential travels. */
export type Placement =
  /** `Authorization: <scheme> <key>`; scheme '' means the bare key (`Authorization: <key>`). */
  | { kind: 'authorization'; scheme: string }
  /** A header of its own (`x-api-key: <key>`); name as the provider writes it. */
  | { kind: 'header'; name: string }
  /** A query parameter (`?key=<key>`). */
  | { kind: 'query'; name: string }
  /** HTTP Basic: the key is the user name or the password (`user` names the fixed other half). */
  | { kind: 'basic'; part: 'user' | 'password'; user?: string }
  /** AWS Signature Version 4: the key id is signed into the request, never sent as a value. */
  | { kind: 'sigv4' };

export const BEARER: Placement = { kind: 'authorization', scheme: 'Bearer' };

/** What a key is for: the rules use it to spot a key of the wrong kind. */
export type KeyRole =
  /** A server-side secret key or token: the normal thing to send. */
  | 'secret'
  /** Meant for browsers and apps (Stripe pk_): not accepted for server API calls. */
  | 'publishable'
  /** Works only on the provider's admin/organization endpoints. */
  | 'admin'
  /** Exchanged for access tokens at a token endpoint; never sent to the API itself. */
  | 'refresh'
  /** Signs or verifies (webhooks, OAuth); never sent as a credential. */
  | 'app-secret'
  /** An identifier that names an account or key; it authenticates only with its secret. */
  | 'identifier';

export interface ApiInfo {
  /** Stable id, referenced by KeyFormat.api. */
  id: string;
  provider: string;
  /** Host patterns (`*.example.com` for any subdomain). */
  hosts: readonly string[];
  /** Every place this API reads a credential from (any of them). */
  placements: readonly Placement[];
  /** Live or test/sandbox hosts, where a provider separates them by host. */
  environment?: 'live' | 'test';
  /** Paths of admin/organization endpoints, where only admin keys work. */
  adminPaths?: RegExp;
  /** Identifiers the API expects inside the URL path (Twilio's Account SID). */
  pathIds?: readonly { pattern: RegExp; expects: readonly string[]; name: string }[];
  /** The environment variable the provider's SDKs read, for the fixes. */
  envVar?: string;
  /** The host forwards requests to other providers with their own keys (a router): any key may be right. */
  gateway?: boolean;
  source: string;
}

export interface KeyFormat {
  /** Stable id, used as evidence and in tests. */
  id: string;
  /** The ApiInfo the key belongs to. */
  api: string;
  /** What kind of key it is, for messages ("project API key"). */
  kind: string;
  /** The distinctive start of the value. */
  prefix: string;
  /** One character of the alphabet after the prefix. */
  alphabet: RegExp;
  /** Total length: exact, or [min, max] (max undefined when the provider sets no upper bound). */
  length: number | readonly [number, number | undefined];
  /** Documented structure beyond prefix/alphabet/length, anchored. */
  structure?: RegExp;
  /** The structure in words, for messages. */
  shape?: string;
  role: KeyRole;
  environment?: 'live' | 'test';
  /** Where this kind of key goes; defaults to the API's placements. */
  placements?: readonly Placement[];
  /**
   * The prefix is too common to recognise the key anywhere: only when the request goes to one of
   * the API's hosts, and only when the whole value matches (no truncation verdict).
   */
  hostOnly?: boolean;
  /** Recognise only an exact match of prefix, alphabet and length (short or generic prefixes). */
  strict?: boolean;
  /** For keys of the wrong kind: what they are for instead. */
  use?: string;
  source: string;
}

const GITLEAKS = (file: string) => `https://github.com/gitleaks/gitleaks/blob/master/cmd/generate/config/rules/${file}.go`;

export const APIS: readonly ApiInfo[] = [
  {
    id: 'openai',
    provider: 'OpenAI',
    hosts: ['api.openai.com'],
    placements: [BEARER],
    adminPaths: /^\/v1\/organization\//,
    envVar: 'OPENAI_API_KEY',
    source: 'https://platform.openai.com/docs/api-reference/authentication',
  },
  {
    id: 'azure-openai',
    provider: 'Azure OpenAI',
    hosts: ['*.openai.azure.com', '*.cognitiveservices.azure.com', '*.services.ai.azure.com'],
    placements: [{ kind: 'header', name: 'api-key' }, BEARER],
    envVar: 'AZURE_OPENAI_API_KEY',
    source: 'https://learn.microsoft.com/azure/ai-services/openai/reference#authentication',
  },
  {
    id: 'anthropic',
    provider: 'Anthropic',
    hosts: ['api.anthropic.com'],
    // API keys in x-api-key; OAuth access tokens (sk-ant-oat01-) as Bearer.
    placements: [{ kind: 'header', name: 'x-api-key' }, BEARER],
    adminPaths: /^\/v1\/organizations\//,
    envVar: 'ANTHROPIC_API_KEY',
    source: 'https://docs.anthropic.com/en/api/overview#authentication',
  },
  {
    id: 'openrouter',
    provider: 'OpenRouter',
    hosts: ['openrouter.ai'],
    placements: [BEARER],
    envVar: 'OPENROUTER_API_KEY',
    source: 'https://openrouter.ai/docs/api-reference/authentication',
  },
  { id: 'groq', provider: 'Groq', hosts: ['api.groq.com'], placements: [BEARER], envVar: 'GROQ_API_KEY', source: 'https://console.groq.com/docs/quickstart' },
  { id: 'xai', provider: 'xAI', hosts: ['api.x.ai'], placements: [BEARER], envVar: 'XAI_API_KEY', source: 'https://docs.x.ai/docs/api-reference' },
  { id: 'perplexity', provider: 'Perplexity', hosts: ['api.perplexity.ai'], placements: [BEARER], envVar: 'PERPLEXITY_API_KEY', source: 'https://docs.perplexity.ai/api-reference/chat-completions-post' },
  {
    id: 'replicate',
    provider: 'Replicate',
    hosts: ['api.replicate.com'],
    placements: [BEARER, { kind: 'authorization', scheme: 'Token' }],
    envVar: 'REPLICATE_API_TOKEN',
    source: 'https://replicate.com/docs/reference/http#authentication',
  },
  {
    id: 'stripe',
    provider: 'Stripe',
    hosts: ['api.stripe.com', 'files.stripe.com'],
    // Bearer, or Basic with the key as user name and an empty password (curl -u sk_…:).
    placements: [BEARER, { kind: 'basic', part: 'user' }],
    envVar: 'STRIPE_SECRET_KEY',
    source: 'https://docs.stripe.com/api/authentication',
  },
  {
    id: 'github',
    provider: 'GitHub',
    hosts: ['api.github.com', 'uploads.github.com', '*.ghe.com'],
    placements: [BEARER, { kind: 'authorization', scheme: 'token' }, { kind: 'basic', part: 'password' }],
    envVar: 'GITHUB_TOKEN',
    source: 'https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api',
  },
  {
    id: 'gitlab',
    provider: 'GitLab',
    hosts: ['gitlab.com'],
    placements: [
      { kind: 'header', name: 'PRIVATE-TOKEN' },
      BEARER,
      { kind: 'header', name: 'JOB-TOKEN' },
      { kind: 'query', name: 'private_token' },
      { kind: 'query', name: 'access_token' },
      { kind: 'basic', part: 'password' },
    ],
    envVar: 'GITLAB_TOKEN',
    source: 'https://docs.gitlab.com/api/rest/authentication/',
  },
  {
    // Tokens in the query string are refused for apps created after 24 February 2021.
    id: 'slack',
    provider: 'Slack',
    hosts: ['slack.com', '*.slack.com'],
    placements: [BEARER],
    envVar: 'SLACK_BOT_TOKEN',
    source: 'https://api.slack.com/authentication/basics#calling',
  },
  {
    id: 'google',
    provider: 'Google',
    hosts: ['*.googleapis.com'],
    placements: [
      { kind: 'query', name: 'key' },
      { kind: 'header', name: 'X-goog-api-key' },
      BEARER,
      { kind: 'query', name: 'access_token' },
    ],
    envVar: 'GOOGLE_API_KEY',
    source: 'https://cloud.google.com/docs/authentication/api-keys-use#using-with-rest',
  },
  {
    id: 'aws',
    provider: 'AWS',
    hosts: ['*.amazonaws.com', '*.amazonaws.com.cn', '*.api.aws'],
    placements: [{ kind: 'sigv4' }],
    envVar: 'AWS_ACCESS_KEY_ID',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html',
  },
  {
    id: 'sendgrid',
    provider: 'SendGrid',
    hosts: ['api.sendgrid.com', 'api.eu.sendgrid.com'],
    placements: [BEARER],
    envVar: 'SENDGRID_API_KEY',
    source: 'https://www.twilio.com/docs/sendgrid/for-developers/sending-email/authentication',
  },
  {
    id: 'twilio',
    provider: 'Twilio',
    hosts: ['api.twilio.com', '*.twilio.com'],
    // Basic: Account SID + Auth Token, or API key SID + API key secret; OAuth access tokens as Bearer.
    placements: [{ kind: 'basic', part: 'user' }, BEARER],
    pathIds: [{ pattern: /\/Accounts\/(?<id>[A-Za-z0-9]+)(?:[/.]|$)/, expects: ['twilio-account-sid'], name: 'the Account SID in the URL path' }],
    envVar: 'TWILIO_ACCOUNT_SID',
    source: 'https://www.twilio.com/docs/usage/requests-to-twilio#authenticate-with-http',
  },
  {
    id: 'digitalocean',
    provider: 'DigitalOcean',
    hosts: ['api.digitalocean.com'],
    placements: [BEARER],
    envVar: 'DIGITALOCEAN_TOKEN',
    source: 'https://docs.digitalocean.com/reference/api/digitalocean/#section/Authentication',
  },
  {
    id: 'shopify',
    provider: 'Shopify',
    hosts: ['*.myshopify.com'],
    placements: [{ kind: 'header', name: 'X-Shopify-Access-Token' }],
    envVar: 'SHOPIFY_ACCESS_TOKEN',
    source: 'https://shopify.dev/docs/api/usage/authentication',
  },
  {
    id: 'cloudflare',
    provider: 'Cloudflare',
    hosts: ['api.cloudflare.com'],
    placements: [BEARER, { kind: 'header', name: 'X-Auth-Key' }],
    envVar: 'CLOUDFLARE_API_TOKEN',
    source: 'https://developers.cloudflare.com/fundamentals/api/get-started/keys/',
  },
  {
    // Inference Providers: the router also forwards calls made with a provider's own key.
    id: 'huggingface-router',
    provider: 'Hugging Face',
    hosts: ['router.huggingface.co'],
    placements: [BEARER],
    gateway: true,
    envVar: 'HF_TOKEN',
    source: 'https://huggingface.co/docs/inference-providers/index',
  },
  {
    id: 'huggingface',
    provider: 'Hugging Face',
    hosts: ['huggingface.co', '*.huggingface.co', 'hf.co', '*.hf.co'],
    placements: [BEARER],
    envVar: 'HF_TOKEN',
    source: 'https://huggingface.co/docs/hub/security-tokens',
  },
  // Bearer for tokens; legacy _auth settings send Basic user:password.
  { id: 'npm', provider: 'npm', hosts: ['registry.npmjs.org'], placements: [BEARER, { kind: 'basic', part: 'password' }], envVar: 'NPM_TOKEN', source: 'https://docs.npmjs.com/about-access-tokens' },
  {
    id: 'pypi',
    provider: 'PyPI',
    hosts: ['upload.pypi.org'],
    placements: [{ kind: 'basic', part: 'password', user: '__token__' }],
    environment: 'live',
    envVar: 'TWINE_PASSWORD',
    source: 'https://pypi.org/help/#apitoken',
  },
  {
    id: 'testpypi',
    provider: 'PyPI',
    hosts: ['test.pypi.org'],
    placements: [{ kind: 'basic', part: 'password', user: '__token__' }],
    environment: 'test',
    envVar: 'TWINE_PASSWORD',
    source: 'https://packaging.python.org/en/latest/guides/using-testpypi/',
  },
  {
    id: 'mailgun',
    provider: 'Mailgun',
    hosts: ['api.mailgun.net', 'api.eu.mailgun.net'],
    placements: [{ kind: 'basic', part: 'password', user: 'api' }],
    envVar: 'MAILGUN_API_KEY',
    source: 'https://documentation.mailgun.com/docs/mailgun/api-reference/authentication/',
  },
  {
    id: 'datadog',
    provider: 'Datadog',
    hosts: ['api.datadoghq.com', 'api.datadoghq.eu', 'api.us3.datadoghq.com', 'api.us5.datadoghq.com', 'api.ap1.datadoghq.com', 'api.ddog-gov.com'],
    placements: [{ kind: 'header', name: 'DD-API-KEY' }, { kind: 'header', name: 'DD-APPLICATION-KEY' }],
    envVar: 'DD_API_KEY',
    source: 'https://docs.datadoghq.com/account_management/api-app-keys/',
  },
  {
    // Personal API keys go bare in Authorization; OAuth access tokens as Bearer.
    id: 'linear',
    provider: 'Linear',
    hosts: ['api.linear.app'],
    placements: [{ kind: 'authorization', scheme: '' }, BEARER],
    envVar: 'LINEAR_API_KEY',
    source: 'https://linear.app/developers/graphql#authentication',
  },
  { id: 'notion', provider: 'Notion', hosts: ['api.notion.com'], placements: [BEARER], envVar: 'NOTION_TOKEN', source: 'https://developers.notion.com/reference/authentication' },
  {
    id: 'paddle',
    provider: 'Paddle',
    hosts: ['api.paddle.com'],
    placements: [BEARER],
    environment: 'live',
    envVar: 'PADDLE_API_KEY',
    source: 'https://developer.paddle.com/api-reference/about/api-keys',
  },
  {
    id: 'paddle-sandbox',
    provider: 'Paddle',
    hosts: ['sandbox-api.paddle.com'],
    placements: [BEARER],
    environment: 'test',
    envVar: 'PADDLE_API_KEY',
    source: 'https://developer.paddle.com/api-reference/about/api-keys',
  },
  {
    id: 'postman',
    provider: 'Postman',
    hosts: ['api.getpostman.com'],
    placements: [{ kind: 'header', name: 'X-Api-Key' }, { kind: 'query', name: 'apikey' }],
    envVar: 'POSTMAN_API_KEY',
    source: 'https://learning.postman.com/docs/developer/postman-api/authentication/',
  },
  {
    // The key is read only from the query string: no header alternative to suggest.
    id: 'openweathermap',
    provider: 'OpenWeatherMap',
    hosts: ['api.openweathermap.org'],
    placements: [{ kind: 'query', name: 'appid' }],
    envVar: 'OPENWEATHER_API_KEY',
    source: 'https://openweathermap.org/appid',
  },
  {
    id: 'atlassian',
    provider: 'Atlassian',
    hosts: ['*.atlassian.net'],
    placements: [{ kind: 'basic', part: 'password' }, BEARER],
    envVar: 'ATLASSIAN_API_TOKEN',
    source: 'https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/',
  },
];

const ALNUM = /[A-Za-z0-9]/;
const URLSAFE = /[A-Za-z0-9_-]/;
const HEX = /[0-9a-f]/;

export const KEY_FORMATS: readonly KeyFormat[] = [
  // OpenAI. Project keys are the default since 2024; service-account and admin keys have their own
  // prefixes. Lengths vary (newer keys are ~164 characters): only a lower bound is certain.
  { id: 'openai-project-key', api: 'openai', kind: 'project API key', prefix: 'sk-proj-', alphabet: URLSAFE, length: [56, undefined], role: 'secret', source: 'https://platform.openai.com/docs/api-reference/authentication' },
  { id: 'openai-service-account-key', api: 'openai', kind: 'service account key', prefix: 'sk-svcacct-', alphabet: URLSAFE, length: [59, undefined], role: 'secret', source: 'https://platform.openai.com/docs/api-reference/project-service-accounts' },
  {
    id: 'openai-admin-key',
    api: 'openai',
    kind: 'admin API key',
    prefix: 'sk-admin-',
    alphabet: URLSAFE,
    length: [60, undefined],
    role: 'admin',
    use: 'the Administration API (/v1/organization/…) only; model endpoints need a project key (sk-proj-…)',
    source: 'https://platform.openai.com/docs/api-reference/admin-api-keys',
  },
  // Legacy user keys: sk- + 20 + "T3BlbkFJ" (base64 of "OpenAI") + 20. Many OpenAI-compatible
  // services also use sk-, so only the exact structure is recognised.
  { id: 'openai-legacy-key', api: 'openai', kind: 'user API key (legacy)', prefix: 'sk-', alphabet: ALNUM, length: 51, structure: /^sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}$/, shape: 'sk- + 20 characters + T3BlbkFJ + 20 characters', role: 'secret', strict: true, source: GITLEAKS('openai') },

  // Anthropic: sk-ant-api03- + 93 + "AA" (108); admin keys sk-ant-admin01- (110); OAuth tokens.
  {
    id: 'anthropic-api-key',
    api: 'anthropic',
    kind: 'API key',
    prefix: 'sk-ant-api03-',
    alphabet: URLSAFE,
    length: 108,
    structure: /^sk-ant-api03-[A-Za-z0-9_-]{93}AA$/,
    shape: 'sk-ant-api03- + 93 characters + AA',
    role: 'secret',
    placements: [{ kind: 'header', name: 'x-api-key' }],
    source: GITLEAKS('anthropic'),
  },
  {
    id: 'anthropic-admin-key',
    api: 'anthropic',
    kind: 'Admin API key',
    prefix: 'sk-ant-admin01-',
    alphabet: URLSAFE,
    length: 110,
    role: 'admin',
    placements: [{ kind: 'header', name: 'x-api-key' }],
    use: 'the Admin API (/v1/organizations/…) only; the Messages API needs a regular API key (sk-ant-api03-…)',
    source: 'https://docs.anthropic.com/en/api/administration-api',
  },
  { id: 'anthropic-oauth-token', api: 'anthropic', kind: 'OAuth access token', prefix: 'sk-ant-oat01-', alphabet: URLSAFE, length: [53, undefined], role: 'secret', placements: [BEARER], source: GITLEAKS('anthropic') },
  {
    id: 'anthropic-oauth-refresh-token',
    api: 'anthropic',
    kind: 'OAuth refresh token',
    prefix: 'sk-ant-ort01-',
    alphabet: URLSAFE,
    length: [53, undefined],
    role: 'refresh',
    placements: [],
    use: 'the token endpoint, to obtain an access token (sk-ant-oat01-…)',
    source: GITLEAKS('anthropic'),
  },

  { id: 'openrouter-key', api: 'openrouter', kind: 'API key', prefix: 'sk-or-v1-', alphabet: HEX, length: 73, role: 'secret', source: 'https://openrouter.ai/docs/api-reference/authentication' },
  { id: 'groq-key', api: 'groq', kind: 'API key', prefix: 'gsk_', alphabet: ALNUM, length: 52, role: 'secret', source: GITLEAKS('groq') },
  { id: 'xai-key', api: 'xai', kind: 'API key', prefix: 'xai-', alphabet: ALNUM, length: 84, role: 'secret', source: GITLEAKS('xai') },
  { id: 'perplexity-key', api: 'perplexity', kind: 'API key', prefix: 'pplx-', alphabet: /[A-Za-z0-9_]/, length: 53, role: 'secret', source: GITLEAKS('perplexity') },
  { id: 'replicate-token', api: 'replicate', kind: 'API token', prefix: 'r8_', alphabet: ALNUM, length: 40, role: 'secret', source: 'https://replicate.com/docs/topics/security/api-tokens' },

  // Stripe: secret, restricted and publishable keys, each in test and live mode. Lengths vary
  // (32 for old keys, ~107 for new ones).
  { id: 'stripe-secret-live', api: 'stripe', kind: 'secret key (live mode)', prefix: 'sk_live_', alphabet: ALNUM, length: [32, 255], role: 'secret', environment: 'live', source: 'https://docs.stripe.com/keys' },
  { id: 'stripe-secret-test', api: 'stripe', kind: 'secret key (test mode)', prefix: 'sk_test_', alphabet: ALNUM, length: [32, 255], role: 'secret', environment: 'test', source: 'https://docs.stripe.com/keys' },
  { id: 'stripe-restricted-live', api: 'stripe', kind: 'restricted key (live mode)', prefix: 'rk_live_', alphabet: ALNUM, length: [32, 255], role: 'secret', environment: 'live', source: 'https://docs.stripe.com/keys/restricted-api-keys' },
  { id: 'stripe-restricted-test', api: 'stripe', kind: 'restricted key (test mode)', prefix: 'rk_test_', alphabet: ALNUM, length: [32, 255], role: 'secret', environment: 'test', source: 'https://docs.stripe.com/keys/restricted-api-keys' },
  {
    id: 'stripe-publishable-live',
    api: 'stripe',
    kind: 'publishable key (live mode)',
    prefix: 'pk_live_',
    alphabet: ALNUM,
    length: [32, 255],
    role: 'publishable',
    environment: 'live',
    use: 'browsers and mobile apps (Stripe.js, Elements); server API calls need the secret key sk_live_… or a restricted key rk_live_…',
    source: 'https://docs.stripe.com/keys',
  },
  {
    id: 'stripe-publishable-test',
    api: 'stripe',
    kind: 'publishable key (test mode)',
    prefix: 'pk_test_',
    alphabet: ALNUM,
    length: [32, 255],
    role: 'publishable',
    environment: 'test',
    use: 'browsers and mobile apps (Stripe.js, Elements); server API calls need the secret key sk_test_… or a restricted key rk_test_…',
    source: 'https://docs.stripe.com/keys',
  },

  // GitHub: prefix + 36 base62 characters (40); fine-grained PATs github_pat_ + 82 (93).
  { id: 'github-pat-classic', api: 'github', kind: 'personal access token (classic)', prefix: 'ghp_', alphabet: ALNUM, length: [40, 255], role: 'secret', source: 'https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/' },
  { id: 'github-pat-fine-grained', api: 'github', kind: 'fine-grained personal access token', prefix: 'github_pat_', alphabet: /[A-Za-z0-9_]/, length: [93, 255], role: 'secret', source: GITLEAKS('github') },
  { id: 'github-oauth-token', api: 'github', kind: 'OAuth access token', prefix: 'gho_', alphabet: ALNUM, length: [40, 255], role: 'secret', source: 'https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/' },
  { id: 'github-user-to-server-token', api: 'github', kind: 'GitHub App user access token', prefix: 'ghu_', alphabet: ALNUM, length: [40, 255], role: 'secret', source: 'https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/' },
  { id: 'github-installation-token', api: 'github', kind: 'GitHub App installation token', prefix: 'ghs_', alphabet: ALNUM, length: [40, 255], role: 'secret', source: 'https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/' },
  {
    id: 'github-refresh-token',
    api: 'github',
    kind: 'GitHub App refresh token',
    prefix: 'ghr_',
    alphabet: ALNUM,
    length: [40, 255],
    role: 'refresh',
    placements: [],
    use: 'POST https://github.com/login/oauth/access_token with grant_type=refresh_token, to obtain a user access token (ghu_…)',
    source: 'https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens',
  },

  // GitLab: glpat- + 20 (legacy) or longer routable tokens.
  { id: 'gitlab-pat', api: 'gitlab', kind: 'personal access token', prefix: 'glpat-', alphabet: /[A-Za-z0-9_.-]/, length: [26, 300], role: 'secret', source: 'https://docs.gitlab.com/security/tokens/#token-prefixes' },

  // Slack: xoxe. starts a rotating access token; xoxe- alone is a refresh token.
  { id: 'slack-bot-token', api: 'slack', kind: 'bot token', prefix: 'xoxb-', alphabet: /[A-Za-z0-9-]/, length: [50, 255], role: 'secret', source: 'https://api.slack.com/authentication/token-types#bot' },
  { id: 'slack-user-token', api: 'slack', kind: 'user token', prefix: 'xoxp-', alphabet: /[A-Za-z0-9-]/, length: [50, 255], role: 'secret', source: 'https://api.slack.com/authentication/token-types#user' },
  { id: 'slack-app-token', api: 'slack', kind: 'app-level token', prefix: 'xapp-', alphabet: /[A-Za-z0-9-]/, length: [50, 255], role: 'secret', source: 'https://api.slack.com/authentication/token-types#app-level' },
  { id: 'slack-rotating-token', api: 'slack', kind: 'rotating access token', prefix: 'xoxe.', alphabet: /[A-Za-z0-9.-]/, length: [50, 255], role: 'secret', source: 'https://api.slack.com/authentication/rotation' },
  {
    id: 'slack-refresh-token',
    api: 'slack',
    kind: 'refresh token',
    prefix: 'xoxe-',
    alphabet: /[A-Za-z0-9-]/,
    length: [50, 255],
    role: 'refresh',
    placements: [],
    use: 'oauth.v2.access with grant_type=refresh_token, to obtain a rotating access token (xoxe.xoxb-… or xoxe.xoxp-…)',
    source: 'https://api.slack.com/authentication/rotation',
  },

  // Google API keys: AIza + 35 = 39. OAuth access tokens start with ya29.
  {
    id: 'google-api-key',
    api: 'google',
    kind: 'API key',
    prefix: 'AIza',
    alphabet: URLSAFE,
    length: 39,
    role: 'secret',
    placements: [{ kind: 'query', name: 'key' }, { kind: 'header', name: 'X-goog-api-key' }],
    source: 'https://cloud.google.com/docs/authentication/api-keys-use',
  },
  { id: 'google-oauth-access-token', api: 'google', kind: 'OAuth access token', prefix: 'ya29.', alphabet: /[A-Za-z0-9_.-]/, length: [30, undefined], role: 'secret', placements: [BEARER, { kind: 'query', name: 'access_token' }], source: 'https://developers.google.com/identity/protocols/oauth2' },

  // AWS access key IDs: AKIA (long-term) / ASIA (temporary) + 16 = 20. They are never sent as a
  // value: the request is signed with the secret key (SigV4).
  { id: 'aws-access-key-id', api: 'aws', kind: 'access key ID (long-term)', prefix: 'AKIA', alphabet: /[A-Z0-9]/, length: 20, role: 'identifier', source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids' },
  { id: 'aws-temporary-access-key-id', api: 'aws', kind: 'temporary access key ID (STS)', prefix: 'ASIA', alphabet: /[A-Z0-9]/, length: 20, role: 'identifier', source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids' },

  // SendGrid: SG.<22>.<43> = 69.
  { id: 'sendgrid-api-key', api: 'sendgrid', kind: 'API key', prefix: 'SG.', alphabet: /[A-Za-z0-9_.-]/, length: 69, structure: /^SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/, shape: 'SG. + 22 characters + . + 43 characters', role: 'secret', source: GITLEAKS('sendgrid') },

  // Twilio SIDs: two letters + 32 hex. AC names the account, SK an API key.
  {
    id: 'twilio-account-sid',
    api: 'twilio',
    kind: 'Account SID',
    prefix: 'AC',
    alphabet: /[0-9a-fA-F]/,
    length: 34,
    role: 'identifier',
    strict: true,
    placements: [{ kind: 'basic', part: 'user' }],
    source: 'https://www.twilio.com/docs/glossary/what-is-a-sid',
  },
  {
    id: 'twilio-api-key-sid',
    api: 'twilio',
    kind: 'API key SID',
    prefix: 'SK',
    alphabet: /[0-9a-fA-F]/,
    length: 34,
    role: 'identifier',
    strict: true,
    placements: [{ kind: 'basic', part: 'user' }],
    use: 'the Basic auth user name, paired with its own key secret; the Account SID (AC…) still goes in the URL',
    source: 'https://www.twilio.com/docs/iam/api-keys',
  },

  // DigitalOcean: prefix + 64 hex = 71.
  { id: 'digitalocean-pat', api: 'digitalocean', kind: 'personal access token', prefix: 'dop_v1_', alphabet: HEX, length: 71, role: 'secret', source: GITLEAKS('digitalocean') },
  { id: 'digitalocean-oauth-token', api: 'digitalocean', kind: 'OAuth access token', prefix: 'doo_v1_', alphabet: HEX, length: 71, role: 'secret', source: GITLEAKS('digitalocean') },
  {
    id: 'digitalocean-refresh-token',
    api: 'digitalocean',
    kind: 'OAuth refresh token',
    prefix: 'dor_v1_',
    alphabet: HEX,
    length: 71,
    role: 'refresh',
    placements: [],
    use: 'POST https://cloud.digitalocean.com/v1/oauth/token with grant_type=refresh_token, to obtain an access token (doo_v1_…)',
    source: GITLEAKS('digitalocean'),
  },

  // Shopify: prefix + 32 hex = 38. shpss_ is the app's shared secret (HMAC), never a credential.
  { id: 'shopify-admin-token', api: 'shopify', kind: 'Admin API access token', prefix: 'shpat_', alphabet: /[a-fA-F0-9]/, length: 38, role: 'secret', source: GITLEAKS('shopify') },
  { id: 'shopify-custom-app-token', api: 'shopify', kind: 'custom app access token', prefix: 'shpca_', alphabet: /[a-fA-F0-9]/, length: 38, role: 'secret', source: GITLEAKS('shopify') },
  { id: 'shopify-private-app-token', api: 'shopify', kind: 'private app access token', prefix: 'shppa_', alphabet: /[a-fA-F0-9]/, length: 38, role: 'secret', source: GITLEAKS('shopify') },
  {
    id: 'shopify-shared-secret',
    api: 'shopify',
    kind: 'app shared secret',
    prefix: 'shpss_',
    alphabet: /[a-fA-F0-9]/,
    length: 38,
    role: 'app-secret',
    placements: [],
    use: 'verifying webhook and OAuth HMAC signatures; API calls need the app\'s access token (shpat_…)',
    source: GITLEAKS('shopify'),
  },

  // Cloudflare: API tokens are 40 characters (Bearer); the Global API Key is 37 hex (X-Auth-Key).
  { id: 'cloudflare-api-token', api: 'cloudflare', kind: 'API token', prefix: '', alphabet: URLSAFE, length: 40, role: 'secret', hostOnly: true, strict: true, placements: [BEARER], source: GITLEAKS('cloudflare') },
  {
    id: 'cloudflare-global-api-key',
    api: 'cloudflare',
    kind: 'Global API Key',
    prefix: '',
    alphabet: HEX,
    length: 37,
    role: 'secret',
    hostOnly: true,
    strict: true,
    placements: [{ kind: 'header', name: 'X-Auth-Key' }],
    source: 'https://developers.cloudflare.com/fundamentals/api/get-started/keys/',
  },

  { id: 'huggingface-token', api: 'huggingface', kind: 'user access token', prefix: 'hf_', alphabet: /[A-Za-z]/, length: [37, undefined], role: 'secret', source: GITLEAKS('huggingface') },
  { id: 'npm-token', api: 'npm', kind: 'access token', prefix: 'npm_', alphabet: ALNUM, length: 40, role: 'secret', source: 'https://github.blog/changelog/2021-09-23-npm-has-a-new-access-token-format/' },
  // PyPI tokens are macaroons whose base64 header names their index: pypi.org or test.pypi.org.
  { id: 'pypi-token', api: 'pypi', kind: 'API token (pypi.org)', prefix: 'pypi-AgEIcHlwaS5vcmc', alphabet: URLSAFE, length: [70, undefined], role: 'secret', environment: 'live', source: GITLEAKS('pypi') },
  { id: 'testpypi-token', api: 'testpypi', kind: 'API token (test.pypi.org)', prefix: 'pypi-AgENdGVzdC5weXBpLm9yZw', alphabet: URLSAFE, length: [77, undefined], role: 'secret', environment: 'test', source: 'https://packaging.python.org/en/latest/guides/using-testpypi/' },
  { id: 'mailgun-private-key', api: 'mailgun', kind: 'private API key', prefix: 'key-', alphabet: HEX, length: 36, role: 'secret', strict: true, source: GITLEAKS('mailgun') },

  // Datadog: API keys are 32 hex (DD-API-KEY), application keys 40 hex (DD-APPLICATION-KEY).
  { id: 'datadog-api-key', api: 'datadog', kind: 'API key', prefix: '', alphabet: HEX, length: 32, role: 'secret', hostOnly: true, strict: true, placements: [{ kind: 'header', name: 'DD-API-KEY' }], source: 'https://docs.datadoghq.com/account_management/api-app-keys/' },
  { id: 'datadog-application-key', api: 'datadog', kind: 'application key', prefix: '', alphabet: HEX, length: 40, role: 'secret', hostOnly: true, strict: true, placements: [{ kind: 'header', name: 'DD-APPLICATION-KEY' }], source: 'https://docs.datadoghq.com/account_management/api-app-keys/' },

  { id: 'linear-api-key', api: 'linear', kind: 'personal API key', prefix: 'lin_api_', alphabet: ALNUM, length: 48, role: 'secret', placements: [{ kind: 'authorization', scheme: '' }], source: GITLEAKS('linear') },
  { id: 'notion-token', api: 'notion', kind: 'integration token', prefix: 'ntn_', alphabet: ALNUM, length: 50, role: 'secret', source: 'https://developers.notion.com/docs/authorization' },
  { id: 'notion-legacy-token', api: 'notion', kind: 'integration token (legacy)', prefix: 'secret_', alphabet: ALNUM, length: 50, role: 'secret', hostOnly: true, source: GITLEAKS('notion') },
  { id: 'paddle-live-key', api: 'paddle', kind: 'API key (live)', prefix: 'pdl_live_apikey_', alphabet: /[A-Za-z0-9_]/, length: [60, 100], role: 'secret', environment: 'live', source: 'https://developer.paddle.com/api-reference/about/api-keys' },
  { id: 'paddle-sandbox-key', api: 'paddle-sandbox', kind: 'API key (sandbox)', prefix: 'pdl_sdbx_apikey_', alphabet: /[A-Za-z0-9_]/, length: [60, 100], role: 'secret', environment: 'test', source: 'https://developer.paddle.com/api-reference/about/api-keys' },
  { id: 'postman-api-key', api: 'postman', kind: 'API key', prefix: 'PMAK-', alphabet: /[a-f0-9-]/, length: 64, structure: /^PMAK-[a-f0-9]{24}-[a-f0-9]{34}$/, shape: 'PMAK- + 24 hex + - + 34 hex', role: 'secret', source: GITLEAKS('postman') },
  { id: 'openweathermap-key', api: 'openweathermap', kind: 'API key', prefix: '', alphabet: HEX, length: 32, role: 'secret', hostOnly: true, strict: true, source: 'https://openweathermap.org/appid' },
  { id: 'atlassian-api-token', api: 'atlassian', kind: 'API token', prefix: 'ATATT3', alphabet: /[A-Za-z0-9_=-]/, length: [190, 300], role: 'secret', placements: [{ kind: 'basic', part: 'password' }], source: GITLEAKS('atlassian') },
];
