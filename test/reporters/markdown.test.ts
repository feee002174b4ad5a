import { marked, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.ts';
import { codeBlock, codeSpan, escapeMarkdown, formatMarkdown } from '../../src/reporters/markdown.ts';
import { ACCESS_TOKEN, expiredTokenReport, offlineReport, signatureReport, transportFailureReport } from './fixtures.ts';

// marked (GitHub-flavoured) stands in for the ticket system that renders the output.
const html = (md: string) => marked.parse(md, { async: false, gfm: true });
/** Every table, nested ones (inside list items) included, in document order. */
const tables = (md: string) => {
  const found: Tokens.Table[] = [];
  const walk = (tokens: readonly Token[]) => {
    for (const t of tokens) {
      if (t.type === 'table') found.push(t as Tokens.Table);
      if ('items' in t && Array.isArray(t.items)) for (const item of t.items as Tokens.ListItem[]) walk(item.tokens);
      if ('tokens' in t && Array.isArray(t.tokens)) walk(t.tokens);
    }
  };
  walk(marked.lexer(md));
  return found;
};
const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const factsOf = (md: string) => {
  const [facts] = tables(md);
  return new Map(facts!.rows.map((row) => [row[0]!.text, row[1]!.text]));
};

describe('formatMarkdown', () => {
  it('titles the ticket with the verdict and quotes the summary', () => {
    const md = formatMarkdown(expiredTokenReport());
    const [title, , summary] = md.split('\n');
    expect(title).toBe('## authdoctor: Expired token (`expired_token`)');
    expect(summary).toMatch(/^> The access token Bearer eyJh…\(\d+ chars, sha256:[0-9a-f]{8}\) expired at 2026-11-28T07:00:00Z/);
  });

  it('puts the request and response facts in one two-column table', () => {
    const md = formatMarkdown(expiredTokenReport());
    const [facts] = tables(md);
    expect(facts!.header.map((c) => c.text)).toEqual(['Fact', 'Value']);
    expect(facts!.rows.every((r) => r.length === 2)).toBe(true);
    const f = factsOf(md);
    expect(f.get('Request')).toBe('`GET https://api.example.com/v1/me`');
    expect(f.get('Response')).toBe('401 Unauthorized');
    expect(f.get('Scheme')).toBe('bearer');
    expect(f.get('Diagnosed by')).toBe('`oauth2/token-expired` (definitive)');
    expect(f.get('Checks')).toBe('1 failed, 2 warnings, 2 passed, 3 skipped, 1 rule error, 1 timed out — verdict: expired\\_token');
  });

  it('lists failures and warnings with evidence in code blocks, fixes and actions', () => {
    const md = formatMarkdown(expiredTokenReport(), { actionHints: { 'oauth2/refresh-token': { kind: 'refresh' } } });
    expect(md).toContain('- ✖ **Access token is expired** (`expired_token`, definitive) — `oauth2/token-expired`');
    expect(md).toContain('  ```\n  exp: 2026-11-28T07:00:00Z\n  expiredSeconds: 10800 (expired 3 h before evaluation)\n');
    expect(md).toContain('  **Fix:**\n\n  - Refresh the access token with your refresh token');
    expect(md).toContain('  **Action:** `oauth2/refresh-token` — run again with --refresh');
    const list = marked.lexer(md).find((t): t is Tokens.List => t.type === 'list');
    expect(list!.items.map((i) => i.tokens.some((t) => t.type === 'code'))).toEqual([true, true, true]);
  });

  it('keeps rule problems in their own section and folds passes and skips away', () => {
    const md = formatMarkdown(expiredTokenReport());
    const problems = md.indexOf('### Rule problems');
    expect(problems).toBeGreaterThan(md.indexOf('### Findings'));
    expect(md.indexOf('- ! **Acme tenant check** — `acme/broken`')).toBeGreaterThan(problems);
    expect(md).toContain('<details>\n<summary>Passed (2) and skipped (3) checks</summary>\n\n- ✔ Token is a well-formed JWT — `oauth2/jwt-shape`');
  });

  it('holds the masked request and response in a collapsible section', () => {
    const md = formatMarkdown(expiredTokenReport());
    const at = md.indexOf('<details>\n<summary>Masked request and response</summary>');
    expect(at).toBeGreaterThan(0);
    const section = md.slice(at);
    expect(section).toMatch(/```http\nGET https:\/\/api\.example\.com\/v1\/me\nauthorization: Bearer eyJh…\(\d+ chars, sha256:[0-9a-f]{8}\)\n/);
    expect(section).toContain('401 Unauthorized\nwww-authenticate: Bearer realm="api", error="invalid_token"');
    expect(section).toContain('{"error":"invalid_token","error_description":"The access token expired"}');
    expect(md.includes(ACCESS_TOKEN)).toBe(false);
  });

  it('renders canonicalDiff evidence as a table, attempts and actions run', () => {
    const md = formatMarkdown(signatureReport());
    const diff = tables(md).find((t) => t.header[0]!.text === 'element');
    expect(diff!.rows.map((r) => r.map((c) => c.text))).toEqual([
      ['`path`', '`/bucket/key.txt`', '`/bucket/key%2Etxt`'],
      ['`header:host`', '`s3.eu-west-1.amazonaws.com`', '`s3.amazonaws.com`'],
    ]);
    expect(md).toContain('### Attempts\n\n`#1 403 signature_mismatch 312 ms → #2 200 none 95 ms`\n\n- #2: re-signed for region eu-west-1');
    expect(md).toContain('- ✔ `aws-sigv4/re-sign` — Re-signed the request for eu-west-1/s3.');
    expect(formatMarkdown(signatureReport([]))).toContain('_None — The canonical requests are identical');
  });

  it('reports a transport failure without a response', () => {
    const md = formatMarkdown(transportFailureReport());
    expect(md.split('\n')[0]).toBe('## authdoctor: No HTTP response (`unknown`)');
    expect(factsOf(md).get('Response')).toBe('no response — ECONNREFUSED during connect: connect ECONNREFUSED 127.0.0.1:9');
    expect(md).toContain('```http\nno response — ECONNREFUSED');
  });

  it('says when the capture tool removed headers', () => {
    const md = formatMarkdown(offlineReport());
    expect(md).toContain('> ⚠ The tool that wrote this capture removed `authorization`, `cookie`');
    expect(factsOf(md).get('Requests sent by authdoctor')).toBe('none (offline analysis)');
  });

  it('escapes hostile values from the exchange: pipes, HTML, backticks, fences', () => {
    const report: Report = expiredTokenReport();
    report.response!.statusText = 'Unauthorized | <script>alert(1)</script>';
    report.request.url = 'https://api.example.com/a|b?q=`x`';
    const f = report.findings[0]!;
    f.title = 'Use `x` and ``y`` here';
    f.message = '<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1))\n# heading\n- item';
    f.evidence = { hint: '```\n</details>\n<script>alert(3)</script>' };
    f.fixes = ['Run `printf "%s" $TOKEN | wc -c` and compare.'];
    report.response!.body = 'oops ```` fence </details><script>alert(2)</script>';
    report.response!.headers['x-note'] = 'a|b';
    const md = formatMarkdown(report);
    const out = html(md);

    expect(out.toLowerCase().includes('<script')).toBe(false);
    expect(out.toLowerCase().includes('<img')).toBe(false);
    expect(out.includes('javascript:alert(1)"')).toBe(false);
    expect(out.includes('<strong>bold</strong>')).toBe(false);
    expect(out.includes('<h1')).toBe(false);

    // The pipe stays inside its cell; the values read back unchanged.
    const facts = factsOf(md);
    const [table] = tables(md);
    expect(table!.rows.every((r) => r.length === 2)).toBe(true);
    expect(decode(marked.parseInline(facts.get('Response')!, { async: false }))).toBe('401 Unauthorized | <script>alert(1)</script>');
    expect(marked.parseInline(facts.get('Request')!, { async: false })).toBe('<code>GET https://api.example.com/a|b?q=`x`</code>');

    // Backticks in the title are literal; the fix's code span is text, not a code span.
    expect(out).toContain('<strong>Use `x` and ``y`` here</strong>');
    expect(out).toContain('Run `printf &quot;%s&quot; $TOKEN | wc -c` and compare.');

    // The fenced blocks outlast every fence in the values, so the <details> sections stay whole.
    expect(out.match(/<details>/g)).toHaveLength(2);
    expect(out.match(/<\/details>/g)).toHaveLength(2);
    expect(out).toContain('oops ```` fence &lt;/details&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(out).toContain('<pre><code>hint: |\n  ```\n  &lt;/details&gt;\n  &lt;script&gt;alert(3)&lt;/script&gt;\n</code></pre>');
  });

  it('does not throw on an empty report', () => {
    expect(() => formatMarkdown({} as Report)).not.toThrow();
    const report = expiredTokenReport();
    report.findings = [];
    const md = formatMarkdown(report);
    expect(md).toContain('_No failing or warning checks._');
    expect(md.includes('Passed (')).toBe(false);
  });

  it('caps huge evidence values', () => {
    const report = expiredTokenReport();
    report.findings[0]!.evidence = { blob: 'y'.repeat(50_000) };
    const md = formatMarkdown(report);
    expect(md).toMatch(/blob: y{300}…\(\+49700 chars\)/);
    expect(md.length).toBeLessThan(15_000);
  });
});

describe('markdown escaping helpers', () => {
  it('escapes inline punctuation and HTML but leaves ordinary words readable', () => {
    expect(escapeMarkdown('a_b *c* [d](e) <f> | g & h')).toBe('a\\_b \\*c\\* \\[d\\](e) &lt;f&gt; \\| g &amp; h');
    expect(escapeMarkdown('# not a heading\n1. not a list')).toBe('\\# not a heading<br>1\\. not a list');
    expect(escapeMarkdown('2026-11-28')).toBe('2026-11-28');
  });

  it('fences code spans and blocks beyond the longest backtick run', () => {
    expect(codeSpan('a ` b')).toBe('``a ` b``');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
    expect(codeSpan('a|b', true)).toBe('`a\\|b`');
    expect(codeBlock('x\n`````\ny', 'http')).toEqual(['``````http', 'x', '`````', 'y', '``````']);
  });
});
