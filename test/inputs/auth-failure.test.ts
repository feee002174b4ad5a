import { describe, expect, it } from 'vitest';
import { looksLikeAuthFailure } from '../../src/inputs/index.ts';

const r = (status: number, headers: [string, string][] = [], body = '') => ({
  status,
  headers: headers.map(([name, value]) => ({ name, value })),
  body,
});

describe('looksLikeAuthFailure', () => {
  it('is true for 401, 403 and 407 whatever the body', () => {
    for (const status of [401, 403, 407]) expect(looksLikeAuthFailure(r(status))).toBe(true);
  });

  it('is false for ordinary successes, redirects and other errors', () => {
    expect(looksLikeAuthFailure(r(200, [['Content-Type', 'application/json']], '{"ok":true}'))).toBe(false);
    expect(looksLikeAuthFailure(r(302, [['Location', '/login']]))).toBe(false);
    expect(looksLikeAuthFailure(r(404, [], '{"error":"not_found"}'))).toBe(false);
    expect(looksLikeAuthFailure(r(400, [], '{"error":"invalid_request"}'))).toBe(false);
    expect(looksLikeAuthFailure(r(500, [], '<html>oops</html>'))).toBe(false);
  });

  it('is true for a challenge on an error status, and on a 2xx only with an error parameter', () => {
    expect(looksLikeAuthFailure(r(400, [['WWW-Authenticate', 'Bearer error="invalid_request"']]))).toBe(true);
    expect(looksLikeAuthFailure(r(200, [['WWW-Authenticate', 'Bearer error="invalid_token"']]))).toBe(true);
    // RFC 4559: Negotiate's final leg may carry a token on a successful 200.
    expect(looksLikeAuthFailure(r(200, [['WWW-Authenticate', 'Negotiate oRswGaADCgEAoxIEEAEAAAB=']]))).toBe(false);
  });

  it("is true for Atlassian's X-Seraph-LoginReason failures on a 200", () => {
    expect(looksLikeAuthFailure(r(200, [['X-Seraph-LoginReason', 'AUTHENTICATION_DENIED']]))).toBe(true);
    expect(looksLikeAuthFailure(r(200, [['X-Seraph-LoginReason', 'AUTHENTICATED_FAILED']]))).toBe(true);
    expect(looksLikeAuthFailure(r(200, [['X-Seraph-LoginReason', 'OK']]))).toBe(false);
  });

  it('is true for documented error codes in JSON bodies (Slack, OAuth2, GraphQL, Google, AWS JSON)', () => {
    expect(looksLikeAuthFailure(r(200, [], '{"ok":false,"error":"not_authed"}'))).toBe(true);
    expect(looksLikeAuthFailure(r(400, [], '{"error":"invalid_grant","error_description":"expired"}'))).toBe(true);
    expect(looksLikeAuthFailure(r(400, [], '{"error":"invalid_client"}'))).toBe(true);
    expect(looksLikeAuthFailure(r(200, [], '{"data":null,"errors":[{"message":"no","extensions":{"code":"UNAUTHENTICATED"}}]}'))).toBe(true);
    expect(looksLikeAuthFailure(r(400, [], '{"error":{"code":400,"status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}'))).toBe(true);
    expect(looksLikeAuthFailure(r(400, [], '{"__type":"com.amazon.coral.service#UnrecognizedClientException","message":"x"}'))).toBe(true);
  });

  it('is true for AWS-style XML error codes on a 400', () => {
    expect(looksLikeAuthFailure(r(400, [], '<?xml version="1.0"?><Error><Code>SignatureDoesNotMatch</Code></Error>'))).toBe(true);
    expect(looksLikeAuthFailure(r(400, [], '<Error><Code>InvalidArgument</Code></Error>'))).toBe(false);
  });

  it('does not throw on bodies that are not what they seem', () => {
    expect(looksLikeAuthFailure(r(200, [], '{"error": '))).toBe(false);
    expect(looksLikeAuthFailure(r(200, [], '[1,2,3]'))).toBe(false);
    expect(looksLikeAuthFailure({ status: 200, headers: [] })).toBe(false);
  });
});
