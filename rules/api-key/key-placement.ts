import type { RuleContext } from '../../src/core/plugin.ts';
import type { FindingInput } from '../../src/core/types.ts';
import { defineRule } from '../../src/plugins/define.ts';
import type { Placement } from './key-formats.ts';
import { apiForHost, authFailed, classify, collectSent, curlExample, describePlacement, hostMatches, hostOf, samePlacement, type SentCredential } from './keys.ts';

/**
 * Where the key travelled against where it is read: the profile's apiKey setting when there is
 * one, else the provider's documented placement (key-formats.ts), found from the key's own
 * format or from the host.
 */
export default defineRule({
  meta: {
    id: 'key-placement',
    title: 'API key sent where the API reads it',
    description:
      "Compares where the key was sent (which header, which query parameter, Authorization: Bearer) with where the provider or the profile expects it: an Anthropic key in Authorization instead of x-api-key, an OpenAI key in x-api-key, AWS access keys sent as a token instead of a SigV4 signature.",
    causes: ['wrong_scheme', 'malformed_credentials'],
  },
  check(ctx) {
    const sent = collectSent(ctx);
    const failed = authFailed(ctx.response);
    const profileFindings = checkProfile(ctx, sent, failed);
    if (profileFindings) return profileFindings;
    const byFormat = checkKnownKeys(ctx, sent, failed);
    if (byFormat.length > 0) return byFormat;
    return checkHost(ctx, sent, failed);
  },
});

function severity(failed: boolean): Pick<FindingInput, 'status'> {
  return { status: failed ? 'fail' : 'warn' };
}

function orList(placements: readonly Placement[]): string {
  const words = placements.map(describePlacement);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** null: the profile says nothing about placement (fall through to the provider data). */
function checkProfile(ctx: RuleContext, sent: SentCredential[], failed: boolean): FindingInput[] | null {
  const want = ctx.profile.apiKey;
  if (!want || (!want.header && !want.query)) return null;
  const profileName = ctx.profile.name ? `profile "${ctx.profile.name}"` : 'the profile';
  if (want.header) {
    const values = ctx.helpers.requestHeaders(want.header);
    if (values.length === 0) {
      const elsewhere = sent.filter((s) => s.credentialPlace && !(want.query && s.placement.kind === 'query' && s.name === want.query));
      if (elsewhere.length === 0) return [];
      const first = elsewhere[0]!;
      return [
        {
          ...severity(failed),
          cause: 'wrong_scheme',
          confidence: 'likely',
          messageId: 'profile-header-missing',
          message: `${profileName} says the key goes in the ${want.header} header${want.prefix ? ` as "${want.prefix.trim()} <key>"` : ''}, but the request has no ${want.header} header; a credential (${ctx.mask(first.value)}) travelled in ${describePlacement(first.placement)} instead.`,
          evidence: { expected: `${want.header}: ${want.prefix ?? ''}<key>`, sentAs: describePlacement(first.placement), key: ctx.mask(first.value) },
          fixes: [`Send the key as -H "${want.header}: ${want.prefix ?? ''}$API_KEY" and drop it from ${describePlacement(first.placement)}.`],
        },
      ];
    }
    if (want.prefix !== undefined) {
      const value = values[0]!.trim();
      const prefix = want.prefix.trim();
      const word = /^([A-Za-z][\w-]*)\s+\S/.exec(value)?.[1];
      if (prefix === '' && word && /^(bearer|token|basic|apikey|api-key|key)$/i.test(word)) {
        return [
          {
            ...severity(failed),
            cause: 'wrong_scheme',
            confidence: 'likely',
            messageId: 'profile-unexpected-scheme',
            message: `${profileName} says the ${want.header} header carries the bare key, but it starts with "${word} ".`,
            evidence: { expected: `${want.header}: <key>`, sentScheme: word },
            fixes: [`Send -H "${want.header}: $API_KEY" without "${word} ".`],
          },
        ];
      }
      if (prefix !== '' && !value.toLowerCase().startsWith(`${prefix.toLowerCase()} `) && value.toLowerCase() !== prefix.toLowerCase()) {
        const other = word && word.toLowerCase() !== prefix.toLowerCase();
        return [
          {
            ...severity(failed),
            cause: other ? 'wrong_scheme' : 'malformed_credentials',
            confidence: 'likely',
            messageId: other ? 'profile-wrong-scheme' : 'profile-missing-prefix',
            message: other
              ? `${profileName} says the ${want.header} header is "${prefix} <key>", but it was sent as "${word} <key>".`
              : `${profileName} says the ${want.header} header is "${prefix} <key>", but the value has no "${prefix} " in front of the key.`,
            evidence: { expected: `${want.header}: ${prefix} <key>`, ...(other ? { sentScheme: word } : {}) },
            fixes: [`Send -H "${want.header}: ${prefix} $API_KEY".`],
          },
        ];
      }
    }
    return [];
  }
  if (want.query) {
    if (queryHas(ctx.request.url, want.query)) return [];
    const elsewhere = sent.filter((s) => s.credentialPlace);
    if (elsewhere.length === 0) return [];
    const first = elsewhere[0]!;
    return [
      {
        ...severity(failed),
        cause: 'wrong_scheme',
        confidence: 'likely',
        messageId: 'profile-query-missing',
        message: `${profileName} says the key goes in the query parameter ${want.query}=, but the URL has none; a credential (${ctx.mask(first.value)}) travelled in ${describePlacement(first.placement)} instead.`,
        evidence: { expected: `?${want.query}=<key>`, sentAs: describePlacement(first.placement), key: ctx.mask(first.value) },
        fixes: [`Add ?${want.query}=<key> to the URL (or configure the profile with the place this API really reads).`],
      },
    ];
  }
  return null;
}

function queryHas(url: string, name: string): boolean {
  try {
    return new URL(url).searchParams.has(name);
  } catch {
    return false;
  }
}

/** A recognised key, at its own provider's host (or anywhere, for AWS keys), in a place that provider does not read. */
function checkKnownKeys(ctx: RuleContext, sent: SentCredential[], failed: boolean): FindingInput[] {
  const host = hostOf(ctx.request.url);
  const findings: FindingInput[] = [];
  for (const s of sent) {
    const c = classify(s.value, host);
    if (!c || c.problem) continue;
    const expected = c.format.placements ?? c.api.placements;
    // Refresh tokens and app secrets belong nowhere: key-kind says so.
    if (expected.length === 0) continue;
    const sigv4 = expected.every((p) => p.kind === 'sigv4');
    // Other hosts may be gateways that read keys their own way; AWS keys are never sent as values.
    if (!sigv4 && !hostMatches(host, c.api.hosts)) continue;
    if (expected.some((p) => samePlacement(p, s.placement))) continue;
    // The same key also sent in the right place: the extra copy is not why it failed.
    const alsoRight = sent.some((o) => o !== s && o.value === s.value && expected.some((p) => samePlacement(p, o.placement)));
    const label = `${c.api.provider} ${c.format.kind}`;
    const evidence = {
      provider: c.api.provider,
      keyKind: c.format.kind,
      keyFormat: c.format.id,
      key: ctx.mask(s.value),
      length: c.length,
      sentAs: describePlacement(s.placement),
      expected: expected.map(describePlacement),
      source: c.format.source,
    };
    if (sigv4) {
      findings.push({
        ...severity(failed),
        cause: 'wrong_scheme',
        confidence: 'likely',
        messageId: 'aws-key-as-token',
        message: `An AWS ${c.format.kind} (${c.format.prefix}…, ${evidence.key}) was sent as ${describePlacement(s.placement)}. AWS access keys are never sent as a value: each request is signed with the secret access key (Signature Version 4), and the key ID only appears inside the signature's Credential= scope.`,
        evidence,
        fixes: [
          `Sign the request instead: curl ${curlExample({ kind: 'sigv4' })}.`,
          'If this is an API Gateway API key (the x-api-key header), use the key that API Gateway generated for the usage plan, not an IAM access key.',
        ],
      });
      continue;
    }
    findings.push({
      status: failed && !alsoRight ? 'fail' : 'warn',
      cause: 'wrong_scheme',
      confidence: 'likely',
      messageId: 'key-wrong-place',
      message: `The ${label} (${evidence.key}, ${c.length} chars) was sent as ${describePlacement(s.placement)}, but ${c.api.provider} reads this key from ${orList(expected)}.${alsoRight ? ' It was also sent in the right place, so this copy is only noise.' : ''}`,
      evidence,
      fixes: [`Send it as ${describePlacement(expected[0]!)}: curl ${curlExample(expected[0]!, c.api.envVar)} …${s.placement.kind === 'query' ? ' — and take it out of the URL.' : ''}`],
    });
  }
  return findings;
}

/** An unrecognised credential at a known API, in none of the places that API reads. */
function checkHost(ctx: RuleContext, sent: SentCredential[], failed: boolean): FindingInput[] {
  const host = hostOf(ctx.request.url);
  const api = apiForHost(host);
  if (!api || api.placements.every((p) => p.kind === 'sigv4')) return [];
  const credentials = sent.filter((s) => s.credentialPlace);
  if (credentials.length === 0) return [];
  if (credentials.some((s) => api.placements.some((p) => samePlacement(p, s.placement)))) return [];
  // A JWT or other bearer token where the API reads a key from its own header is still the wrong place.
  const first = credentials[0]!;
  return [
    {
      ...severity(failed),
      cause: 'wrong_scheme',
      confidence: failed ? 'likely' : 'possible',
      messageId: 'host-wrong-place',
      message: `${api.provider} (${host}) reads credentials from ${orList(api.placements)}; this request carried its credential (${ctx.mask(first.value)}) in ${describePlacement(first.placement)}, which ${api.provider} does not read.`,
      evidence: { provider: api.provider, sentAs: describePlacement(first.placement), expected: api.placements.map(describePlacement), key: ctx.mask(first.value), source: api.source },
      fixes: [`Send it as ${describePlacement(api.placements[0]!)}: curl ${curlExample(api.placements[0]!, api.envVar)} … (see ${api.source}).`],
    },
  ];
}
