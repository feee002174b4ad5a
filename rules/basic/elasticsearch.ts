/**
 * Elasticsearch security (X-Pack) answers a failed Basic login with 401 `security_exception`
 * "unable to authenticate user [<name>] for REST request […]" and echoes the user name it received
 * (Elastic's "HTTP/REST clients and security" docs; contrast "missing authentication credentials"
 * when no header arrived). A name of `undefined` or `null` (or an empty one) means the client
 * serialised an unset variable — elasticsearch-js before 7.4 did so with auth options it did not
 * read (elastic/elasticsearch-js#1010) — so nothing usable was sent: `missing_credentials`,
 * definitive, because the server names the value it got. Other user names are the provider pack's.
 */
import { defineRule } from '../../src/plugins/define.ts';
import { placeholderOf } from '../http/shared.ts';

function reasons(json: unknown): string[] {
  if (!json || typeof json !== 'object') return [];
  const error = (json as { error?: unknown }).error;
  if (!error || typeof error !== 'object') return typeof error === 'string' ? [error] : [];
  const e = error as { reason?: unknown; root_cause?: unknown };
  const out: string[] = [];
  if (typeof e.reason === 'string') out.push(e.reason);
  if (Array.isArray(e.root_cause)) for (const r of e.root_cause) if (r && typeof r === 'object' && typeof (r as { reason?: unknown }).reason === 'string') out.push((r as { reason: string }).reason);
  return out;
}

export default defineRule({
  meta: {
    id: 'elasticsearch',
    title: 'Elasticsearch received a real user name',
    description: 'Elasticsearch echoes the user it could not authenticate; "undefined" or "null" there means the client sent an unset variable.',
    causes: ['missing_credentials'],
  },
  appliesTo: (ctx) => ctx.response !== null && ctx.response.status === 401,
  check(ctx) {
    const json = ctx.helpers.responseJson();
    for (const reason of reasons(json)) {
      const m = /unable to authenticate user \[([^\]]*)\]/i.exec(reason);
      if (!m) continue;
      const user = m[1]!;
      const placeholder = placeholderOf(user, { forPassword: true });
      if (!placeholder) return [];
      return [
        {
          status: 'fail',
          cause: 'missing_credentials',
          confidence: 'definitive',
          messageId: 'es-placeholder-user',
          title: `Elasticsearch received the user name "${user}"`,
          message: `Elasticsearch says it was "unable to authenticate user [${user}]": it received ${placeholder.description} as the user name, so the client built the Basic credential from an unset variable.`,
          evidence: { user, reason: reason.slice(0, 200) },
          fixes: [
            placeholder.hint,
            "Give the client its credentials the way it reads them (elasticsearch-js: `new Client({ node, auth: { username, password } })` or `auth: { apiKey }`; the same credentials in the node URL `https://user:pass@host:9200` work with old clients) — or upgrade the client (elasticsearch-js 7.4 fixed unread auth options).",
            'Check with curl: `curl -u "elastic:$ELASTIC_PASSWORD" https://HOST:9200/_security/_authenticate`.',
          ],
        },
      ];
    }
    return [];
  },
});
