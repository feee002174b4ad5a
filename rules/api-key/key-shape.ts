import { defineRule } from '../../src/plugins/define.ts';
import { authFailed, classify, collectSent, describePlacement, hostOf, lengthRange } from './keys.ts';

/**
 * The value starts like a known kind of key, in that key's alphabet, but is too short (cut off),
 * too long (something pasted with it) or lacks its documented structure.
 */
export default defineRule({
  meta: {
    id: 'key-shape',
    title: 'API key has the shape of its kind',
    description: "Checks a recognised key's length and structure against the provider's format: a truncated key, extra characters, a SendGrid key without its two parts.",
    causes: ['malformed_credentials'],
  },
  check(ctx) {
    const host = hostOf(ctx.request.url);
    const failed = authFailed(ctx.response);
    const out = [];
    for (const s of collectSent(ctx)) {
      const c = classify(s.value, host);
      if (!c?.problem) continue;
      const [min, max] = lengthRange(c.format);
      const expectedLength = max === undefined ? `at least ${min}` : min === max ? `${min}` : `${min}–${max}`;
      const label = `${c.api.provider} ${c.format.kind}`;
      const key = ctx.mask(s.value);
      const evidence = { provider: c.api.provider, keyKind: c.format.kind, keyFormat: c.format.id, length: c.length, expectedLength, sentAs: describePlacement(s.placement), key, source: c.format.source };
      const fix = `Copy the key again from the provider's console in one piece (no line wrap, nothing before or after it) and check the variable that holds it is not limited in length.`;
      if (c.problem === 'truncated') {
        out.push({
          status: failed ? ('fail' as const) : ('warn' as const),
          cause: 'malformed_credentials' as const,
          confidence: 'likely' as const,
          messageId: 'key-truncated',
          message: `The value in ${describePlacement(s.placement)} starts like a ${label} (${c.format.prefix}…) but is ${c.length} characters long; these keys are ${expectedLength} characters. It was cut off (${key}).`,
          evidence,
          fixes: [fix],
        });
      } else if (c.problem === 'too-long') {
        out.push({
          status: failed ? ('fail' as const) : ('warn' as const),
          cause: 'malformed_credentials' as const,
          confidence: 'likely' as const,
          messageId: 'key-too-long',
          message: `The value in ${describePlacement(s.placement)} starts like a ${label} (${c.format.prefix}…) but is ${c.length} characters long, more than the ${expectedLength} such keys have: something was pasted with it (two keys, or a trailing character) (${key}).`,
          evidence,
          fixes: [fix],
        });
      } else {
        out.push({
          status: failed ? ('fail' as const) : ('warn' as const),
          cause: 'malformed_credentials' as const,
          confidence: 'likely' as const,
          messageId: 'key-structure',
          message: `The value in ${describePlacement(s.placement)} starts like a ${label} (${c.format.prefix}…) but lacks the structure such keys have (${c.format.shape ?? 'see the provider documentation'}); part of it is missing or damaged (${key}).`,
          evidence,
          fixes: [fix],
        });
      }
    }
    return out;
  },
});
