/**
 * Notes about a HAR capture itself. Exporters remove sensitive data: current Chrome DevTools
 * exports "sanitized" HARs by default, without Authorization, Cookie and Set-Cookie, and offers
 * "Export HAR (with sensitive data)" separately; other tools strip or blank the same headers. A
 * request that seems to carry no credentials may simply have lost them in the export — say so
 * rather than blame the request.
 */
import { defineRule } from '../../src/plugins/define.ts';
import { credentialsMayBeRedacted, isAuthFailure } from './shared.ts';

export default defineRule({
  meta: {
    id: 'capture',
    title: 'The capture shows what was sent',
    description: 'Says when the HAR exporter removed credential headers, so that their absence is not blamed on the request.',
    causes: [],
  },
  appliesTo: (ctx) => ctx.exchange.capture !== undefined,
  check(ctx) {
    const capture = ctx.exchange.capture!;
    const creator = capture.creator ?? 'the exporting tool';
    const chrome = /\b(webinspector|chrome|edge)\b/i.test(capture.creator ?? '');
    const reexport = chrome
      ? 'Re-export from Chrome DevTools with "Export HAR (with sensitive data)" (Network panel → the download arrow, or right-click → "Save all as HAR with content"), or allow it under Settings → Preferences → Network → "Allow to generate HAR with sensitive data".'
      : `Re-export the capture from ${creator} with sensitive data included, or check the request in the live tool instead.`;
    if (capture.sanitizedHeaders.length > 0) {
      return [
        {
          status: 'warn',
          cause: null,
          messageId: 'sanitized-har',
          title: 'The exporter removed headers',
          message: `This HAR was exported without ${capture.sanitizedHeaders.join(', ')} (${creator} removed or blanked them). Their absence says nothing about what the browser really sent, so findings about missing credentials are not trusted for this capture.`,
          evidence: { creator, removedHeaders: capture.sanitizedHeaders },
          fixes: [reexport, 'Share the full export only privately: it contains live credentials.'],
        },
      ];
    }
    if (credentialsMayBeRedacted(ctx.exchange) && isAuthFailure(ctx)) {
      return [
        {
          status: 'warn',
          cause: null,
          messageId: 'maybe-sanitized-har',
          title: 'Credentials may have been removed by the exporter',
          message: `This capture comes from browser devtools (${creator}) and the failing request has neither an Authorization nor a Cookie header. Browsers export "sanitized" HARs by default, so the credentials may have been removed when the file was saved rather than missing from the request.`,
          evidence: { creator },
          fixes: [reexport],
        },
      ];
    }
    return [];
  },
});
