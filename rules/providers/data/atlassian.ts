import type { Matcher, ProviderPack } from '../engine.ts';

/**
 * Jira and Confluence REST bodies (Cloud and Data Center). The X-Seraph-LoginReason header and the
 * Basic-with-password quirk belong to the http and basic plugins; these are the body-level words.
 */
const notAuthenticated: Matcher = {
  any: [
    { field: 'errorMessages[]', matches: /^You are not authenticated\. Authentication required to perform this operation\.?$/ },
    { field: 'message', matches: /^Client must be authenticated to access this resource\.?$/ },
    { body: /^Client must be authenticated to access this resource\.?\s*$/ },
  ],
};
const AUTH = 'https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/';

export const atlassian: ProviderPack = {
  provider: 'Atlassian (Jira, Confluence)',
  hosts: ['*.atlassian.net', 'api.atlassian.com'],
  fingerprint: { any: [{ header: 'x-arequestid', exists: true }, { header: 'atl-traceid', exists: true }, { header: 'x-seraph-loginreason', exists: true }] },
  entries: [
    {
      id: 'atlassian/not-authenticated-no-credentials',
      group: 'atlassian/not-authenticated',
      match: { all: [notAuthenticated, { requestHeader: 'authorization', exists: false }] },
      cause: 'missing_credentials',
      title: 'Jira/Confluence received no credentials',
      message: 'Atlassian says the client is not authenticated, and the request had no Authorization header.',
      fixes: ['Send Basic auth with your e-mail and an API token: curl -u you@example.com:$ATLASSIAN_API_TOKEN https://{{_host}}{{_path}} (create the token at https://id.atlassian.com/manage-profile/security/api-tokens).'],
      source: AUTH,
    },
    {
      id: 'atlassian/not-authenticated',
      group: 'atlassian/not-authenticated',
      match: notAuthenticated,
      cause: 'invalid_credentials',
      title: 'Jira/Confluence rejected the credentials',
      message: 'Atlassian says the client is not authenticated although credentials were sent: the e-mail/API token pair (or PAT) was not accepted.',
      fixes: ['Check the e-mail and API token (https://id.atlassian.com/manage-profile/security/api-tokens); on Cloud the Basic user is the e-mail address, not the username. On Data Center, personal access tokens go in Authorization: Bearer.'],
      source: AUTH,
    },
    {
      id: 'atlassian/no-permission',
      match: { field: 'errorMessages[]', matches: /^You do not have (?:the )?permission to (?<action>[^.]{1,200})/ },
      cause: 'insufficient_permissions',
      confidence: 'likely',
      title: 'Jira/Confluence permission missing',
      message: 'The user authenticated but may not {{action}}.',
      fixes: ['Ask a Jira admin to grant the permission in the project\'s permission scheme (Project settings > Permissions), or use an account that has it.'],
      evidence: { action: '{{action}}', resource: '{{_path}}' },
      source: 'https://support.atlassian.com/jira-cloud-administration/docs/manage-project-permissions/',
    },
  ],
};
