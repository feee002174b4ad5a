/**
 * Credentials in the URL (`https://user:pass@host/…`). RFC 3986 §3.2.1 deprecates a password in
 * user info; the Fetch standard rejects such URLs in `fetch()`, browsers strip them from
 * navigations, and many HTTP clients never turn them into an Authorization header. A warning in
 * general; `missing_credentials` when the request failed and no Authorization header was sent.
 */
import { defineRule } from '../../src/plugins/define.ts';
import { isAuthFailure } from '../http/shared.ts';

export default defineRule({
  meta: {
    id: 'userinfo',
    title: 'No credentials in the URL',
    description: 'Warns about user:password in the URL, and explains a failure when the client did not turn it into a header.',
    causes: ['missing_credentials'],
  },
  appliesTo: (ctx) => ctx.helpers.credentials().some((c) => c.location === 'userinfo'),
  check(ctx) {
    let user: string;
    let hasPassword: boolean;
    try {
      const url = new URL(ctx.request.url);
      user = decodeURIComponent(url.username);
      hasPassword = url.password.length > 0;
    } catch {
      return [];
    }
    const authorization = ctx.helpers.requestHeader('authorization');
    const failure = isAuthFailure(ctx);
    const shownUser = user.length > 24 ? ctx.mask(user) : user;
    const fixes = [
      `Pass the credentials separately: \`curl -u '${shownUser || 'USER'}:PASSWORD' https://host/…\` (curl builds the header), or set the Authorization header in code — and remove them from the URL.`,
      'Credentials in URLs end up in shell history, logs, proxies and Referer headers: rotate the password if the URL was shared.',
    ];
    if (!authorization && failure) {
      return [
        {
          status: 'fail',
          cause: 'missing_credentials',
          confidence: 'likely',
          messageId: 'userinfo-not-sent',
          title: 'URL credentials were not sent',
          message: `The URL carries user info (${shownUser ? `user "${shownUser}"` : 'an empty user'}${hasPassword ? ' and a password' : ''}), but the request has no Authorization header: the client did not turn it into Basic authentication, so the server saw no credentials.`,
          evidence: { user: shownUser, password: hasPassword ? 'present' : 'absent', authorizationHeader: 'absent' },
          fixes,
        },
      ];
    }
    return [
      {
        status: 'warn',
        cause: null,
        messageId: 'userinfo',
        title: 'Credentials in the URL',
        message: `The URL carries user info (${shownUser ? `user "${shownUser}"` : 'an empty user'}${hasPassword ? ' and a password' : ''}). Many clients ignore it (fetch() rejects such URLs, browsers strip them)${authorization ? '; here an Authorization header was sent as well, and servers use that one' : ''}.`,
        evidence: { user: shownUser, password: hasPassword ? 'present' : 'absent', authorizationHeader: authorization ? 'present' : 'absent' },
        fixes,
      },
    ];
  },
});
