import { readFileSync } from 'node:fs';
import type { Exchange, HeaderEntry } from '../../../src/core/types.ts';

interface HarHeader { name: string; value: string }
interface HarEntry {
  startedDateTime: string;
  time?: number;
  request: { method: string; url: string; headers: HarHeader[]; postData?: { text?: string } };
  response: { status: number; statusText?: string; headers: HarHeader[]; content?: { text?: string; mimeType?: string; encoding?: string } };
}

/**
 * A minimal HAR 1.2 → Exchange conversion for rule tests on the corpus (the product's HAR input
 * lives in src/inputs and does much more: entry selection, HTTP/2 pseudo-headers, sanitised
 * exports). Takes the first entry.
 */
export function exchangeFromHar(file: string, entryIndex = 0): Exchange {
  const har = JSON.parse(readFileSync(file, 'utf8')) as { log: { creator?: { name?: string }; entries: HarEntry[] } };
  const e = har.log.entries[entryIndex]!;
  const headers = (hs: HarHeader[]): HeaderEntry[] => hs.filter((h) => !h.name.startsWith(':')).map((h) => ({ name: h.name, value: h.value }));
  const content = e.response.content ?? {};
  const body = content.encoding === 'base64' && content.text ? Buffer.from(content.text, 'base64').toString('utf8') : (content.text ?? '');
  return {
    mode: 'offline',
    request: { method: e.request.method, url: e.request.url, headers: headers(e.request.headers), body: e.request.postData?.text },
    response: { status: e.response.status, statusText: e.response.statusText ?? '', headers: headers(e.response.headers), body, mimeType: content.mimeType },
    redirects: [],
    sentAt: new Date(e.startedDateTime),
    durationMs: e.time,
    capture: { file, entryIndex, entryCount: har.log.entries.length, creator: har.log.creator?.name, startedDateTime: e.startedDateTime, sanitizedHeaders: [] },
  };
}
