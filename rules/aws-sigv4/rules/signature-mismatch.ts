import { defineRule } from '../../../src/plugins/define.ts';
import type { RuleContext } from '../../../src/core/plugin.ts';
import { factsOf, looksLikeAws, type Facts } from '../lib/facts.ts';
import { echoedCanonical } from '../lib/errors.ts';
import {
  clientCanonical,
  diffCanonical,
  findSignerDeviation,
  parseCanonical,
  signCanonical,
  type CanonicalDiffEntry,
  type ClientCanonical,
} from '../lib/canonical.ts';
import { recallCredentials, recallSigning } from '../lib/memory.ts';
import { ACTION_REFRESH, ACTION_RESIGN, ACTION_WHOAMI, keyIdForMessage, maskEcho } from '../lib/common.ts';
import { singleEncodedPath } from '../lib/smithy.ts';

/** What each differing element usually means, and what to change. */
function explain(d: CanonicalDiffEntry, facts: Facts, ctx: RuleContext<unknown>): { why: string; fix: string } {
  const svc = facts.sigv4?.scope?.service ?? 'the service';
  if (d.element === 'header:host') {
    const via = ctx.exchange.proxy ? ` The request went through the proxy ${ctx.exchange.proxy.url}.` : '';
    return {
      why: `The Host the server saw (${d.received ?? 'none'}) is not the Host that was signed (${d.sent ?? 'none'}): a proxy, load balancer or port mapping rewrote it after signing.${via}`,
      fix: `Sign for the host name the server receives (${d.received ?? 'its host'}), or make the proxy forward the original Host header (nginx: proxy_set_header Host $host; an ALB/CloudFront origin: forward Host).`,
    };
  }
  if (d.element.startsWith('header:')) {
    const name = d.element.slice('header:'.length);
    if (d.received === null) return { why: `${name} is signed, but the server did not use it (it was removed on the way, or is not in the server's SignedHeaders).`, fix: `Stop signing ${name}, or make sure it reaches AWS unchanged (a proxy may strip it).` };
    if (d.sent === null) return { why: `The server's canonical request has ${name}, the client's does not.`, fix: `Sign exactly the headers you send, and send every header listed in SignedHeaders.` };
    const ws = d.sent.trim() === d.received.trim() || d.sent.replace(/\s+/g, ' ') === d.received.replace(/\s+/g, ' ');
    return {
      why: ws ? `${name} differs only in whitespace.` : `${name} was "${d.sent}" in the request as sent but "${d.received}" for the server: something changed it after signing.`,
      fix: ws ? `Trim the ${name} value and collapse inner runs of spaces to one before signing (SigV4 canonical headers do).` : `Set ${name} before signing and do not change it afterwards (an HTTP client, middleware or proxy rewrote it).`,
    };
  }
  switch (d.element) {
    case 'path':
      return {
        why: `The canonical URI differs: "${d.sent}" from the client's request, "${d.received}" for the server. ${singleEncodedPath(svc) ? 'S3 encodes each path segment once.' : `${svc} encodes each path segment twice in the canonical request (only S3 encodes once).`}`,
        fix: 'URI-encode the path per RFC 3986 (keep "/" between segments, encode everything but A-Z a-z 0-9 - _ . ~) — and for services other than S3 encode it a second time in the canonical request; normalise "." and ".." segments only for non-S3 services.',
      };
    case 'query':
      return {
        why: `The canonical query string differs: "${d.sent}" vs "${d.received}".`,
        fix: 'Sort the query parameters by name (then value), URI-encode names and values per RFC 3986 (space as %20, not +), and give parameters without a value an empty value ("a=").',
      };
    case 'method':
      return { why: `The method differs: ${d.sent} vs ${d.received}.`, fix: 'Sign the method the request is sent with (a client that turns GET into HEAD, or a redirect that changes the method, breaks the signature).' };
    case 'signedHeaders':
      return { why: `The signed header list differs: ${d.sent} vs ${d.received}.`, fix: 'List exactly the headers that were signed, lower-case, sorted, separated by ";".' };
    case 'payloadHash':
      return {
        why: `The payload hash differs: ${d.sent} vs ${d.received}. The body changed after signing, or x-amz-content-sha256 does not match the body.`,
        fix: 'Hash exactly the bytes that are sent (after any JSON serialisation or compression), and send the same value in x-amz-content-sha256 when you set it.',
      };
    default:
      return { why: `${d.element} differs.`, fix: 'Sign the request exactly as it is sent.' };
  }
}

/** Masks the session token in a canonical request text (it is signed as a header). */
function maskCanonical(ctx: RuleContext<unknown>, facts: Facts, text: string): string {
  return maskEcho(ctx, facts, text).replace(/^(x-amz-security-token:)(.+)$/gm, (_m, head: string, v: string) => head + ctx.mask(v));
}

export default defineRule({
  meta: {
    id: 'signature-mismatch',
    title: 'SigV4 signature matches what AWS computed',
    description:
      'On SignatureDoesNotMatch / InvalidSignatureException, rebuilds the canonical request from the captured request with the official signer (@smithy/signature-v4) and compares it with the one AWS echoed, element by element (method, path, query, each header, signed headers, payload hash). When the secret is known (the request was signed by this process), re-signs and compares signatures: the same signature means the secret or key id is wrong, a different one that the client\'s signer is.',
    causes: ['signature_mismatch'],
    // Loads the official signer on first use and may try a handful of re-signings.
    timeoutMs: 5_000,
  },
  appliesTo: looksLikeAws,
  async check(ctx) {
    const facts = await factsOf(ctx);
    const { sigv4: sig, error, kind } = facts;
    if (kind !== 'signature' || !error) return [];
    const serverMessage = maskEcho(ctx, facts, error.message.split(/\n\s*\n/)[0]!.trim());
    const keyId = keyIdForMessage(ctx, sig?.accessKeyId);
    const base = { cause: 'signature_mismatch' as const, confidence: 'definitive' as const };
    if (!sig || !sig.scope) {
      return [{
        ...base,
        messageId: 'signature-mismatch',
        message: `AWS computed a different signature (${error.code}), and the captured request has no complete SigV4 signature to compare (the capture may have removed the Authorization header).`,
        evidence: { code: error.code, serverMessage },
        fixes: ['Capture the request with its Authorization header (export the HAR with sensitive data), or run authdoctor live with the same credentials.'],
      }];
    }
    const service = sig.scope.service;
    const client: ClientCanonical = await clientCanonical(ctx.request, sig, { service });
    const echo = echoedCanonical(error);
    const serverParts = echo.canonicalRequest !== undefined ? parseCanonical(echo.canonicalRequest) : null;
    const record = recallSigning(sig.signature);
    const known = record ?? recallCredentials(sig.accessKeyId);

    // Re-sign the request as sent, with the official signer, when the secret is known.
    let resigned: 'match' | 'differs' | 'unknown' = 'unknown';
    if (known && sig.amzDate) {
      const { signature } = await signCanonical(client.text, { amzDate: sig.amzDate, scope: sig.scope }, known);
      resigned = signature === sig.signature ? 'match' : 'differs';
    }
    const evidence: Record<string, unknown> = { code: error.code, serverMessage, accessKeyId: keyId, resigned };
    if (!client.payloadKnown) evidence.payloadUnknown = true;
    evidence.canonicalRequest = { sent: maskCanonical(ctx, facts, client.text), ...(echo.canonicalRequest !== undefined ? { received: maskCanonical(ctx, facts, echo.canonicalRequest) } : {}) };

    // What changed between signing (in this process) and sending?
    let changedAfterSigning: CanonicalDiffEntry[] = [];
    if (record) {
      const atSigning = parseCanonical(record.canonicalRequest);
      if (atSigning) changedAfterSigning = diffCanonical(atSigning, client.parts);
      // Here "signed" is the request at signing time, "sent" the request as it left.
      if (changedAfterSigning.length) evidence.changedAfterSigning = changedAfterSigning.map((d) => ({ element: d.element, signed: d.sent, sent: d.received }));
    }

    if (serverParts) {
      let diff = diffCanonical(client.parts, serverParts);
      if (!client.payloadKnown) diff = diff.filter((d) => d.element !== 'payloadHash');
      evidence.canonicalDiff = diff;
      if (diff.length > 0) {
        const parts = diff.map((d) => explain(d, facts, ctx));
        return [{
          ...base,
          messageId: 'canonical-differs',
          message: `AWS computed the signature over a different canonical request: ${diff.map((d) => d.element).join(', ')} differ${diff.length === 1 ? 's' : ''}. ${parts[0]!.why}`,
          evidence,
          fixes: [...new Set(parts.map((p) => p.fix))],
          actions: [ACTION_RESIGN],
        }];
      }
      // Same canonical request: compare the string to sign (date and scope).
      if (echo.stringToSign !== undefined && sig.amzDate) {
        const serverLines = echo.stringToSign.replace(/\r\n/g, '\n').split('\n');
        const ours = [sig.algorithm, sig.amzDate, `${sig.scope.date}/${sig.scope.region}/${sig.scope.service}/${sig.scope.terminator}`];
        const labels = ['algorithm', 'date', 'scope'];
        const stsDiff = ours.map((v, i) => ({ element: labels[i]!, sent: v, received: serverLines[i] ?? '' })).filter((d) => d.sent !== d.received);
        if (stsDiff.length) {
          evidence.stringToSignDiff = stsDiff;
          return [{
            ...base,
            messageId: 'string-to-sign-differs',
            message: `The canonical requests are identical, but the string to sign differs in ${stsDiff.map((d) => d.element).join(', ')}: the client signed "${stsDiff[0]!.sent}", AWS used "${stsDiff[0]!.received}".`,
            evidence,
            fixes: ['Build the string to sign from the same X-Amz-Date and credential scope that the request carries: "AWS4-HMAC-SHA256\\n<X-Amz-Date>\\n<date>/<region>/<service>/aws4_request\\n<hex sha256 of the canonical request>".'],
            actions: [ACTION_RESIGN],
          }];
        }
      }
    }

    if (resigned === 'differs') {
      // The client's signature is not the signature of what it sent: its signer deviates.
      const deviation = await findSignerDeviation(ctx.request, sig, known!, client);
      const first = changedAfterSigning[0];
      if (deviation) evidence.signerDeviation = deviation;
      const where = first
        ? `${first.element} changed after signing (signed "${first.sent}", sent "${first.received}")`
        : deviation
          ? `${deviation.element}: ${deviation.explanation}`
          : 'the signer canonicalised something differently from SigV4 (the server\'s canonical request above is the correct one)';
      return [{
        ...base,
        messageId: 'signer-wrong',
        message: `Re-signing the request as sent with the official signer gives a different signature than the client's, so the client's signer is wrong: ${where}.`,
        evidence,
        fixes: [
          first ? `Do not change ${first.element} after signing: set it before the request is signed.` : deviation ? `Fix the signer's ${deviation.element}: it should be "${deviation.expected}", it used "${deviation.signed}".` : 'Log the canonical request your signer builds and compare it line by line with the one in this finding.',
          'Or let an AWS SDK, curl --aws-sigv4, or authdoctor\'s re-sign action sign the request.',
        ],
        actions: [ACTION_RESIGN],
      }];
    }

    // Identical canonical requests (or none echoed, but our re-sign reproduces the signature): the key.
    const echoed = serverParts !== null;
    if (echoed || resigned === 'match') {
      const confirm = resigned === 'match' ? ' Re-signing it with the official signer reproduces the client\'s signature, so the signer is right.' : '';
      return [{
        ...base,
        messageId: 'secret-wrong',
        message: `${echoed ? 'AWS computed exactly the canonical request the client\'s request yields, so the signatures differ only because of the key:' : 'The client\'s signature is the correct signature of the request as sent, so the signatures differ because of the key:'} the secret is wrong — the secret access key is not the one AWS has for access key ID ${keyId}.${confirm}`,
        evidence,
        fixes: [
          `Use the secret access key that belongs to ${keyId}: copy it again from where it was created (it is shown only once; if it is lost, create a new key with \`aws iam create-access-key\` and delete the old one), without quotes, spaces or a trailing newline.`,
          'Make sure the key ID and the secret come from the same place: an AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment overrides the profile, and a secret pasted through a URL-encoded field turns "+" into a space.',
        ],
        actions: [ACTION_REFRESH, ACTION_WHOAMI],
      }];
    }

    return [{
      ...base,
      messageId: 'signature-mismatch',
      message: `AWS computed a different signature (${error.code}) and did not echo its canonical request; the secret access key, or the way the request was signed, is wrong.`,
      evidence,
      fixes: [
        `Check the secret access key that pairs with ${keyId} (no quotes, spaces or trailing newline; "+" must not have become a space).`,
        'Compare the canonical request your signer builds with the one in this finding (method, URI-encoded path, sorted query, lower-case trimmed headers, signed header list, payload hash).',
        'Run authdoctor live with the same credentials (curl --aws-sigv4 or a profile) so it can re-sign and tell a wrong secret from a wrong signer.',
      ],
      actions: [ACTION_RESIGN, ACTION_WHOAMI],
    }];
  },
});
