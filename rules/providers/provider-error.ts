import { defineRule } from '../../src/plugins/define.ts';
import { causesOf, diagnose, engineInputFrom } from './engine.ts';
import { PACKS } from './packs.ts';

/**
 * The provider's own error answer, understood: runs every provider pack over the response and
 * reports each documented error it recognises, with the provider's cause, what it names (the
 * missing permission, the tenant, the string it signed) and how to fix it.
 */
export default defineRule({
  meta: {
    id: 'provider-error',
    title: "Provider's own error answer",
    description:
      "Recognises real providers' documented error answers (GitHub, Google, Azure, Stripe, Kubernetes, …) and turns them into a cause, the facts they carry, and the fix.",
    causes: causesOf(PACKS),
  },
  appliesTo: (ctx) => ctx.response !== null,
  check(ctx) {
    const input = engineInputFrom(ctx);
    if (!input) return [];
    const basic = ctx.helpers.basic();
    const secrets = [
      // The credential itself, without scheme words (a doubled "Bearer Bearer" is evidence, not a secret).
      ...ctx.helpers.credentials().map((c) => c.credential.trim().replace(/^(?:(?:bearer|basic|token)\s+)+/i, '')),
      ...(basic ? [basic.user, basic.password] : []),
    ].filter((v): v is string => typeof v === 'string' && v.length > 0);
    return diagnose(PACKS, input, { secrets, mask: (v) => ctx.mask(v) });
  },
});
