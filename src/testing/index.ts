/**
 * `authdoctor/testing`: test plugin rules the way ESLint tests its rules. Documented in
 * docs/writing-plugins.md ("Testing rules").
 *
 *   import { RuleTester } from 'authdoctor/testing';
 *   new RuleTester().run('acme/key-revoked', rule, { valid: [...], invalid: [...] });
 */
export { RuleTester, RuleTesterError } from './rule-tester.ts';
export type { DescribeFunction, RuleTesterOptions, RuleTesterSuite, TestFunction } from './rule-tester.ts';
export { exchangeFrom } from './cases.ts';
export type { CaseRequest, CaseResponse, ExchangeCase, ExpectedFinding, HarCase, HeadersInit, InvalidCase, JsonBody, OrServer, TestCase, ValidCase } from './cases.ts';
export { runCase } from './run-case.ts';
export type { CaseDefaults, CaseResult, RuleNetworkUse } from './run-case.ts';
export type { CaseServer, CaseServerInfo, ReceivedRequest, AttemptRecord } from './network.ts';
export { requestSecrets, type CaseSecret } from './secrets.ts';
