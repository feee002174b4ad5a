import type { AttemptView, HeaderView } from '../core/session.ts';
import { isSensitiveHeader } from '../core/redact.ts';
import { formatDuration, oneLine, truncate, visibleSpans, type Line, type Span } from './text.ts';

/**
 * The request as sent (masked) and the response, as lines with priorities: a small terminal keeps
 * the status, the challenge and the credential; a tall one shows every header and more body.
 */

/** Response headers where providers explain an auth failure (AWS, Azure, GitHub, Jira, gRPC, proxies). */
const TELLING_HEADER = /^(www-authenticate|proxy-authenticate|x-amzn-errortype|x-amz-id-2|x-ms-error-code|x-ms-diagnostics|x-github-sso|x-accepted-oauth-scopes|x-oauth-scopes|x-accepted-github-permissions|x-seraph-loginreason|x-authentication-denied-reason|grpc-status|grpc-message|x-error.*|.*-error(-code|-message)?|x-ausername|x-request-id|x-amzn-requestid|x-ms-request-id)$/i;

interface Ranked {
  line: Line;
  /** Lower is more important. */
  rank: number;
}

export function exchangeLines(attempt: AttemptView | null, width: number, budget: number, phaseText: string): Line[] {
  if (budget <= 0) return [];
  if (!attempt || (!attempt.request && !attempt.response)) return [[{ text: phaseText, dim: true }]];
  const ranked: Ranked[] = [];
  const add = (rank: number, line: Line) => ranked.push({ rank, line });
  const req = attempt.request;
  if (req) {
    add(0, [{ text: '→ ', tone: 'accent' }, { text: `${req.method} `, bold: true }, ...visibleSpans(pathOf(req.url))]);
    for (const h of req.headers) {
      const sensitive = isSensitiveHeader(h.name);
      add(sensitive ? 2 : 20, headerLine(h, width));
    }
    if (req.body) add(21, [{ text: '  body ', dim: true }, ...visibleSpans(truncate(oneLine(req.body), width - 8))]);
  }
  const res = attempt.response;
  if (res) {
    const tone = res.status >= 400 ? 'fail' : res.status >= 300 ? 'warn' : 'pass';
    add(1, [
      { text: '← ', tone: 'accent' },
      { text: `${res.status} ${res.statusText}`.trim(), tone, bold: true },
      { text: attempt.durationMs !== undefined ? `  ${formatDuration(attempt.durationMs)}` : '', dim: true },
      { text: attempt.direct ? '  (sent directly, without the proxy)' : '', dim: true },
    ]);
    for (const h of res.headers) {
      const lower = h.name.toLowerCase();
      if (lower === 'www-authenticate' || lower === 'proxy-authenticate') add(1, headerLine(h, width));
      else if (TELLING_HEADER.test(lower)) add(3, headerLine(h, width));
      else if (lower === 'date') add(5, headerLine(h, width));
      else add(22, headerLine(h, width));
    }
    if (res.body.trim()) add(4, [{ text: '  body ', dim: true }, ...visibleSpans(truncate(oneLine(res.body.trim()), Math.max(10, width - 8))), ...(res.truncated ? [{ text: ' (cut)', dim: true }] : [])]);
  } else if (attempt.transportError) {
    add(1, [{ text: '← ', tone: 'accent' }, { text: 'no response ', tone: 'fail', bold: true }, ...visibleSpans(`${attempt.transportError.code}: ${attempt.transportError.message}`)]);
  } else if (attempt.request) {
    add(1, [{ text: '← waiting for the response…', dim: true }]);
  }
  for (const note of attempt.notes) add(2, [{ text: '⚠ ', tone: 'warn' }, ...visibleSpans(note)]);
  if (ranked.length <= budget) return ranked.map((r) => r.line);
  const keep = new Set([...ranked].map((r, i) => ({ ...r, i })).sort((a, b) => a.rank - b.rank || a.i - b.i).slice(0, budget).map((r) => r.i));
  return ranked.filter((_, i) => keep.has(i)).map((r) => r.line);
}

function headerLine(h: HeaderView, width: number): Line {
  const name: Span = { text: `  ${h.name}: `, dim: true };
  return [name, ...visibleSpans(truncate(h.value, Math.max(10, width - h.name.length - 4)))];
}

function pathOf(url: string): string {
  // The URL is already masked: show it as written, without scheme and userinfo. Re-serialising it
  // through URL would percent-encode the mask's "…(48 chars, …)".
  return url.replace(/^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?/i, '');
}
