/**
 * The Basic scheme (RFC 7617): the base64 layer, what the decoded user and password look like, URL
 * user info, servers that do not take Basic, and what providers document about Basic (Atlassian
 * Cloud, Azure DevOps, Elasticsearch). Shaped exactly like a user's plugin.
 */
import { definePlugin } from '../../src/plugins/define.ts';
import encoding from './encoding.ts';
import decoded from './decoded.ts';
import userinfo from './userinfo.ts';
import wrongScheme from './wrong-scheme.ts';
import atlassianCloud from './atlassian-cloud.ts';
import azureDevops from './azure-devops.ts';
import elasticsearch from './elasticsearch.ts';

export default definePlugin({
  name: 'basic',
  description: 'Basic authentication: encoding, decoded credentials, URL user info, scheme support and provider rules.',
  rules: [encoding, decoded, userinfo, wrongScheme, atlassianCloud, azureDevops, elasticsearch],
});
