import type { Scenario } from '../types.ts';
import { s3Api, s3Client, setupS3, type S3State } from './s3-api.ts';

/** The client's clock runs 20 minutes behind: outside SigV4's 15-minute window. */
const CLOCK_OFFSET_MS = -20 * 60_000;

export const clockSkew: Scenario<S3State> = {
  name: 'clock-skew',
  title: 'Client clock 20 minutes behind',
  summary: "The client's clock is 20 minutes behind AWS's.",
  story: [
    'This client\'s clock runs 20 minutes behind; the demo sets it for authdoctor alone, not for your machine. The signature carries that time in X-Amz-Date. AWS accepts 15 minutes either way, so S3 answers 403 RequestTimeTooSkewed with the request time and its own.',
    'In real life: synchronise the clock with NTP (timedatectl set-ntp true, sntp, w32tm /resync). Here: re-sign with the offset the server\'s time shows. The SDKs do the same after RequestTimeTooSkewed.',
  ],
  modelledOn: 'Amazon S3 RequestTimeTooSkewed (RequestTime, ServerTime, MaxAllowedSkewMilliseconds); SigV4\'s 15-minute window',
  intended: { cause: 'clock_skew' },
  fix: [{ keys: 's', how: 're-sign with the clock corrected by the measured skew; 200 (in real life, sync the clock with NTP)' }],
  setup: (cloud) => setupS3(cloud, { user: 'ci-runner', region: 'us-east-1', allowed: true }),
  handle: s3Api,
  client: (ctx, state) => s3Client(ctx, state, { region: 'us-east-1', clockOffsetMs: CLOCK_OFFSET_MS }),
};
