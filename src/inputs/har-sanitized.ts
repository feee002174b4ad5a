import { isSensitiveHeader } from '../core/redact.ts';
import type { HeaderEntry } from '../core/types.ts';

/**
 * What the tool that wrote a HAR removed or blanked, so that a rule can say "the exporter removed
 * Authorization" instead of blaming the request. What the main exporters do:
 *
 * - Chrome DevTools (creator "WebInspector", also Edge and other Chromium browsers): since
 *   Chrome 130 the default "Export HAR (sanitized)" drops the request headers `Authorization` and
 *   `Cookie`, the response header `Set-Cookie`, and empties both `cookies` lists
 *   (devtools-frontend front_end/models/har/Log.ts, `options.sanitize`). Nothing in the file says
 *   so, which is why a whole-file test is used below.
 * - Google's har-sanitizer and Cloudflare's har-sanitizer replace values with `[<name> redacted]`
 *   (`[Authorization redacted]`, `[token redacted]`), and Cloudflare's replaces a JWT's signature
 *   with `redacted`.
 * - Other sanitizers and logging tools write `[REDACTED]`, `<redacted>`, `REDACTED`, `[sanitized]`,
 *   `[Filtered]`, `***` …
 * - Firefox, Safari, mitmproxy, Charles and Fiddler export what was sent.
 *
 * Only header values that carry credentials are inspected, so an ordinary header that happens to
 * say "hidden" is never taken for a placeholder.
 */

const PLACEHOLDER_WORD = '(?:redacted|sanitized|sanitised|filtered|removed|hidden|masked|omitted|scrubbed|obfuscated)';
const PLACEHOLDER = new RegExp(
  `^(?:\\[[^\\]]*${PLACEHOLDER_WORD}[^\\]]*\\]|<[^>]*${PLACEHOLDER_WORD}[^>]*>|\\{[^}]*${PLACEHOLDER_WORD}[^}]*\\}|\\(?${PLACEHOLDER_WORD}\\)?|-{1,2}${PLACEHOLDER_WORD}-{1,2}|_{1,2}${PLACEHOLDER_WORD}_{1,2}|\\*{3,}|•{3,})$`,
  'i',
);

/** A JWT whose signature a sanitizer replaced (Cloudflare's har-sanitizer writes `.redacted`). */
const JWT_SIGNATURE_REDACTED = /^eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.(?:redacted|\[?redacted\]?|x+|\*+)$/i;

/** True when a whole value is a sanitizer's placeholder rather than anything a client sent. */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim();
  return v !== '' && (PLACEHOLDER.test(v) || JWT_SIGNATURE_REDACTED.test(v));
}

/** The credential part of a header value: after a scheme word, or each cookie's value. */
function credentialParts(name: string, value: string): string[] {
  const lower = name.toLowerCase();
  if (lower === 'cookie' || lower === 'set-cookie') {
    const pairs = lower === 'cookie' ? value.split(/;\s*/) : [value.split(';')[0] ?? ''];
    return pairs.map((p) => (p.includes('=') ? p.slice(p.indexOf('=') + 1) : p));
  }
  const scheme = /^([A-Za-z][A-Za-z0-9_-]*)\s+(.+)$/s.exec(value.trim());
  return scheme ? [value.trim(), scheme[2] as string] : [value.trim()];
}

/** Header names (lower case) whose values are placeholders. */
export function placeholderHeaders(headers: readonly HeaderEntry[]): string[] {
  const names = new Set<string>();
  for (const h of headers) {
    if (!isSensitiveHeader(h.name)) continue;
    if (credentialParts(h.name, h.value).some(isPlaceholderValue)) names.add(h.name.toLowerCase());
  }
  return [...names];
}

export interface HarEntryHeaders {
  requestHeaders: readonly HeaderEntry[];
  responseHeaders: readonly HeaderEntry[];
  requestCookies: readonly { value?: string | undefined }[];
  responseCookies: readonly { value?: string | undefined }[];
}

const CHROME_SANITIZED = ['authorization', 'cookie', 'set-cookie'];

/**
 * True when the file is a Chrome/Chromium export in which nothing sensitive survives anywhere: no
 * `Authorization`, `Cookie` or `Set-Cookie` header in any entry and every `cookies` list empty.
 * That is exactly what the sanitized export produces; a real page load recorded unsanitized almost
 * always carries a cookie somewhere. (It cannot be told apart from a capture that never had any,
 * which is why the rule that reads this says the exporter *may* have removed them.)
 */
export function isChromeSanitizedExport(creatorName: string | undefined, entries: readonly HarEntryHeaders[]): boolean {
  if (!creatorName || !/^WebInspector$/i.test(creatorName.trim())) return false;
  for (const e of entries) {
    if (e.requestCookies.length > 0 || e.responseCookies.length > 0) return false;
    if (e.requestHeaders.some((h) => ['authorization', 'cookie'].includes(h.name.toLowerCase()))) return false;
    if (e.responseHeaders.some((h) => h.name.toLowerCase() === 'set-cookie')) return false;
  }
  return true;
}

/**
 * The header names (lower case, sorted) that the exporting tool removed or blanked for one entry.
 */
export function detectSanitizedHeaders(
  creatorName: string | undefined,
  entry: HarEntryHeaders,
  allEntries: readonly HarEntryHeaders[],
): string[] {
  const names = new Set<string>([...placeholderHeaders(entry.requestHeaders), ...placeholderHeaders(entry.responseHeaders)]);
  if (entry.requestCookies.some((c) => c.value !== undefined && isPlaceholderValue(c.value))) names.add('cookie');
  if (entry.responseCookies.some((c) => c.value !== undefined && isPlaceholderValue(c.value))) names.add('set-cookie');
  if (isChromeSanitizedExport(creatorName, allEntries)) for (const n of CHROME_SANITIZED) names.add(n);
  return [...names].sort();
}
