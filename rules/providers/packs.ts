import type { ProviderPack } from './engine.ts';
import { anthropic } from './data/anthropic.ts';
import { atlassian } from './data/atlassian.ts';
import { auth0 } from './data/auth0.ts';
import { azureArm, azureKeyVault, azureStorage, microsoftGraph } from './data/azure.ts';
import { cloudflare } from './data/cloudflare.ts';
import { digitalocean } from './data/digitalocean.ts';
import { dockerRegistry } from './data/docker-registry.ts';
import { elasticsearch } from './data/elasticsearch.ts';
import { github } from './data/github.ts';
import { gitlab } from './data/gitlab.ts';
import { google } from './data/google.ts';
import { heroku } from './data/heroku.ts';
import { huggingface } from './data/huggingface.ts';
import { kubernetes } from './data/kubernetes.ts';
import { linear } from './data/linear.ts';
import { notion } from './data/notion.ts';
import { okta } from './data/okta.ts';
import { openai } from './data/openai.ts';
import { salesforce } from './data/salesforce.ts';
import { sendgrid } from './data/sendgrid.ts';
import { shopify } from './data/shopify.ts';
import { slack } from './data/slack.ts';
import { stripe } from './data/stripe.ts';
import { twilio } from './data/twilio.ts';
import { vault } from './data/vault.ts';

/**
 * Every provider pack, in the order they are tried. Host-bound packs come first; the
 * host-independent formats (Kubernetes Status objects, Vault, Elasticsearch, registries) last.
 * To add a provider, write rules/providers/data/<provider>.ts and list it here.
 */
export const PACKS: readonly ProviderPack[] = [
  github,
  gitlab,
  google,
  azureArm,
  microsoftGraph,
  azureStorage,
  azureKeyVault,
  openai,
  anthropic,
  stripe,
  slack,
  twilio,
  cloudflare,
  digitalocean,
  heroku,
  shopify,
  salesforce,
  sendgrid,
  atlassian,
  okta,
  auth0,
  huggingface,
  linear,
  notion,
  kubernetes,
  vault,
  elasticsearch,
  dockerRegistry,
];
