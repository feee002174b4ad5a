import { createHash } from 'node:crypto';
import { defineRule } from '../../../src/plugins/define.ts';
import type { FindingInput } from '../../../src/core/types.ts';
import type { FormatProblem } from '../lib/authorization.ts';
import { factsOf, looksLikeAws } from '../lib/facts.ts';
import { maskEcho } from '../lib/common.ts';

/** When several problems are present, the one AWS trips over first is the one to fix first. */
const PRIORITY = [
  'authorization-twice',
  'space-after-credential',
  'key-id-whitespace',
  'no-space-after-algorithm',
  'algorithm',
  'whitespace-in-value',
  'missing-equals',
  'key-id-quotes',
  'key-id-empty',
  'credential-elements',
  'key-id-not-a-key',
  'missing-credential',
  'missing-signedheaders',
  'missing-signature',
  'signed-headers-empty',
  'amz-date-format',
  'no-date',
];

/** Problems another rule owns (scope date vs X-Amz-Date is a scope problem, expiry a presign one). */
const ELSEWHERE = new Set(['scope-date-mismatch']);

function rank(p: FormatProblem): number {
  const i = PRIORITY.indexOf(p.id);
  return i < 0 ? PRIORITY.length : i;
}

/**
 * AWS quotes the offending fragment ("'/20150620/…' not a valid key=value pair") or, in newer
 * services, its SHA-256 in base64 ("(hashed with SHA-256 and encoded with Base64): 'xyz='").
 */
function quotedFragment(message: string, authorization: string | undefined): string | undefined {
  const plain = /^'([^']*)' not a valid key=value pair/.exec(message);
  if (plain) return plain[1];
  const hashed = /hashed with SHA-256 and encoded with Base64\):\s*'([^']+)'/.exec(message);
  if (hashed && authorization) {
    const pieces = new Set([...authorization.split(/[,\s]+/), ...authorization.split(','), ...authorization.split(',').map((s) => s.trim())]);
    for (const piece of pieces) {
      if (piece && createHash('sha256').update(piece, 'utf8').digest('base64') === hashed[1]) return piece;
    }
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'authorization-format',
    title: 'SigV4 Authorization header or presigned URL is well-formed',
    description:
      'Parses the SigV4 Authorization header (or the X-Amz-* parameters of a presigned URL) the way AWS does and names the exact spot that is damaged: whitespace in the access key ID, a missing comma or equal sign, a wrong algorithm name, a credential without five parts, an empty SignedHeaders. Reads AWS\'s IncompleteSignature and AuthorizationHeaderMalformed answers.',
    causes: ['malformed_credentials'],
  },
  appliesTo: looksLikeAws,
  async check(ctx) {
    const facts = await factsOf(ctx);
    const { sigv4, error, kind } = facts;
    const serverSaid = kind === 'incomplete' || kind === 'malformed-header' || kind === 'presign-params';
    const problems = (sigv4?.problems ?? []).filter((p) => !ELSEWHERE.has(p.id)).sort((a, b) => rank(a) - rank(b));
    const errors = problems.filter((p) => p.severity === 'error');
    const warnings = problems.filter((p) => p.severity === 'warn');
    const out: FindingInput[] = [];
    const authorization = ctx.helpers.requestHeader('authorization');

    if (serverSaid && error) {
      const fragment = quotedFragment(error.message, authorization);
      const matched = fragment !== undefined ? errors.find((p) => p.fragment !== undefined && (p.fragment === fragment || fragment.includes(p.fragment))) : undefined;
      const primary = matched ?? errors[0];
      const serverMessage = maskEcho(ctx, facts, error.message);
      const elements = /Credential must have exactly 5 slash-delimited elements/.test(error.message);
      let message: string;
      let fixes: string[];
      let messageId: string;
      if (primary) {
        messageId = primary.id;
        message = `AWS rejected the signature as ${error.code}: ${primary.message}`;
        fixes = [...new Set([primary.fix, ...errors.filter((p) => p !== primary).map((p) => p.fix)])];
      } else if (elements) {
        messageId = 'credential-elements';
        message = `AWS rejected the signature as ${error.code}: the Credential value does not have the five parts keyid/date/region/service/aws4_request.`;
        fixes = [
          'Check that the access key ID and the secret access key are not swapped (the secret often contains "/", which breaks the credential into more parts), and that neither has stray characters.',
          'Build Credential as ACCESS_KEY_ID/YYYYMMDD/REGION/SERVICE/aws4_request.',
        ];
      } else if (!authorization && !sigv4) {
        messageId = 'server-says-malformed';
        message = `AWS rejected the signature as ${error.code} (${serverMessage}), and the captured request has no Authorization header to inspect (the capture may have removed it).`;
        fixes = ['Capture the request with its Authorization header (export the HAR "with sensitive data"), or run authdoctor live with the same credentials to see the exact spot.'];
      } else {
        messageId = 'server-says-malformed';
        message = `AWS rejected the signature as ${error.code}: ${serverMessage}`;
        fixes = [`Rebuild the header exactly as "AWS4-HMAC-SHA256 Credential=KEYID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=…, Signature=…", or let an AWS SDK or curl --aws-sigv4 sign the request.`];
      }
      out.push({
        cause: 'malformed_credentials',
        confidence: 'definitive',
        messageId,
        message,
        evidence: {
          code: error.code,
          serverMessage,
          ...(fragment !== undefined ? { fragment: maskEcho(ctx, facts, fragment) } : {}),
          ...(primary?.at !== undefined ? { at: primary.at } : {}),
          problems: errors.map((p) => p.id),
        },
        fixes,
      });
      return out;
    }

    if (errors.length > 0 && sigv4) {
      const primary = errors[0]!;
      out.push({
        status: facts.failed ? 'fail' : 'warn',
        cause: 'malformed_credentials',
        confidence: 'likely',
        messageId: primary.id,
        message: facts.failed
          ? `The ${sigv4.location === 'header' ? 'Authorization header' : 'presigned URL'} is malformed: ${primary.message}`
          : `The ${sigv4.location === 'header' ? 'Authorization header' : 'presigned URL'} looks malformed, although the server accepted it: ${primary.message}`,
        evidence: { location: sigv4.location, ...(primary.at !== undefined ? { at: primary.at } : {}), ...(primary.fragment !== undefined ? { fragment: maskEcho(ctx, facts, primary.fragment) } : {}), problems: errors.map((p) => p.id) },
        fixes: [...new Set(errors.map((p) => p.fix))],
      });
    }
    for (const w of warnings) {
      out.push({ status: 'warn', cause: 'malformed_credentials', messageId: w.id, message: w.message, evidence: { ...(w.at !== undefined ? { at: w.at } : {}) }, fixes: [w.fix] });
    }
    return out;
  },
});
