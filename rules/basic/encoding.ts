/**
 * The base64 layer of `Authorization: Basic …` (RFC 7617 §2: base64 of "user-id:password", the
 * standard alphabet of RFC 4648 §4 with padding):
 * - `user:password` sent without encoding;
 * - whitespace or line breaks inside (GNU `base64` wraps its output at 76 columns);
 * - the URL-safe alphabet (`-`/`_`, RFC 4648 §5), missing or stray `=` padding, a length no base64
 *   can have (truncated);
 * - the bytes: UTF-16 (PowerShell's `[Text.Encoding]::Unicode.GetBytes`, which Microsoft's own
 *   Azure DevOps docs once showed), or not UTF-8 although the challenge says `charset="UTF-8"`
 *   (RFC 7617 §2.1: then the client must encode as UTF-8; a Latin-1-encoded "é" is one byte,
 *   0xE9, and no longer matches), or non-ASCII without a declared charset (servers disagree).
 * Invisible and typographic characters in the header are the http plugin's header-hygiene rule's.
 */
import { defineRule } from '../../src/plugins/define.ts';
import type { FindingInput } from '../../src/core/plugin.ts';
import { isAuthFailure, placeholderOf } from '../http/shared.ts';
import { basicCarrier, challengeCharset, decodeLoose } from './decode.ts';

const CURL_FIX = "Let the client build the header: `curl -u 'USER:PASSWORD' URL`, or encode without a trailing newline or line wrapping: `printf '%s' 'USER:PASSWORD' | base64 -w0` (macOS: `| base64`).";

export default defineRule({
  meta: {
    id: 'encoding',
    title: 'Basic credential is valid base64',
    description: 'Checks the base64 of a Basic header: encoding, whitespace, alphabet, padding, and the character set of the decoded bytes.',
    causes: ['malformed_credentials'],
  },
  appliesTo: (ctx) => basicCarrier(ctx) !== undefined,
  check(ctx) {
    const carrier = basicCarrier(ctx)!;
    const raw = carrier.credential;
    if (placeholderOf(raw)) return []; // `Basic ` or `Basic undefined`: missing-credentials says it
    const failure = isAuthFailure(ctx);
    const status = failure ? ('fail' as const) : ('warn' as const);
    const masked = ctx.mask(raw.trim());
    const out: FindingInput[] = [];
    const b64 = raw.trim();

    if (b64.includes(':') && !/^[A-Za-z0-9+/=_-]+$/.test(b64.replace(/\s/g, ''))) {
      return [
        {
          status,
          cause: 'malformed_credentials',
          confidence: 'likely',
          messageId: 'not-encoded',
          title: 'Basic credential not base64-encoded',
          message: 'The value after "Basic" contains a ":" and is not base64: "user:password" was sent as plain text instead of encoded.',
          evidence: { credential: masked },
          fixes: [CURL_FIX],
        },
      ];
    }
    // A line break anywhere (also at the end: a value read from a file) or a space inside.
    if (/\s/.test(b64) || /[\r\n]/.test(raw)) {
      const lineBreak = /[\r\n]/.test(raw);
      out.push({
        status,
        cause: 'malformed_credentials',
        confidence: 'likely',
        messageId: lineBreak ? 'wrapped-base64' : 'space-in-base64',
        title: lineBreak ? 'Basic credential wrapped over several lines' : 'Space inside the Basic credential',
        message: lineBreak
          ? `The base64 after "Basic" contains a line break at position ${[...raw].findIndex((ch) => ch === '\n' || ch === '\r') + 1}${/[\r\n]\s*$/.test(raw) && !/[\r\n]/.test(b64) ? ' (at its end: the value was read from a file or a command with its newline)' : ': `base64` wraps its output every 76 characters'}, and a header cannot contain line breaks.`
          : `The base64 after "Basic" contains whitespace at position ${[...b64].findIndex((ch) => /\s/.test(ch)) + 1}: it was split when copied or built from several pieces.`,
        evidence: { credential: masked },
        fixes: [CURL_FIX],
      });
    }
    const compact = b64.replace(/\s/g, '');
    if (!/^[A-Za-z0-9+/=_-]+$/.test(compact)) {
      // Invisible or typographic characters: header-hygiene explains them; nothing base64 to add.
      return out;
    }
    if (/[-_]/.test(compact)) {
      out.push({
        status,
        cause: 'malformed_credentials',
        confidence: 'likely',
        messageId: 'url-safe-alphabet',
        title: 'URL-safe base64 in a Basic header',
        message: 'The Basic credential uses the URL-safe base64 alphabet ("-" and "_"); RFC 7617 requires standard base64 ("+" and "/"), and servers decode it into different bytes.',
        evidence: { credential: masked },
        fixes: ["Use standard base64: Node `Buffer.from('user:pass').toString('base64')` (not 'base64url'), Python `base64.b64encode` (not urlsafe_b64encode).", CURL_FIX],
      });
    }
    const body = compact.replace(/=+$/, '');
    const pad = compact.length - body.length;
    if (body.includes('=')) {
      out.push({
        status,
        cause: 'malformed_credentials',
        confidence: 'likely',
        messageId: 'stray-padding',
        title: 'Padding inside the Basic credential',
        message: `The Basic credential has "=" at position ${compact.indexOf('=') + 1}, before its end: two base64 strings were joined (e.g. the user and the password encoded separately), so the decoded value is garbled.`,
        evidence: { credential: masked },
        fixes: ['Encode "user:password" as one string, once.', CURL_FIX],
      });
    } else if (body.length % 4 === 1) {
      out.push({
        status,
        cause: 'malformed_credentials',
        confidence: 'likely',
        messageId: 'truncated-base64',
        title: 'Basic credential cut short',
        message: `The Basic credential has ${body.length} base64 characters, a length no base64 encoding produces: it was truncated or a character was lost.`,
        evidence: { credential: masked, length: body.length },
        fixes: ['Copy or build the value again in full.', CURL_FIX],
      });
    } else if ((body.length + pad) % 4 !== 0) {
      out.push({
        status,
        cause: 'malformed_credentials',
        confidence: pad === 0 ? 'possible' : 'likely',
        messageId: pad === 0 ? 'missing-padding' : 'wrong-padding',
        title: pad === 0 ? 'Basic credential without padding' : 'Wrong padding in the Basic credential',
        message:
          pad === 0
            ? `The Basic credential is not padded with "=" to a multiple of 4 characters (it has ${body.length}). RFC 7617 uses padded base64 (RFC 4648 §4); strict servers reject it.`
            : `The Basic credential has ${pad} "=" where ${(4 - (body.length % 4)) % 4} belong.`,
        evidence: { credential: masked, length: compact.length },
        fixes: ['Use a standard base64 encoder with padding (base64url encoders drop it).', CURL_FIX],
      });
    }

    const decoded = decodeLoose(carrier);
    if (!decoded) return out;
    const charset = challengeCharset(ctx);
    if (decoded.utf16) {
      out.push({
        status,
        cause: 'malformed_credentials',
        confidence: 'likely',
        messageId: 'utf16',
        title: 'Basic credential encoded as UTF-16',
        message: 'The decoded Basic credential has a NUL byte after every character: it was encoded as UTF-16 (PowerShell\'s [Text.Encoding]::Unicode), so the server reads a different user name and password.',
        evidence: { bytes: decoded.bytes.length },
        fixes: ["Encode as UTF-8: `[Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(\"${user}:${pat}\"))` in PowerShell, or let `Invoke-RestMethod -Authentication Basic -Credential` build it."],
      });
    } else if (decoded.utf8 === null) {
      const high = [...decoded.bytes].findIndex((b) => b > 0x7f);
      out.push({
        status: charset && /utf-?8/i.test(charset) ? status : 'warn',
        cause: 'malformed_credentials',
        confidence: charset ? 'likely' : 'possible',
        messageId: 'not-utf8',
        title: 'Basic credential is not UTF-8',
        message: charset
          ? `The server asks for charset="${charset}" in its Basic challenge, but the decoded credential is not valid UTF-8 (byte 0x${decoded.bytes[high]?.toString(16).toUpperCase()} at position ${high + 1}): a non-ASCII character was encoded as ISO-8859-1/Windows-1252, so it does not match.`
          : `The decoded credential is not valid UTF-8 (byte 0x${decoded.bytes[high]?.toString(16).toUpperCase()} at position ${high + 1}): a non-ASCII character was encoded as ISO-8859-1/Windows-1252. Servers differ in which encoding they expect.`,
        evidence: { ...(charset ? { charset } : {}), position: high + 1 },
        fixes: ["Encode user and password as UTF-8 before base64 (Java: `(user + \":\" + pass).getBytes(StandardCharsets.UTF_8)`; curl sends the bytes your terminal produced, normally UTF-8).", 'Or change the password to ASCII characters only.'],
      });
    } else if ([...decoded.utf8].some((ch) => ch.codePointAt(0)! > 0x7f) && !charset) {
      out.push({
        status: 'warn',
        cause: 'malformed_credentials',
        confidence: 'possible',
        messageId: 'non-ascii-no-charset',
        title: 'Non-ASCII characters in a Basic credential',
        message: 'The user name or password contains non-ASCII characters, encoded as UTF-8, and the server did not declare charset="UTF-8" in its challenge. RFC 7617 leaves the encoding open in that case; many servers decode ISO-8859-1 and see different characters.',
        evidence: {},
        fixes: ['If the credential is rejected, try the password with ASCII characters only, or ask the API which encoding it expects.'],
      });
    }
    return out;
  },
});
