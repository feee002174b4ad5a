import { describe, expect, it } from 'vitest';
import type { CheckRow, FindingView } from '../../src/core/session.ts';
import { detailLines, listedActions } from '../../src/ui/detail-lines.ts';
import { lineText } from '../../src/ui/text.ts';

function row(evidence: Record<string, unknown>, extra: Partial<FindingView> = {}): CheckRow {
  const finding: FindingView = {
    key: 'aws-sigv4/signature#0',
    ruleId: 'aws-sigv4/signature',
    plugin: 'aws-sigv4',
    status: 'fail',
    cause: 'signature_mismatch',
    confidence: 'definitive',
    title: 'Signature does not match',
    message: 'The server computed a different canonical request.',
    evidence,
    fixes: ['Sign the path exactly as sent: /bucket/a%20b.'],
    actions: ['aws-sigv4/re-sign'],
    durationMs: 3,
    ...extra,
  };
  return { key: finding.key, ruleId: finding.ruleId, plugin: finding.plugin, title: finding.title, status: finding.status, order: 0, finding };
}

describe('the detail pane', () => {
  it('lays out the SigV4 canonical diff with the differing element marked and both values', () => {
    const lines = detailLines(
      row({ canonicalDiff: [{ element: 'method', sent: 'GET', received: 'GET' }, { element: 'path', sent: '/bucket/a b', received: '/bucket/a%20b' }] }),
      [],
      80,
    );
    const text = lines.map(lineText);
    expect(text).toContain('  = method');
    expect(text).toContain('  ≠ path');
    expect(text).toContain('      sent     /bucket/a b');
    expect(text).toContain('      server   /bucket/a%20b');
    const marker = lines.find((l) => lineText(l) === '  ≠ path')!;
    expect(marker[0]).toMatchObject({ tone: 'fail', bold: true });
  });

  it('says what identical canonical requests mean', () => {
    const text = detailLines(row({ canonicalDiff: [] }), [], 80).map(lineText).join('\n');
    expect(text).toContain('The canonical requests are identical, so the secret access key');
  });

  it('reads the well-known second counts and shows cause, confidence and duration', () => {
    const text = detailLines(row({ skewSeconds: -420, exp: 1_795_849_430 }, { cause: 'clock_skew' }), [], 80).map(lineText);
    expect(text).toContain('  Clock skew (clock_skew) · definitive · 3 ms');
    expect(text).toContain('  skewSeconds: -420  (your clock is 7 min ahead of the server)');
    expect(text.some((l) => l.startsWith('  exp: 1795849430  (2026-'))).toBe(true);
  });

  it('numbers the actions, the ones the check offers first, with their direct keys', () => {
    const actions = [
      { id: 'aws-sigv4/whoami', title: 'Who am I (STS)', kind: 'inspect' as const },
      { id: 'aws-sigv4/re-sign', title: 'Re-sign the request', kind: 're-sign' as const },
    ];
    expect(listedActions(row({}).finding, actions).map((a) => a.action.id)).toEqual(['aws-sigv4/re-sign', 'aws-sigv4/whoami']);
    const text = detailLines(row({}), actions, 80).map(lineText);
    expect(text).toContain('  1 Re-sign the request  (s)  ← suggested by this check');
    expect(text).toContain('  2 Who am I (STS)');
  });
});
