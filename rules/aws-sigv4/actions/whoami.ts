import { defineAction } from '../../../src/plugins/define.ts';
import { maskSecret } from '../../../src/core/redact.ts';
import type { ActionResult } from '../../../src/core/plugin.ts';
import type { RequestSpec } from '../../../src/core/types.ts';
import { parseSigV4 } from '../lib/authorization.ts';
import { credentialsFor, str, type SigningCredentials } from '../auth.ts';
import { parseAwsEndpoint, stsEndpointFor } from '../lib/hosts.ts';
import { recallCredentials, recallSigning } from '../lib/memory.ts';
import { signOutgoing } from '../lib/sign.ts';
import { classify, parseAwsError } from '../lib/errors.ts';
import { isSigV4, sentSignature } from './shared.ts';

/**
 * Where "who am I" sends its credentialed STS call: `params.stsEndpoint`, else AWS_ENDPOINT_URL_STS /
 * AWS_ENDPOINT_URL (as the AWS CLI honours them), else the regional STS endpoint of the request's
 * region and partition. The session must allow this origin for credentialed requests.
 */
export function whoamiEndpoint(spec: RequestSpec, signedRegion?: string): { url: string; origin: string; region: string } {
  const params = spec.auth?.params ?? {};
  const region = str(params.region) ?? signedRegion ?? parseSigV4({ url: spec.url, headers: spec.headers })?.scope?.region ?? parseAwsEndpoint(spec.url)?.region ?? 'us-east-1';
  const endpoint = (str(params.stsEndpoint) ?? process.env.AWS_ENDPOINT_URL_STS ?? process.env.AWS_ENDPOINT_URL ?? stsEndpointFor(region)).replace(/\/+$/, '');
  const url = `${endpoint}/`;
  return { url, origin: new URL(url).origin, region };
}

/**
 * "Who am I": STS GetCallerIdentity with the same credentials — the first question for a 403. It
 * needs no permission (an explicit Deny cannot block it), so its answer tells apart "AWS does not
 * know these credentials" from "it knows them, and they belong to someone else than you think".
 * Never automatic: it sends a credentialed request to STS.
 */
export default defineAction({
  id: 'whoami',
  title: 'Who am I? (STS GetCallerIdentity)',
  kind: 'inspect',
  available(ctx) {
    return isSigV4(ctx);
  },
  async run(ctx): Promise<ActionResult> {
    const params: Record<string, unknown> = { ...(ctx.spec.auth?.params ?? {}) };
    const sent = sentSignature(ctx);
    let creds: Pick<SigningCredentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'> & { source: string };
    const remembered = recallSigning(sent?.signature);
    const known = remembered ?? recallCredentials(sent?.accessKeyId?.trim());
    try {
      if (str(params.accessKeyId) || !known) creds = await credentialsFor(params, { now: ctx.now() });
      else creds = { ...known, source: remembered?.source ?? 'the credentials the request was signed with' };
    } catch (error) {
      return { ok: false, retry: false, message: error instanceof Error ? error.message : String(error) };
    }
    ctx.redactor.addSecret(creds.secretAccessKey);
    if (creds.sessionToken) ctx.redactor.addSecret(creds.sessionToken);
    const { url, region } = whoamiEndpoint(ctx.spec, sent?.scope?.region);
    ctx.progress(`Asking STS (${new URL(url).host}) who these credentials belong to…`);
    const signed = await signOutgoing(
      { method: 'POST', url, headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded; charset=utf-8' }], body: 'Action=GetCallerIdentity&Version=2011-06-15' },
      { region, service: 'sts', credentials: creds, signingDate: ctx.now() },
    );
    let response;
    try {
      response = await ctx.http.request({ method: 'POST', url, headers: signed.request.headers, body: signed.request.body ?? '', credentialed: true, signal: ctx.signal });
    } catch (error) {
      return { ok: false, retry: false, message: `Could not call STS GetCallerIdentity at ${url}: ${error instanceof Error ? error.message : String(error)}` };
    }
    const shownKey = maskSecret(creds.accessKeyId);
    if (response.status === 200) {
      const { XMLParser } = await import('fast-xml-parser');
      const doc = new XMLParser({ removeNSPrefix: true, parseTagValue: false }).parse(response.body) as Record<string, any>;
      const result = doc?.GetCallerIdentityResponse?.GetCallerIdentityResult ?? {};
      const arn = typeof result.Arn === 'string' ? result.Arn : undefined;
      const account = typeof result.Account === 'string' ? result.Account : undefined;
      const userId = typeof result.UserId === 'string' ? result.UserId : undefined;
      if (!arn) return { ok: false, retry: false, message: `STS answered 200 but not with a GetCallerIdentity result.`, details: { endpoint: url } };
      return {
        ok: true,
        retry: false,
        message: `These credentials are ${arn} (account ${account ?? '?'}), key ${shownKey} from ${creds.source}.`,
        details: { arn, account, userId, accessKeyId: shownKey, source: creds.source, endpoint: url },
      };
    }
    const error = await parseAwsError(response);
    const code = error?.code ?? `HTTP ${response.status}`;
    const kind = error ? classify(error) : 'other';
    const meaning =
      kind === 'token-expired' ? 'the session token has expired: refresh the credentials'
        : kind === 'key-unknown' ? 'AWS does not know this access key ID (deleted, inactive, another partition, or a temporary key without its token)'
          : kind === 'signature' ? 'the secret access key does not match the key ID'
            : kind === 'clock' ? 'the clock is off by more than 15 minutes'
              : error?.message || 'see the response';
    return {
      ok: false,
      retry: false,
      message: `STS GetCallerIdentity failed with ${code} for key ${shownKey} from ${creds.source}: ${meaning}.`,
      details: { code, status: response.status, accessKeyId: shownKey, source: creds.source, endpoint: url },
    };
  },
});
