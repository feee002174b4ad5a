import { optional, type Matcher, type ProviderPack } from '../engine.ts';

/**
 * Kubernetes API server `Status` objects, on any host:
 * `{"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": "...", "reason":
 * "Unauthorized"|"Forbidden", "code": 401|403}`. The authorizer's message names the user, the
 * verb and the resource: `pods is forbidden: User "x" cannot list resource "pods" in API group ""
 * in the namespace "y"`.
 */
const status: Matcher = { all: [{ field: 'kind', equals: 'Status' }, { field: 'status', equals: 'Failure' }] };
const serviceAccount = optional({ field: 'message', matches: /User "system:serviceaccount:(?<saNamespace>[^:"]+):(?<saName>[^"]+)"/ });

export const kubernetes: ProviderPack = {
  provider: 'Kubernetes',
  fingerprint: { field: 'kind', equals: 'Status' },
  entries: [
    {
      // system:anonymous: no authenticator accepted anything, and anonymous auth is on — so the
      // request was effectively unauthenticated, and editing RBAC is the wrong fix.
      id: 'kubernetes/anonymous-forbidden',
      group: 'kubernetes/forbidden',
      status: 403,
      match: {
        all: [
          status,
          { field: 'reason', equals: 'Forbidden' },
          { field: 'message', matches: /(?:^|: )User "system:anonymous" cannot (?<verb>[\w-]+) (?:resource "(?<resource>[^"]*)"|path "(?<nonResourcePath>[^"]*)")/ },
        ],
      },
      cause: 'missing_credentials',
      title: 'The API server saw an anonymous request',
      message:
        'The API server treated the request as User "system:anonymous": no client certificate, bearer token or other credential reached it (or none was accepted), so anonymous auth applied and RBAC then denied "{{verb}}" on {{resource}}{{nonResourcePath}}. The status is 403, but the problem is authentication, not permissions.',
      fixes: [
        'Send credentials: use kubectl with a kubeconfig (kubectl get --raw {{_path}}), or curl with --cert/--key and --cacert from the kubeconfig, or -H "Authorization: Bearer $TOKEN" with a ServiceAccount token (kubectl create token SERVICEACCOUNT -n NAMESPACE).',
        'Do not bind roles (let alone cluster-admin) to system:anonymous to make this go away.',
      ],
      evidence: { principal: 'system:anonymous', action: '{{verb}}', resource: '{{resource}}{{nonResourcePath}}' },
      source: 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests',
    },
    {
      id: 'kubernetes/rbac-forbidden',
      group: 'kubernetes/forbidden',
      status: 403,
      match: {
        all: [
          status,
          { field: 'reason', equals: 'Forbidden' },
          {
            field: 'message',
            matches: /(?:^|: )User "(?<principal>[^"]+)" cannot (?<verb>[\w-]+) resource "(?<resource>[^"]*)"(?: in API group "(?<apiGroup>[^"]*)")?(?: in the namespace "(?<namespace>[^"]*)"| at the cluster scope)?/,
          },
          serviceAccount,
        ],
      },
      cause: 'insufficient_permissions',
      title: 'RBAC does not allow this verb on this resource',
      message:
        'The API server authenticated {{principal}}, but no Role or ClusterRole bound to it allows "{{verb}}" on {{resource}}{{#apiGroup}} (API group {{apiGroup}}){{/apiGroup}}{{#namespace}} in namespace {{namespace}}{{/namespace}}{{^namespace}} at the cluster scope{{/namespace}}.',
      fixes: [
        'Check what RBAC allows: kubectl auth can-i {{verb}} {{resource}}{{#namespace}} --namespace {{namespace}}{{/namespace}} --as {{principal}} (it answers yes or no).',
        'Grant it with a Role and RoleBinding: kubectl create role {{resource}}-{{verb}} --verb={{verb}} --resource={{resource}}{{#apiGroup}}.{{apiGroup}}{{/apiGroup}}{{#namespace}} -n {{namespace}}{{/namespace}}, then kubectl create rolebinding {{resource}}-{{verb}} --role={{resource}}-{{verb}}{{#saName}} --serviceaccount={{saNamespace}}:{{saName}}{{/saName}}{{^saName}} --user={{principal}}{{/saName}}{{#namespace}} -n {{namespace}}{{/namespace}} (use clusterrole/clusterrolebinding for cluster-scoped resources).',
      ],
      evidence: { principal: '{{principal}}', action: '{{verb}}', resource: '{{resource}}{{#apiGroup}}.{{apiGroup}}{{/apiGroup}}{{#namespace}} in namespace {{namespace}}{{/namespace}}' },
      source: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
    },
    {
      id: 'kubernetes/path-forbidden',
      group: 'kubernetes/forbidden',
      status: 403,
      match: { all: [status, { field: 'reason', equals: 'Forbidden' }, { field: 'message', matches: /(?:^|: )User "(?<principal>[^"]+)" cannot (?<verb>[\w-]+) path "(?<nonResourcePath>[^"]*)"/ }] },
      cause: 'insufficient_permissions',
      title: 'RBAC does not allow this URL',
      message: 'The API server authenticated {{principal}}, but no ClusterRole bound to it allows "{{verb}}" on the non-resource URL {{nonResourcePath}}.',
      fixes: [
        'Grant it: kubectl create clusterrole path-reader --verb={{verb}} --non-resource-url={{nonResourcePath}}, then kubectl create clusterrolebinding path-reader --clusterrole=path-reader --user={{principal}}.',
      ],
      evidence: { principal: '{{principal}}', action: '{{verb}}', resource: '{{nonResourcePath}}' },
      source: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole',
    },
    {
      id: 'kubernetes/unauthorized',
      status: 401,
      match: { all: [status, { field: 'reason', equals: 'Unauthorized' }, optional({ requestHeader: 'authorization', exists: false, capture: 'noAuthorization' })] },
      cause: 'invalid_credentials',
      title: 'The API server rejected the credentials',
      message:
        'The API server answered Unauthorized: no authenticator accepted what arrived — an unknown user or wrong password, an expired or revoked token, or a client certificate from another cluster\'s CA. The API server gives no detail by design (the reason is only in its own logs); kubectl shows this as "You must be logged in to the server (Unauthorized)".{{#noAuthorization}} The request had no Authorization header: unless it presented a client certificate (which a capture does not show), nothing was sent, and this cluster refuses anonymous requests.{{/noAuthorization}}',
      fixes: [
        'Get working credentials for this cluster: regenerate the kubeconfig with your provider (e.g. az aks get-credentials, gcloud container clusters get-credentials, aws eks update-kubeconfig) or request a fresh ServiceAccount token (kubectl create token SERVICEACCOUNT -n NAMESPACE).',
        'If kubectl prompts for a username and password, the kubeconfig user entry has no certificate or token for this cluster: check kubectl config view --minify.',
      ],
      source: 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/',
    },
  ],
};
