import { describe, expect, it } from 'vitest';
import { failures, json, onlyFailure } from './run.ts';

const status = (code: number, reason: string, message: string) => json({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, details: {}, code });

describe('providers: Kubernetes', () => {
  it('reads system:anonymous as missing credentials, on any host', async () => {
    const f = await onlyFailure({ url: 'https://10.0.0.1:6443/api/v1/namespaces/default/pods', status: 403, responseBody: status(403, 'Forbidden', 'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "default"') });
    expect(f).toMatchObject({ messageId: 'kubernetes/anonymous-forbidden', cause: 'missing_credentials' });
    expect(f.evidence).toMatchObject({ principal: 'system:anonymous', action: 'list', resource: 'pods' });
  });

  it('names user, verb, resource and namespace of an RBAC denial and writes the RoleBinding', async () => {
    const f = await onlyFailure({
      url: 'https://k8s.example.com/api/v1/namespaces/prod/secrets',
      status: 403,
      responseBody: status(403, 'Forbidden', 'secrets is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "secrets" in API group "" in the namespace "prod"'),
    });
    expect(f).toMatchObject({ messageId: 'kubernetes/rbac-forbidden', cause: 'insufficient_permissions' });
    expect(f.evidence).toMatchObject({ principal: 'system:serviceaccount:ci:deployer', action: 'list', resource: 'secrets in namespace prod', saNamespace: 'ci', saName: 'deployer' });
    expect(f.fixes[0]).toBe('Check what RBAC allows: kubectl auth can-i list secrets --namespace prod --as system:serviceaccount:ci:deployer (it answers yes or no).');
    expect(f.fixes[1]).toContain('--serviceaccount=ci:deployer');
  });

  it('handles API groups and the cluster scope', async () => {
    const f = await onlyFailure({ url: 'https://k8s.example.com/apis/apps/v1/deployments', status: 403, responseBody: status(403, 'Forbidden', 'deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" at the cluster scope') });
    expect(f.evidence).toMatchObject({ principal: 'alice', apiGroup: 'apps', resource: 'deployments.apps' });
    expect(f.message).toContain('at the cluster scope');
    expect(f.fixes[1]).toContain('--user=alice');
  });

  it('reads Unauthorized as rejected credentials', async () => {
    const f = await onlyFailure({ url: 'https://10.0.0.10:6443/api', status: 401, requestHeaders: { Authorization: 'Bearer x' }, responseBody: status(401, 'Unauthorized', 'Unauthorized') });
    expect(f).toMatchObject({ messageId: 'kubernetes/unauthorized', cause: 'invalid_credentials' });
    expect(f.message).not.toContain('no Authorization header');
    const bare = await onlyFailure({ url: 'https://10.0.0.10:6443/api', status: 401, responseBody: status(401, 'Unauthorized', 'Unauthorized') });
    expect(bare.message).toContain('The request had no Authorization header');
  });

  it('ignores other Status reasons', async () => {
    expect(await failures({ url: 'https://k8s.example.com/api/v1/namespaces/x/pods/y', status: 404, responseBody: status(404, 'NotFound', 'pods "y" not found') })).toEqual([]);
  });
});
