/**
 * AWS endpoint host names → the credential scope a request to them must be signed with.
 *
 * Data-driven: the tables below are the knowledge, the functions only walk them. Sources: the
 * "AWS service endpoints" page of the AWS General Reference, the S3 "Virtual hosting of buckets"
 * and "Dual-stack endpoints" pages, the API Gateway and Lambda function URL docs, and the signing
 * names in the SDKs' endpoint rule sets (`signingName` differs from the host label for some
 * services: SES signs as `ses` on `email.*`, CloudWatch as `monitoring`, Bedrock runtime as
 * `bedrock`, Neptune data as `neptune-db` …).
 *
 * No library exposes this: the SDKs resolve endpoints *from* a region and service, not the other
 * way round, which is what a diagnosis of a captured request needs.
 */

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-iso' | 'aws-iso-b' | 'aws-iso-e' | 'aws-iso-f' | 'aws-eusc';

export interface AwsEndpoint {
  /** Lower-case host name without port. */
  host: string;
  partition: Partition;
  /** The credential-scope service (signing name): `execute-api`, `s3`, `lambda`, `ses` … */
  service: string;
  /** The signing region when the host tells it (or a global service's fixed signing region). */
  region?: string | undefined;
  /**
   * False when the host does not fix the signing region: the S3 global endpoint and S3 Transfer
   * Acceleration sign in the bucket's own region, which the host does not name.
   */
  regionCertain: boolean;
  /** A global service that signs in one fixed region (IAM, STS global, Route 53, CloudFront…). */
  global: boolean;
  fips: boolean;
  dualStack: boolean;
  kind: 'regional' | 'global' | 's3' | 'execute-api' | 'lambda-url' | 'vpce' | 'legacy' | 'mws' | 'sp-api';
  /** S3: the bucket (virtual-hosted from the host, path-style from the first path segment). */
  bucket?: string | undefined;
  s3Style?: 'virtual-hosted' | 'path' | undefined;
  /** Signature version the endpoint family uses (MWS is SigV2). */
  signatureVersion: 2 | 4;
  /** One sentence for findings about this endpoint (e.g. why the signing region is what it is). */
  note?: string | undefined;
}

/** DNS suffixes of the partitions, longest first. */
const PARTITION_SUFFIXES: readonly { suffix: string; partition: Partition; dualStack?: boolean }[] = [
  { suffix: 'api.amazonwebservices.com.cn', partition: 'aws-cn', dualStack: true },
  { suffix: 'amazonaws.com.cn', partition: 'aws-cn' },
  { suffix: 'amazonaws.com', partition: 'aws' },
  { suffix: 'api.aws', partition: 'aws', dualStack: true },
  { suffix: 'on.aws', partition: 'aws' },
  { suffix: 'c2s.ic.gov', partition: 'aws-iso' },
  { suffix: 'sc2s.sgov.gov', partition: 'aws-iso-b' },
  { suffix: 'cloud.adc-e.uk', partition: 'aws-iso-e' },
  { suffix: 'csp.hci.ic.gov', partition: 'aws-iso-f' },
  { suffix: 'amazonaws.eu', partition: 'aws-eusc' },
];

/** The region of each partition that its global services sign in. */
export const GLOBAL_SIGNING_REGION: Record<Partition, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
  'aws-iso': 'us-iso-east-1',
  'aws-iso-b': 'us-isob-east-1',
  'aws-iso-e': 'eu-isoe-west-1',
  'aws-iso-f': 'us-isof-south-1',
  'aws-eusc': 'eusc-de-east-1',
};

/** The DNS suffix of each partition's regional endpoints. */
export const PARTITION_DNS_SUFFIX: Record<Partition, string> = {
  aws: 'amazonaws.com',
  'aws-cn': 'amazonaws.com.cn',
  'aws-us-gov': 'amazonaws.com',
  'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov',
  'aws-iso-e': 'cloud.adc-e.uk',
  'aws-iso-f': 'csp.hci.ic.gov',
  'aws-eusc': 'amazonaws.eu',
};

/**
 * Global endpoints: a host without a region label that signs in one fixed region. From the
 * General Reference's endpoint tables ("global endpoint … signing region us-east-1").
 */
const GLOBAL_ENDPOINTS: Record<string, { service: string; region: string; note?: string }> = {
  'iam.amazonaws.com': { service: 'iam', region: 'us-east-1', note: 'IAM is a global service: its requests are signed for us-east-1.' },
  'iam.us-gov.amazonaws.com': { service: 'iam', region: 'us-gov-west-1', note: 'IAM in GovCloud signs in us-gov-west-1.' },
  'sts.amazonaws.com': { service: 'sts', region: 'us-east-1', note: 'The global STS endpoint signs in us-east-1.' },
  'route53.amazonaws.com': { service: 'route53', region: 'us-east-1', note: 'Route 53 is a global service: its requests are signed for us-east-1.' },
  'route53.us-gov.amazonaws.com': { service: 'route53', region: 'us-gov-west-1' },
  'route53.amazonaws.com.cn': { service: 'route53', region: 'cn-northwest-1' },
  'cloudfront.amazonaws.com': { service: 'cloudfront', region: 'us-east-1', note: 'CloudFront is a global service: its requests are signed for us-east-1.' },
  'globalaccelerator.amazonaws.com': { service: 'globalaccelerator', region: 'us-west-2', note: 'Global Accelerator signs in us-west-2.' },
  'waf.amazonaws.com': { service: 'waf', region: 'us-east-1' },
  'budgets.amazonaws.com': { service: 'budgets', region: 'us-east-1' },
  'importexport.amazonaws.com': { service: 'importexport', region: 'us-east-1' },
  'sdb.amazonaws.com': { service: 'sdb', region: 'us-east-1' },
  'ec2.amazonaws.com': { service: 'ec2', region: 'us-east-1' },
  'queue.amazonaws.com': { service: 'sqs', region: 'us-east-1' },
  'monitoring.amazonaws.com': { service: 'monitoring', region: 'us-east-1' },
  'elasticloadbalancing.amazonaws.com': { service: 'elasticloadbalancing', region: 'us-east-1' },
  'autoscaling.amazonaws.com': { service: 'autoscaling', region: 'us-east-1' },
  'organizations.us-east-1.amazonaws.com': { service: 'organizations', region: 'us-east-1', note: 'Organizations is a global service: its requests are signed for us-east-1.' },
  'organizations.us-gov-west-1.amazonaws.com': { service: 'organizations', region: 'us-gov-west-1' },
  'organizations.cn-northwest-1.amazonaws.com.cn': { service: 'organizations', region: 'cn-northwest-1' },
};

/**
 * Host labels whose signing name is not the label itself. Keys are the label, or `prefix.label`
 * for two-label service names (`runtime.sagemaker`).
 */
const SIGNING_NAMES: Record<string, string> = {
  email: 'ses',
  'runtime.sagemaker': 'sagemaker',
  'api.sagemaker': 'sagemaker',
  'a2i-runtime.sagemaker': 'sagemaker',
  'featurestore-runtime.sagemaker': 'sagemaker',
  'runtime.lex': 'lex',
  'models.lex': 'lex',
  'runtime-v2-lex': 'lex',
  'models-v2-lex': 'lex',
  'data.iot': 'iotdata',
  'data-ats.iot': 'iotdata',
  'api.ecr': 'ecr',
  'api.pricing': 'pricing',
  'bedrock-runtime': 'bedrock',
  'bedrock-agent-runtime': 'bedrock',
  'bedrock-agent': 'bedrock',
  'streams.dynamodb': 'dynamodb',
  'appsync-api': 'appsync',
  'catalog.marketplace': 'aws-marketplace',
  'entitlement.marketplace': 'aws-marketplace',
  'metering.marketplace': 'aws-marketplace',
  'data.mediastore': 'mediastore',
  'runtime.personalize': 'personalize',
  'aps-workspaces': 'aps',
  'portal.sso': 'awsssoportal',
  oidc: 'sso-oauth',
  'places.geo': 'geo',
  'maps.geo': 'geo',
  'routes.geo': 'geo',
  'api.detective': 'detective',
  'api.mediatailor': 'mediatailor',
  'api.iotwireless': 'iotwireless',
  'api.tunneling.iot': 'IoTSecuredTunneling',
  queue: 'sqs',
};

/** Signing names that depend on the label before the service label (a pattern, not a fixed word). */
const PREFIX_PATTERN_SIGNING_NAMES: readonly { prefix: RegExp; label: string; service: string }[] = [
  // AWS IoT Core data plane: <id>-ats.iot.<region>.amazonaws.com
  { prefix: /-ats$/, label: 'iot', service: 'iotdata' },
];

function signingName(prev: string | undefined, label: string): string {
  if (prev) {
    const exact = SIGNING_NAMES[`${prev}.${label}`];
    if (exact) return exact;
    const pattern = PREFIX_PATTERN_SIGNING_NAMES.find((p) => p.label === label && p.prefix.test(prev));
    if (pattern) return pattern.service;
  }
  return SIGNING_NAMES[label] ?? label;
}

/**
 * Hosts where the region label comes *before* the service label (`<id>.<region>.es.amazonaws.com`),
 * with the service's signing name.
 */
const REGION_FIRST_SERVICES: Record<string, string> = {
  es: 'es',
  aoss: 'aoss',
  neptune: 'neptune-db',
  rds: 'rds-db',
  redshift: 'redshift',
  queue: 'sqs',
  cache: 'elasticache',
  docdb: 'rds',
  kafka: 'kafka-cluster',
  'appsync-api': 'appsync',
};

/** S3 service labels and the signing name they use. */
const S3_LABELS: readonly { re: RegExp; service: string; note?: string }[] = [
  { re: /^s3express-control$/, service: 's3express' },
  { re: /^s3express-[a-z0-9-]+$/, service: 's3express' },
  { re: /^s3-object-lambda(-fips)?$/, service: 's3-object-lambda' },
  { re: /^s3-outposts(-fips)?$/, service: 's3-outposts' },
  { re: /^s3-control(-fips)?$/, service: 's3' },
  { re: /^s3-accesspoint(-fips)?$/, service: 's3' },
  { re: /^s3-accelerate$/, service: 's3', note: 'S3 Transfer Acceleration: sign for the bucket\'s own region.' },
  { re: /^s3-external-1$/, service: 's3' },
  { re: /^s3(-fips)?$/, service: 's3' },
  // Legacy dash-region form: bucket.s3-eu-west-1.amazonaws.com
  { re: /^s3-[a-z]{2,4}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/, service: 's3' },
];

/** Region names: `us-east-1`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`, `eusc-de-east-1`. */
export const REGION_RE = /^[a-z]{2,4}(-(gov|iso[a-z]?))?-[a-z]+-\d{1,2}$/;

/**
 * Regions that an account must opt in to (General Reference, "Managing AWS Regions"). Session
 * tokens from the *global* STS endpoint are not valid in them.
 */
export const OPT_IN_REGIONS: ReadonlySet<string> = new Set([
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1',
]);

/** Amazon Selling Partner API endpoints (SigV4, `execute-api`), from its developer guide. */
const SP_API: Record<string, string> = {
  'sellingpartnerapi-na.amazon.com': 'us-east-1',
  'sellingpartnerapi-eu.amazon.com': 'eu-west-1',
  'sellingpartnerapi-fe.amazon.com': 'us-west-2',
  'sandbox.sellingpartnerapi-na.amazon.com': 'us-east-1',
  'sandbox.sellingpartnerapi-eu.amazon.com': 'eu-west-1',
  'sandbox.sellingpartnerapi-fe.amazon.com': 'us-west-2',
};

export function partitionOfRegion(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

export function isRegionName(value: string): boolean {
  return REGION_RE.test(value);
}

/** Splits `https://host:port/path` (or a bare host) into the lower-case host and the raw path. */
function hostAndPath(input: string): { host: string; path: string } {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)/i.exec(input);
  const authority = m ? m[1]! : input.split(/[/?#]/)[0]!;
  const path = m ? m[2] ?? '' : '';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const host = (hostPort.startsWith('[') ? hostPort.slice(0, hostPort.indexOf(']') + 1) : hostPort.replace(/:\d*$/, '')).toLowerCase().replace(/\.$/, '');
  return { host, path };
}

/**
 * What an AWS host name says about signing. `input` is a URL or a bare host; returns null for a
 * host that is not an AWS endpoint (a custom domain, an IP address, localhost).
 */
export function parseAwsEndpoint(input: string): AwsEndpoint | null {
  const { host, path } = hostAndPath(input);
  if (!host) return null;

  const sp = SP_API[host];
  if (sp) return base(host, 'aws', 'execute-api', sp, { kind: 'sp-api', global: false, note: 'The Selling Partner API signs with the service name execute-api.' });
  if (/^mws(-[a-z]+)?\.amazonservices\.[a-z.]+$/.test(host)) {
    return { ...base(host, 'aws', 'mws', undefined, { kind: 'mws', global: false }), regionCertain: false, signatureVersion: 2, note: 'Amazon MWS uses Signature Version 2 (Timestamp and Signature query parameters).' };
  }

  const global = GLOBAL_ENDPOINTS[host];
  if (global) {
    return base(host, partitionOfRegion(global.region), global.service, global.region, { kind: 'global', global: true, note: global.note });
  }

  const suffix = PARTITION_SUFFIXES.find((s) => host === s.suffix || host.endsWith(`.${s.suffix}`));
  if (!suffix) return null;
  const labels = host.slice(0, host.length - suffix.suffix.length - 1).split('.').filter(Boolean);
  if (labels.length === 0) return null;
  let dualStack = suffix.dualStack ?? false;

  // Lambda function URL: <url-id>.lambda-url.<region>.on.aws
  if (suffix.suffix === 'on.aws') {
    const i = labels.indexOf('lambda-url');
    const region = labels[i + 1];
    if (i >= 1 && region && isRegionName(region)) {
      return base(host, partitionOfRegion(region), 'lambda', region, { kind: 'lambda-url', note: 'Lambda function URLs with AWS_IAM auth are signed with the service name lambda.' });
    }
    return null;
  }

  // API Gateway: <api-id>.execute-api.<region>.amazonaws.com (also <api-id>-<vpce-id>.execute-api…)
  const ea = labels.indexOf('execute-api');
  if (ea >= 1) {
    const region = labels[ea + 1];
    if (region && isRegionName(region)) {
      return base(host, partitionOfRegion(region), 'execute-api', region, { kind: 'execute-api', dualStack, note: 'API Gateway requests are signed with the service name execute-api (not apigateway).' });
    }
  }

  // VPC interface endpoints: vpce-…[.<az>].<service>.<region>.vpce.amazonaws.com
  if (labels[labels.length - 1] === 'vpce' && labels.length >= 3) {
    const region = labels[labels.length - 2]!;
    const label = labels[labels.length - 3]!;
    if (isRegionName(region)) {
      const service = SIGNING_NAMES[label] ?? label;
      return base(host, partitionOfRegion(region), service, region, { kind: 'vpce' });
    }
  }

  // S3 and its relatives.
  // The last matching label is the service: a bucket name may itself look like one (`s3.s3.…`).
  const s3Index = labels.findLastIndex((l) => S3_LABELS.some((s) => s.re.test(l)));
  if (s3Index >= 0) return parseS3(host, labels, s3Index, path, suffix.partition, dualStack);

  // Region label present?
  const r = labels.findIndex((l) => isRegionName(l));
  if (r >= 0) {
    const region = labels[r]!;
    const partition = partitionOfRegion(region);
    const after = labels.slice(r + 1);
    if (after.length > 0) {
      // <id>.<region>.<service>.amazonaws.com (OpenSearch, Neptune, RDS, Redshift, legacy SQS…)
      const label = after[0]!;
      const service = REGION_FIRST_SERVICES[label] ?? SIGNING_NAMES[label] ?? label;
      return base(host, partition, service, region, { kind: label === 'queue' ? 'legacy' : 'regional', dualStack });
    }
    let before = labels.slice(0, r);
    if (before[before.length - 1] === 'dualstack') {
      dualStack = true;
      before = before.slice(0, -1);
    }
    let fips = false;
    if (before[before.length - 1] === 'fips') {
      fips = true;
      before = before.slice(0, -1);
    }
    let label = before[before.length - 1];
    if (!label) return null;
    if (label.endsWith('-fips')) {
      fips = true;
      label = label.slice(0, -'-fips'.length);
    }
    const prev = before[before.length - 2];
    const service = signingName(prev, label);
    // IAM and Route 53 have regional-looking hosts only in some partitions; they still sign in the
    // partition's global region. Everything else signs in the region it names.
    const globalService = (service === 'iam' || service === 'route53' || service === 'cloudfront') && partition !== 'aws-cn';
    return {
      ...base(host, partition, service, globalService ? GLOBAL_SIGNING_REGION[partition] : region, { kind: globalService ? 'global' : 'regional', global: globalService, dualStack }),
      fips,
    };
  }

  // No region label: <service>.amazonaws.com with a service we do not know as global.
  const label = labels[labels.length - 1]!;
  const prev = labels[labels.length - 2];
  const service = signingName(prev, label.replace(/-fips$/, ''));
  return { ...base(host, suffix.partition, service, undefined, { kind: 'regional', dualStack }), regionCertain: false, fips: label.endsWith('-fips') };
}

function parseS3(host: string, labels: string[], i: number, path: string, partitionFromSuffix: Partition, dualStackSuffix: boolean): AwsEndpoint {
  const label = labels[i]!;
  const spec = S3_LABELS.find((s) => s.re.test(label))!;
  const rest = labels.slice(i + 1);
  let dualStack = dualStackSuffix;
  let fips = label.includes('-fips');
  let region: string | undefined;
  for (const l of rest) {
    if (l === 'dualstack') dualStack = true;
    else if (l === 'fips') fips = true;
    else if (isRegionName(l)) region = l;
  }
  const legacy = /^s3-([a-z]{2,4}(-(gov|iso[a-z]?))?-[a-z]+-\d{1,2})$/.exec(label);
  if (legacy && legacy[1] !== 'external-1') region = legacy[1];
  if (label === 's3-external-1') region = 'us-east-1';
  const vhostBucket = i > 0 ? labels.slice(0, i).join('.') : undefined;
  const accessPointOrControl = /^s3-(accesspoint|control|outposts|object-lambda)/.test(label) || label === 's3express-control';
  const firstSegment = decodeSafe(path.split('/').filter(Boolean)[0] ?? '');
  const bucket = accessPointOrControl ? undefined : (vhostBucket ?? (firstSegment || undefined));
  const accelerate = label === 's3-accelerate';
  const regionCertain = region !== undefined && !accelerate;
  const partition = region ? partitionOfRegion(region) : partitionFromSuffix;
  let note = spec.note;
  if (!region && !accelerate) {
    note = 'The S3 global endpoint (s3.amazonaws.com) accepts signatures for us-east-1 only for buckets in us-east-1; a bucket elsewhere must be signed for its own region.';
  }
  return {
    host,
    partition,
    service: spec.service,
    region: region ?? (accelerate ? undefined : GLOBAL_SIGNING_REGION[partition]),
    regionCertain,
    global: false,
    fips,
    dualStack,
    kind: 's3',
    bucket,
    s3Style: accessPointOrControl ? undefined : vhostBucket ? 'virtual-hosted' : 'path',
    signatureVersion: 4,
    note,
  };
}

function base(
  host: string,
  partition: Partition,
  service: string,
  region: string | undefined,
  extra: { kind: AwsEndpoint['kind']; global?: boolean; dualStack?: boolean; note?: string | undefined },
): AwsEndpoint {
  return {
    host,
    partition,
    service,
    region,
    regionCertain: region !== undefined,
    global: extra.global ?? false,
    fips: false,
    dualStack: extra.dualStack ?? false,
    kind: extra.kind,
    signatureVersion: 4,
    ...(extra.note ? { note: extra.note } : {}),
  };
}

function decodeSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** True for hosts that belong to AWS (used by `appliesTo`: cheap, no parsing of the rest). */
export function isAwsHost(input: string): boolean {
  return parseAwsEndpoint(input) !== null;
}

/** The regional STS endpoint for a region (the partition's DNS suffix). */
export function stsEndpointFor(region: string): string {
  const partition = partitionOfRegion(region);
  return `https://sts.${region}.${PARTITION_DNS_SUFFIX[partition]}`;
}
