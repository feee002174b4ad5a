import { defineRule } from '../../../src/plugins/define.ts';
import type { FindingInput } from '../../../src/core/types.ts';
import { factsOf, looksLikeAws } from '../lib/facts.ts';
import { keyType } from '../lib/authorization.ts';
import { recallSigning } from '../lib/memory.ts';
import { ACTION_REFRESH, ACTION_WHOAMI, duration, iso, keyIdForMessage, maskEcho } from '../lib/common.ts';

const REFRESH_FIXES = [
  'Get new temporary credentials from where these came from: `aws sso login --profile NAME` for IAM Identity Center, re-run `aws sts assume-role …` / `aws sts get-session-token …`, or restart the tool that exported them — then retry (the refresh action re-reads the credential chain).',
  'In long-running code, use a credential provider that refreshes by itself (the SDK\'s default chain, fromIni/fromSSO/fromTemporaryCredentials) instead of copying AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN once.',
];

export default defineRule({
  meta: {
    id: 'session-token',
    title: 'Temporary credentials carry a valid, current session token',
    description:
      'Temporary access keys (ASIA…) need their X-Amz-Security-Token; long-term keys (AKIA…) must not send one. Reads ExpiredToken / ExpiredTokenException / TokenRefreshRequired and InvalidToken answers.',
    causes: ['expired_token', 'missing_credentials', 'invalid_credentials', 'malformed_credentials'],
  },
  appliesTo: looksLikeAws,
  async check(ctx) {
    const facts = await factsOf(ctx);
    const { sigv4, sigv2, error, kind } = facts;
    const keyId = (sigv4?.accessKeyId ?? sigv2?.accessKeyId)?.trim();
    const type = keyType(keyId);
    const token = sigv4 ? sigv4.sessionToken : sigv2?.sessionToken;
    const out: FindingInput[] = [];
    const shownKey = keyIdForMessage(ctx, keyId);

    if (kind === 'token-expired' && error) {
      const record = recallSigning(sigv4?.signature);
      const expiredSeconds = record?.expiration ? Math.round((ctx.now().getTime() - record.expiration.getTime()) / 1000) : undefined;
      out.push({
        cause: 'expired_token',
        confidence: 'definitive',
        messageId: 'session-token-expired',
        message: `The session token has expired (${error.code}): the temporary credentials${keyId ? ` for ${shownKey}` : ''} are past their lifetime${expiredSeconds !== undefined && expiredSeconds > 0 ? ` (since ${duration(expiredSeconds)} before the request)` : ''}. AWS answers this with ${ctx.response?.status ?? 'an error'}, not 401.`,
        evidence: {
          code: error.code,
          serverMessage: maskEcho(ctx, facts, error.message),
          keyType: type,
          ...(keyId ? { accessKeyId: shownKey } : {}),
          ...(expiredSeconds !== undefined ? { expiredSeconds, expiration: iso(record!.expiration) } : {}),
          ...(record?.source ? { credentialSource: record.source } : {}),
        },
        fixes: REFRESH_FIXES,
        actions: [ACTION_REFRESH],
      });
      return out;
    }

    if (kind === 'token-invalid' && error) {
      out.push({
        cause: 'malformed_credentials',
        confidence: 'definitive',
        messageId: 'session-token-invalid',
        message: `AWS says the session token is malformed or invalid (${error.code}): it is truncated or damaged, or it is not the token issued together with ${shownKey}.`,
        evidence: { code: error.code, serverMessage: maskEcho(ctx, facts, error.message), keyType: type, tokenLength: token?.length ?? 0 },
        fixes: [
          'Send the complete session token issued together with this access key (AWS_SESSION_TOKEN / aws_session_token): tokens are several hundred characters and break when cut, wrapped or URL-decoded ("+" turned into a space).',
          'Take the key ID, secret and token from the same source at the same time.',
        ],
        actions: [ACTION_REFRESH],
      });
      return out;
    }

    if (!keyId) return out;
    const serverKeyError = kind === 'key-unknown';
    if (type === 'temporary' && (token === undefined || token.trim() === '')) {
      out.push({
        status: facts.failed ? 'fail' : 'warn',
        cause: 'missing_credentials',
        confidence: serverKeyError ? 'definitive' : 'likely',
        messageId: token === undefined ? 'session-token-missing' : 'session-token-empty',
        message: `${shownKey} is a temporary access key (ASIA…), but the request ${token === undefined ? 'carries no' : 'carries an empty'} X-Amz-Security-Token${serverKeyError ? `; that is why AWS answered ${error!.code}` : ''}. Temporary keys work only together with their session token.`,
        evidence: { keyType: type, accessKeyId: shownKey, tokenPresent: token !== undefined, ...(error ? { code: error.code } : {}) },
        fixes: [
          'Send the session token with the request: set AWS_SESSION_TOKEN (or aws_session_token in the profile) alongside the key and secret; with curl add -H "x-amz-security-token: $AWS_SESSION_TOKEN" (and keep --aws-sigv4 so it is signed).',
        ],
        actions: [ACTION_REFRESH],
      });
      return out;
    }
    if (type === 'long-term' && token !== undefined && token.trim() !== '') {
      out.push({
        status: facts.failed && serverKeyError ? 'fail' : 'warn',
        cause: 'invalid_credentials',
        confidence: serverKeyError ? 'likely' : 'possible',
        messageId: 'session-token-with-long-term-key',
        message: `${shownKey} is a long-term access key (AKIA…), yet the request carries a session token; the token belongs to other (temporary) credentials${serverKeyError ? `, which is why AWS answered ${error!.code}` : ''}.`,
        evidence: { keyType: type, accessKeyId: shownKey, tokenPresent: true },
        fixes: ['Unset AWS_SESSION_TOKEN (or aws_session_token in the profile) when using a long-term key, or use the temporary key (ASIA…) that the token was issued with.'],
        actions: [ACTION_WHOAMI],
      });
    }
    if (sigv4 && token && sigv4.signedHeaders && sigv4.location === 'header' && !sigv4.signedHeaders.includes('x-amz-security-token') && facts.failed) {
      out.push({
        status: 'warn',
        cause: 'malformed_credentials',
        messageId: 'session-token-not-signed',
        message: 'X-Amz-Security-Token is sent but not listed in SignedHeaders; most services require it to be signed.',
        evidence: { signedHeaders: sigv4.signedHeadersRaw },
        fixes: ['Add the X-Amz-Security-Token header before signing, so that it is part of SignedHeaders.'],
      });
    }
    return out;
  },
});
