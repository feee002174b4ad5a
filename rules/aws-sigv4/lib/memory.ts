/**
 * What this process signed, remembered for the diagnosis that follows.
 *
 * The rules see only the exchange (what went out, what came back). When `apply` signed the request
 * a moment earlier, the rules can do much better with what `apply` knew: the secret (to re-sign
 * and compare signatures), the canonical request at signing time (to show what changed between
 * signing and sending) and the real time of signing (to tell a skewed clock from a signature that
 * sat around before it was sent). Records are keyed by the signature, which is unique per signing,
 * kept in memory only, and bounded.
 */

export interface SigningRecord {
  signature: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  /** When the credentials expire, if the source said. */
  expiration?: Date | undefined;
  region: string;
  service: string;
  /** The signing clock's time (X-Amz-Date). */
  signingDate: Date;
  /** The real time when `apply` signed (to measure how long the request waited before it was sent). */
  signedAtWallClock: Date;
  canonicalRequest: string;
  /** Where the credentials came from (for display; never the values). */
  source?: string | undefined;
}

const MAX = 64;
const bySignature = new Map<string, SigningRecord>();
const credentialsByKeyId = new Map<string, { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined }>();

export function rememberSigning(record: SigningRecord): void {
  bySignature.delete(record.signature);
  bySignature.set(record.signature, record);
  while (bySignature.size > MAX) bySignature.delete(bySignature.keys().next().value!);
  rememberCredentials(record);
}

export function recallSigning(signature: string | undefined): SigningRecord | undefined {
  return signature ? bySignature.get(signature) : undefined;
}

/**
 * Credentials known for a key id, so a captured request signed by someone else's signer (a HAR, a
 * pasted curl command with its own Authorization header) can be re-signed when the user's profile
 * has the same key.
 */
export function rememberCredentials(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined }): void {
  credentialsByKeyId.delete(credentials.accessKeyId);
  credentialsByKeyId.set(credentials.accessKeyId, { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken });
  while (credentialsByKeyId.size > MAX) credentialsByKeyId.delete(credentialsByKeyId.keys().next().value!);
}

export function recallCredentials(accessKeyId: string | undefined): { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined } | undefined {
  return accessKeyId ? credentialsByKeyId.get(accessKeyId) : undefined;
}

/**
 * What `apply` learned about a spec's credentials, keyed by the spec's `auth.params` object. It is
 * kept here rather than written into the params: the params are the caller's (a later "did the
 * credentials change?" comparison of two specs must see only what the user or an action put there).
 */
export interface CredentialNote {
  /** Where the signing keys came from, with the key id masked (for display). */
  credentialSource: string;
  /** `auth.source` as the caller gave it before `apply` replaced it for display ('profile NAME', 'curl'). */
  origin?: string | undefined;
}

let notes = new WeakMap<object, CredentialNote>();

export function noteCredentials(params: object, note: CredentialNote): void {
  const before = notes.get(params);
  notes.set(params, { credentialSource: note.credentialSource, origin: before?.origin ?? note.origin });
}

export function recallCredentialNote(params: object | undefined): CredentialNote | undefined {
  return params ? notes.get(params) : undefined;
}

/** For tests: forget everything. */
export function forgetAll(): void {
  bySignature.clear();
  credentialsByKeyId.clear();
  notes = new WeakMap();
}
