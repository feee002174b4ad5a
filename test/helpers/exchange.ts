import { Redactor } from '../../src/core/redact.ts';
import { runRules } from '../../src/core/runner.ts';
import type { PluginDefinition, ProfileHints, RuleHttpClient } from '../../src/core/plugin.ts';
import type { Exchange, Finding, HeaderEntry, ResponseSnapshot } from '../../src/core/types.ts';

type Headers = Record<string, string> | HeaderEntry[];

function toEntries(headers: Headers | undefined): HeaderEntry[] {
  if (!headers) return [];
  return Array.isArray(headers) ? headers : Object.entries(headers).map(([name, value]) => ({ name, value }));
}

export interface ExchangeInit {
  method?: string;
  url?: string;
  requestHeaders?: Headers;
  requestBody?: string;
  status?: number | null;
  statusText?: string;
  responseHeaders?: Headers;
  responseBody?: string;
  sentAt?: Date;
  receivedAt?: Date;
  mode?: 'live' | 'offline';
  redirects?: Exchange['redirects'];
  proxy?: Exchange['proxy'];
}

/** Builds an exchange for rule tests: only what the test states, sensible defaults for the rest. */
export function makeExchange(init: ExchangeInit = {}): Exchange {
  const sentAt = init.sentAt ?? new Date('2026-11-28T10:00:00Z');
  const response: ResponseSnapshot | null =
    init.status === null
      ? null
      : {
          status: init.status ?? 401,
          statusText: init.statusText ?? '',
          headers: toEntries(init.responseHeaders),
          body: init.responseBody ?? '',
        };
  return {
    mode: init.mode ?? 'offline',
    request: {
      method: init.method ?? 'GET',
      url: init.url ?? 'https://api.example.com/v1/me',
      headers: toEntries(init.requestHeaders),
      body: init.requestBody,
    },
    response,
    redirects: init.redirects ?? [],
    sentAt,
    receivedAt: init.receivedAt,
    proxy: init.proxy,
  };
}

/** An HTTP client that refuses: rule tests run without network unless they bring a server. */
export const deniedHttp: RuleHttpClient = {
  request: async ({ url }) => {
    throw new Error(`network denied in this test (tried ${url})`);
  },
};

/** Runs one plugin's rules on an exchange and returns the findings that are not passes or skips. */
export async function findingsOf(
  plugin: PluginDefinition,
  exchange: Exchange,
  opts: { profile?: ProfileHints; now?: Date; http?: RuleHttpClient; all?: boolean } = {},
): Promise<Finding[]> {
  const findings = await runRules([{ plugin, source: 'test', builtin: true }], {
    exchange,
    http: opts.http ?? deniedHttp,
    redactor: new Redactor(),
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return opts.all ? findings : findings.filter((f) => f.status !== 'pass' && f.status !== 'skip');
}
