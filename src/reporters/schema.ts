// The namespace import (zod 4's documented form) lets the bundler keep only the parts in use.
import * as z from 'zod';
import { CAUSE_IDS } from '../core/causes.ts';
import { REPORT_SCHEMA } from '../core/report.ts';

/**
 * The `authdoctor.report/v1` schema (DESIGN.md §3) as zod, so that tests and scripts can validate
 * any report. Every field the design marks as required is required here. Unknown fields are
 * allowed ("more may be added": a newer report still validates) and left out of the parsed value;
 * plain `z.object` rather than `z.looseObject` so that the inferred type matches `Report` exactly
 * (the tests check both directions).
 */

export const causeIdSchema = z.enum(CAUSE_IDS);
export const findingStatusSchema = z.enum(['fail', 'warn', 'pass', 'skip', 'error', 'timeout']);
export const confidenceSchema = z.enum(['definitive', 'likely', 'possible']);
export const schemeSchema = z.enum(['bearer', 'basic', 'api-key', 'aws-sigv4', 'oauth2', 'none', 'unknown']);

const headersSchema = z.record(z.string(), z.string());

/** One row of the well-known `canonicalDiff` evidence (SigV4 canonical request comparison). */
export const canonicalDiffRowSchema = z.object({
  element: z.string(),
  sent: z.unknown(),
  received: z.unknown(),
});

export const findingSchema = z
  .object({
    ruleId: z.string().min(1),
    plugin: z.string().min(1),
    status: findingStatusSchema,
    cause: causeIdSchema.nullable(),
    confidence: confidenceSchema.optional(),
    messageId: z.string().optional(),
    title: z.string(),
    message: z.string(),
    evidence: z.record(z.string(), z.unknown()),
    fixes: z.array(z.string()),
    actions: z.array(z.string()).optional(),
    durationMs: z.number().nonnegative().optional(),
  })
  .superRefine((finding, ctx) => {
    if (finding.status === 'fail' && (finding.cause === null || finding.cause === 'none')) {
      ctx.addIssue({ code: 'custom', path: ['cause'], message: 'a failing finding needs a cause other than "none"' });
    }
    if ((finding.status === 'pass' || finding.status === 'skip') && finding.cause !== null) {
      ctx.addIssue({ code: 'custom', path: ['cause'], message: `a ${finding.status} finding has cause null` });
    }
    const diff = finding.evidence.canonicalDiff;
    if (diff !== undefined && !canonicalDiffRowSchema.array().safeParse(diff).success) {
      ctx.addIssue({ code: 'custom', path: ['evidence', 'canonicalDiff'], message: 'canonicalDiff is an array of { element, sent, received }' });
    }
    for (const key of ['skewSeconds', 'expiredSeconds'] as const) {
      const value = finding.evidence[key];
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
        ctx.addIssue({ code: 'custom', path: ['evidence', key], message: `${key} is a number of seconds` });
      }
    }
  });

export const verdictSchema = z.object({
  cause: causeIdSchema,
  ruleId: z.string().nullable(),
  summary: z.string(),
});

export const attemptSchema = z.object({
  n: z.number().int().positive(),
  status: z.number().int().nullable(),
  cause: causeIdSchema,
  durationMs: z.number().nonnegative().optional(),
  change: z.string().optional(),
});

export const actionRecordSchema = z.object({
  id: z.string(),
  ok: z.boolean(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const reportSchema = z
  .object({
    schema: z.literal(REPORT_SCHEMA),
    tool: z.object({ name: z.literal('authdoctor'), version: z.string().min(1) }),
    mode: z.enum(['live', 'offline']),
    evaluatedAt: z.iso.datetime({ offset: true }),
    request: z.object({
      method: z.string().min(1),
      url: z.string(),
      headers: headersSchema,
      scheme: schemeSchema,
      body: z.string().optional(),
      proxy: z.object({ url: z.string(), source: z.string() }).optional(),
      insecure: z.boolean().optional(),
    }),
    response: z
      .object({
        status: z.number().int().min(100).max(999),
        statusText: z.string(),
        headers: headersSchema,
        body: z.string(),
        bodyTruncated: z.boolean().optional(),
      })
      .nullable(),
    verdict: verdictSchema,
    findings: z.array(findingSchema),
    requests: z.array(z.object({ host: z.string(), count: z.number().int().nonnegative() })),
    redirects: z
      .array(
        z.object({
          status: z.number().int(),
          from: z.string(),
          to: z.string(),
          crossOrigin: z.boolean(),
          droppedHeaders: z.array(z.string()),
        }),
      )
      .optional(),
    transportError: z
      .object({
        code: z.string(),
        message: z.string(),
        phase: z.enum(['connect', 'tls', 'request', 'response', 'body']).optional(),
      })
      .optional(),
    capture: z
      .object({
        file: z.string(),
        entryIndex: z.number().int().nonnegative(),
        entryCount: z.number().int().nonnegative(),
        creator: z.string().optional(),
        startedDateTime: z.string().optional(),
        sanitizedHeaders: z.array(z.string()),
      })
      .optional(),
    attempts: z.array(attemptSchema).optional(),
    actions: z.array(actionRecordSchema).optional(),
    profile: z.string().optional(),
  })
  .superRefine((report, ctx) => {
    // The verdict names the finding it came from; a ruleId that no finding has is a broken report.
    const ruleId = report.verdict.ruleId;
    if (ruleId !== null && !report.findings.some((f) => f.ruleId === ruleId)) {
      ctx.addIssue({ code: 'custom', path: ['verdict', 'ruleId'], message: `no finding has ruleId ${JSON.stringify(ruleId)}` });
    }
    if (report.verdict.cause === 'none' && ruleId !== null) {
      ctx.addIssue({ code: 'custom', path: ['verdict', 'ruleId'], message: 'a "none" verdict comes from no rule' });
    }
  });

export type ReportSchemaOutput = z.infer<typeof reportSchema>;
