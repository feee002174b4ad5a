/**
 * Synthetic keys of real providers' formats for the api-key tests: the right prefix, alphabet and
 * length, and nothing that was ever a real key.
 */
const fill = (prefix: string, total: number, ch = 'A') => prefix + ch.repeat(total - prefix.length);

export const KEYS = {
  anthropic: `sk-ant-api03-${'Ab1_-'.repeat(18)}Abc` + 'AA',
  anthropicAdmin: fill('sk-ant-admin01-', 110),
  openaiProject: fill('sk-proj-', 164, 'x'),
  openaiAdmin: fill('sk-admin-', 133, 'x'),
  openrouter: fill('sk-or-v1-', 73, 'a'),
  google: fill('AIzaSy', 39, 'B'),
  aws: 'AKIAIOSFODNN7EXAMPLE',
  sendgrid: `SG.${'a'.repeat(22)}.${'b'.repeat(43)}`,
  stripePublishableTest: fill('pk_test_', 107, 'c'),
  stripeSecretTest: fill('sk_test_', 107, 'c'),
  githubPat: fill('ghp_', 40, 'd'),
  slackRefresh: fill('xoxe-1-', 140, 'e'),
  slackBot: `xoxb-1234567890-1234567890123-${'f'.repeat(24)}`,
  shopifySecret: fill('shpss_', 38, 'a'),
  shopifyToken: fill('shpat_', 38, 'a'),
  digitalocean: fill('dop_v1_', 71, 'a'),
  cloudflareToken: 'Abc_def-GHIjklMNOpqrSTUvwxYZ0123456789ab',
  cloudflareGlobal: fill('', 37, 'a'),
  datadogApp: fill('', 40, 'b'),
  datadogApi: fill('', 32, 'b'),
  linear: fill('lin_api_', 48, 'g'),
  paddleSandbox: `pdl_sdbx_apikey_${'01knexb425m6zs9mkrq53ar5jt'}_${'H'.repeat(22)}_APo`,
  testPypi: fill('pypi-AgENdGVzdC5weXBpLm9yZw', 180, 'h'),
  twilioKeySid: fill('SK', 34, 'a'),
  twilioAccountSid: fill('AC', 34, 'a'),
  openweathermap: fill('', 32, 'c'),
} as const;

/** True when any finding's message, evidence or fixes contain the raw secret. */
export function leaks(findings: readonly { message: string; evidence: Record<string, unknown>; fixes: string[] }[], secret: string): boolean {
  return findings.some((f) => f.message.includes(secret) || JSON.stringify(f.evidence).includes(secret) || f.fixes.some((x) => x.includes(secret)));
}
