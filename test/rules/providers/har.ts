import { readFileSync } from 'node:fs';
import type { Exchange, HeaderEntry } from '../../../src/core/types.ts';

/**
 * A minimal HAR 1.2 reader for these tests: entry N's request and response as an Exchange. The
 * product's own HAR input (src/inputs/har.ts) handles every exporter quirk; the corpus files are
 * plain, so these tests do not depend on it.
 */
export function exchangeFromHar(path: string, entryIndex = 0): Exchange {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { log: { entries: any[] } };
  const entry = doc.log.entries[entryIndex];
  const headers = (list: { name: string; value: string }[] | undefined): HeaderEntry[] =>
    (list ?? []).filter((h) => !h.name.startsWith(':')).map((h) => ({ name: h.name, value: h.value }));
  const content = entry.response.content ?? {};
  const body = content.encoding === 'base64' ? Buffer.from(content.text ?? '', 'base64').toString('utf8') : (content.text ?? '');
  return {
    mode: 'offline',
    request: { method: entry.request.method, url: entry.request.url, headers: headers(entry.request.headers), body: entry.request.postData?.text },
    response: { status: entry.response.status, statusText: entry.response.statusText ?? '', headers: headers(entry.response.headers), body, mimeType: content.mimeType },
    redirects: [],
    sentAt: new Date(entry.startedDateTime),
  };
}
