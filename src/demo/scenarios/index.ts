import type { AnyScenario } from '../types.ts';
import { accessDenied } from './access-denied.ts';
import { basicToBearer } from './basic-to-bearer.ts';
import { clockSkew } from './clock-skew.ts';
import { echoBasic } from './echo-basic.ts';
import { keyFileNewline } from './key-file-newline.ts';
import { oauthExpired } from './oauth-expired.ts';
import { oauthRevoked } from './oauth-revoked.ts';
import { proxyStripsAuth } from './proxy-strips-auth.ts';
import { sigv4WrongRegion } from './sigv4-wrong-region.ts';
import { wrongHeader } from './wrong-header.ts';

/** The demo scenarios, in the picker's order. */
export const SCENARIOS: readonly AnyScenario[] = [
  oauthExpired,
  oauthRevoked,
  keyFileNewline,
  wrongHeader,
  echoBasic,
  basicToBearer,
  sigv4WrongRegion,
  clockSkew,
  accessDenied,
  proxyStripsAuth,
];
