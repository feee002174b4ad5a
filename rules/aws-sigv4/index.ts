/**
 * aws-sigv4: why AWS rejected a signed request, and how to fix it on the spot.
 *
 * Everything AWS: its XML and JSON error shapes, SigV4 (header and presigned URLs) and SigV2
 * (MWS, SimpleDB) signatures, canonical-request forensics with the official signer, clock and
 * scope checks, session tokens, access-denied details, and the credential chain.
 * Heavy modules (@smithy/*, @aws-sdk/credential-providers, fast-xml-parser) are imported inside
 * check/apply/run only.
 */

import { definePlugin } from '../../src/plugins/define.ts';
import authorizationFormat from './rules/authorization-format.ts';
import credentialScope from './rules/credential-scope.ts';
import signatureMismatch from './rules/signature-mismatch.ts';
import clock from './rules/clock.ts';
import sessionToken from './rules/session-token.ts';
import presignedUrl from './rules/presigned-url.ts';
import keyId from './rules/key-id.ts';
import missingAuthentication from './rules/missing-authentication.ts';
import accessDenied from './rules/access-denied.ts';
import { sigv4Auth } from './auth.ts';
import refreshCredentials from './actions/refresh-credentials.ts';
import reSign from './actions/re-sign.ts';
import whoami from './actions/whoami.ts';

export default definePlugin({
  name: 'aws-sigv4',
  description: 'AWS Signature Version 4 (and 2): signature forensics, clock and scope checks, session tokens, access denied, credential refresh.',
  rules: [authorizationFormat, credentialScope, signatureMismatch, clock, sessionToken, presignedUrl, keyId, missingAuthentication, accessDenied],
  auth: [sigv4Auth],
  actions: [refreshCredentials, reSign, whoami],
});
