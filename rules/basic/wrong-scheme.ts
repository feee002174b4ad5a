/**
 * Basic sent where the server does not take Basic (seed step 3; DESIGN.md `wrong_scheme`):
 * - the WWW-Authenticate challenge offers only other registered schemes: Bearer (get a token
 *   first — Docker Registry v2 token auth takes the same user and password at its realm, per
 *   https://distribution.github.io/distribution/spec/auth/token/), Digest (`curl --digest`),
 *   Negotiate/Kerberos (`kinit` + `curl --negotiate -u :`), NTLM;
 * - the Kubernetes API server: support for Basic (`--basic-auth-file`) was deprecated in 1.16 and
 *   removed in 1.19 (kubernetes/kubernetes#89069, CHANGELOG-1.19 "Support for basic authentication
 *   via the --basic-auth-file flag has been removed"; 1.19 was released 2020-08-26). A 401 Status
 *   to Basic is then the scheme, not the password — unless the capture predates 1.19 or kubectl's
 *   version (within one minor version of the server, per the version-skew policy) says the server
 *   is older, in which case it only warns.
 */
import { defineRule } from '../../src/plugins/define.ts';
import type { FindingInput, RuleContext } from '../../src/core/plugin.ts';
import { offeredSchemes } from '../../src/core/challenge.ts';
import type { Confidence } from '../../src/core/types.ts';
import { KNOWN_SCHEMES, curlHowTo, isAuthFailure } from '../http/shared.ts';
import { basicCarrier } from './decode.ts';

const K8S_119_RELEASE = Date.parse('2020-08-26T00:00:00Z');

function isKubernetesStatus(ctx: RuleContext<any>): boolean {
  const json = ctx.helpers.responseJson();
  if (!json || typeof json !== 'object' || Array.isArray(json)) return false;
  const body = json as Record<string, unknown>;
  return body.kind === 'Status' && typeof body.apiVersion === 'string' && /^v1$/.test(body.apiVersion);
}

/** Minor version of kubectl/client-go from the User-Agent (`kubectl/v1.10.1 (linux/amd64) …`). */
function clientMinor(ctx: RuleContext<any>): number | null {
  const ua = ctx.helpers.requestHeader('user-agent') ?? '';
  const m = /(?:kubectl|client-go|kube-\w+)\/v?1\.(\d+)/i.exec(ua);
  return m ? Number(m[1]) : null;
}

function kubernetesFinding(ctx: RuleContext<any>): FindingInput | null {
  if (ctx.response?.status !== 401 || !isKubernetesStatus(ctx)) return null;
  const minor = clientMinor(ctx);
  const before119 = ctx.now().getTime() < K8S_119_RELEASE;
  const evidence: Record<string, unknown> = { server: 'Kubernetes API server', status: 401, ...(minor !== null ? { clientVersion: `1.${minor}` } : {}) };
  const fixes = [
    'Use a credential Kubernetes accepts: a client certificate, a bearer token (a ServiceAccount token from `kubectl create token NAME`, or your cloud provider\'s `gcloud/aws/az … get-credentials`), or an OIDC login — and regenerate the kubeconfig user entry.',
    'kubectl asking for a username and password means the kubeconfig user has no certificate or token for this cluster.',
  ];
  if (before119 || (minor !== null && minor < 18)) {
    return {
      status: 'warn',
      cause: 'wrong_scheme',
      confidence: 'possible',
      messageId: 'kubernetes-basic-old',
      title: 'Basic authentication to Kubernetes',
      message: `The Kubernetes API server rejected Basic credentials (401 Status "Unauthorized"). ${before119 ? 'This capture predates Kubernetes 1.19' : `kubectl ${minor !== null ? `1.${minor}` : ''} implies a server older than 1.19`}, which still supported --basic-auth-file, so the user name or password is most likely wrong; on 1.19 and later Basic is not accepted at all.`,
      evidence,
      fixes,
    };
  }
  const confidence: Confidence = minor !== null && minor >= 20 ? 'likely' : 'possible';
  return {
    status: 'fail',
    cause: 'wrong_scheme',
    confidence,
    messageId: 'kubernetes-basic',
    title: 'Kubernetes does not accept Basic authentication',
    message: `The Kubernetes API server answered 401 to Basic credentials. Basic authentication was removed from Kubernetes in 1.19${minor !== null && minor >= 20 ? ` (and kubectl 1.${minor} implies a server of 1.${minor - 1} or later)` : ''}: whatever the password, this scheme is no longer accepted.`,
    evidence,
    fixes,
  };
}

export default defineRule({
  meta: {
    id: 'wrong-scheme',
    title: 'The server accepts Basic',
    description: 'Basic credentials sent to a server that offers only Bearer, Digest, Negotiate or NTLM, or to a Kubernetes API server (no Basic since 1.19).',
    causes: ['wrong_scheme'],
  },
  appliesTo: (ctx) => basicCarrier(ctx) !== undefined && ctx.response !== null,
  check(ctx) {
    if (!isAuthFailure(ctx)) return [];
    const offered = offeredSchemes(ctx.challenges);
    if (offered.length > 0 && !offered.includes('basic') && offered.every((s) => KNOWN_SCHEMES.has(s))) {
      const fixes: string[] = [];
      const bearer = ctx.challenges.find((c) => c.scheme.toLowerCase() === 'bearer');
      const realm = bearer?.params.realm;
      if (bearer && realm && /^https?:\/\//i.test(realm) && (bearer.params.service || bearer.params.scope)) {
        const url = new URL(realm);
        if (bearer.params.service) url.searchParams.set('service', bearer.params.service);
        if (bearer.params.scope) url.searchParams.set('scope', bearer.params.scope);
        fixes.push(
          `This is a Docker-style registry: send your user name and password to its token service instead — \`curl -u "$USER:$PASSWORD" "${url.toString()}"\` — and retry with the returned token as \`Authorization: Bearer <token>\` (docker login / crane / oras do this for you).`,
        );
      } else if (offered.includes('bearer')) {
        fixes.push('This API wants a token: create an API token or access token (or exchange your credentials at its token endpoint) and send `Authorization: Bearer <token>`.');
      }
      for (const s of offered) if (s !== 'bearer') fixes.push(`The server accepts ${s}: ${curlHowTo(s)}.`);
      return [
        {
          status: 'fail',
          cause: 'wrong_scheme',
          confidence: 'likely',
          messageId: 'basic-not-offered',
          title: 'Basic sent, server wants another scheme',
          message: `The request used Basic authentication, but the server's WWW-Authenticate offers only ${offered.map((s) => `"${s}"`).join(', ')}: it will not read a user name and password from a Basic header.`,
          evidence: { sent: 'Basic', offered },
          fixes,
        },
      ];
    }
    const k8s = kubernetesFinding(ctx);
    return k8s ? [k8s] : [];
  },
});
