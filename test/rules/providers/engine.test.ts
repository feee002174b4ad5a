import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnose, matchEntries, optional, parseStructured, renderTemplate, resolvePath, type EngineInput, type Matcher, type ProviderPack } from '../../../rules/providers/engine.ts';
import { PACKS } from '../../../rules/providers/packs.ts';

const input = (over: Partial<EngineInput> = {}): EngineInput => ({
  method: 'GET',
  url: 'https://api.example.com/v1/things',
  requestHeaders: [],
  status: 401,
  responseHeaders: [],
  body: '',
  ...over,
});

const pack = (entries: ProviderPack['entries'], extra: Partial<ProviderPack> = {}): ProviderPack => ({ provider: 'Example', ...extra, entries });
const entry = (id: string, match: Matcher, more: Partial<ProviderPack['entries'][number]> = {}): ProviderPack['entries'][number] => ({
  id,
  match,
  cause: 'invalid_credentials',
  title: 't',
  message: 'm',
  fixes: ['Fix it.'],
  source: 'https://example.com/docs',
  ...more,
});

describe('resolvePath', () => {
  const doc = { error: { code: 7, details: [{ reason: 'A' }, { reason: 'B', metadata: { x: 1 } }] } };

  it('follows keys and fans out over arrays', () => {
    expect(resolvePath(doc, 'error.code')).toEqual([7]);
    expect(resolvePath(doc, 'error.details[].reason')).toEqual(['A', 'B']);
    expect(resolvePath(doc, 'error.details[].metadata.x')).toEqual([1]);
    expect(resolvePath(doc, 'error.details.1.reason')).toEqual(['B']);
    expect(resolvePath([{ errorCode: 'X' }], '[].errorCode')).toEqual(['X']);
  });

  it('yields nothing for missing keys, wrong types and prototype names', () => {
    expect(resolvePath(doc, 'error.nope')).toEqual([]);
    expect(resolvePath(doc, 'error.code.deeper')).toEqual([]);
    expect(resolvePath('text', 'a')).toEqual([]);
    expect(resolvePath({}, 'constructor')).toEqual([]);
    expect(resolvePath(doc, 'error[].code')).toEqual([]);
  });

  it('visits a bounded number of nodes on huge arrays', () => {
    const big = { items: Array.from({ length: 200_000 }, (_, i) => ({ v: i })) };
    expect(resolvePath(big, 'items[].v').length).toBeLessThanOrEqual(10_000);
  });
});

describe('parseStructured', () => {
  it('reads JSON, XML, and nothing else', () => {
    expect(parseStructured('{"a":1}')).toEqual({ a: 1 });
    expect(parseStructured('<?xml version="1.0"?><Error><Code>X</Code></Error>')).toMatchObject({ Error: { Code: 'X' } });
    expect(parseStructured('<html><body>no</body></html>')).toBeUndefined();
    expect(parseStructured('plain text')).toBeUndefined();
    expect(parseStructured('{broken')).toBeUndefined();
  });
});

describe('renderTemplate', () => {
  it('fills names and keeps or drops sections', () => {
    expect(renderTemplate('a {{x}} b', { x: '1' })).toBe('a 1 b');
    expect(renderTemplate('a{{#x}} has {{x}}{{/x}}.', { x: 'X' })).toBe('a has X.');
    expect(renderTemplate('a{{#x}} has {{x}}{{/x}}.', {})).toBe('a.');
    expect(renderTemplate('{{^x}}none{{/x}}{{#x}}{{x}}{{/x}}', {})).toBe('none');
    expect(renderTemplate('{{x}}', { x: 'line\nbreak   and  spaces' })).toBe('line break and spaces');
    expect(renderTemplate('{{#a}}A{{#b}} and {{b}}{{/b}}.{{/a}}', { a: '1', b: 'B' })).toBe('A and B.');
    expect(renderTemplate('{{#a}}A{{#b}} and {{b}}{{/b}}.{{/a}}', { a: '1' })).toBe('A.');
  });

  it('caps long captured values', () => {
    expect(renderTemplate('{{x}}', { x: 'y'.repeat(1000) }).length).toBeLessThanOrEqual(300);
  });
});

describe('matchEntries', () => {
  it('reports only the first matching entry of a group', () => {
    const p = pack([
      entry('ex/specific', { field: 'error', equals: 'bad' }, { group: 'g', cause: 'expired_token' }),
      entry('ex/generic', { field: 'error', exists: true }, { group: 'g' }),
      entry('ex/other', { field: 'error', exists: true }),
    ]);
    const ids = matchEntries([p], input({ body: '{"error":"bad"}' })).map((m) => m.entry.id);
    expect(ids).toEqual(['ex/specific', 'ex/other']);
  });

  it('applies host patterns, the fingerprint and statuses', () => {
    const p = pack([entry('ex/e', { field: 'error', exists: true }, { status: 401 })], { hosts: ['*.example.com'], fingerprint: { header: 'x-example', exists: true } });
    const body = '{"error":"x"}';
    expect(matchEntries([p], input({ body }))).toHaveLength(1);
    expect(matchEntries([p], input({ body, url: 'https://example.com/' }))).toHaveLength(0);
    expect(matchEntries([p], input({ body, url: 'https://other.test/' }))).toHaveLength(0);
    expect(matchEntries([p], input({ body, url: 'https://other.test/', responseHeaders: [{ name: 'X-Example', value: '1' }] }))).toHaveLength(1);
    expect(matchEntries([p], input({ body, status: 403 }))).toHaveLength(0);
  });

  it('captures named groups, whole values and optional parts', () => {
    const p = pack([
      entry('ex/c', {
        all: [
          { field: 'message', matches: /^User (?<principal>\w+) may not (?<action>\w+)$/ },
          { header: 'x-scope', capture: 'scope' },
          optional({ header: 'x-missing', capture: 'missing' }),
        ],
      }),
    ]);
    const [m] = matchEntries([p], input({ body: '{"message":"User bob may not read"}', responseHeaders: [{ name: 'X-Scope', value: 'repo' }] }));
    expect(m?.captures).toEqual({ principal: 'bob', action: 'read', scope: 'repo' });
  });

  it('compares captured lists with disjoint', () => {
    const p = pack([entry('ex/d', { all: [{ header: 'have', capture: 'have' }, { header: 'want', capture: 'want' }, { disjoint: ['have', 'want'] }] })]);
    const headers = (have: string, want: string) => [
      { name: 'have', value: have },
      { name: 'want', value: want },
    ];
    expect(matchEntries([p], input({ responseHeaders: headers('repo, user', 'admin:org') }))).toHaveLength(1);
    expect(matchEntries([p], input({ responseHeaders: headers('repo, admin:org', 'admin:org') }))).toHaveLength(0);
    expect(matchEntries([p], input({ responseHeaders: headers('', 'repo') }))).toHaveLength(1);
  });

  it('turns a `none` cause into a warning without a cause', () => {
    const p = pack([entry('ex/quota', { field: 'code', equals: 'quota' }, { cause: 'none' })]);
    const [f] = diagnose([p], input({ body: '{"code":"quota"}' }));
    expect(f).toMatchObject({ status: 'warn', cause: null, messageId: 'ex/quota' });
  });
});

describe('the engine on garbage', () => {
  const garbage: [string, string][] = [
    ['a huge body', '{"error":"' + 'x'.repeat(5_000_000) + '"}'],
    ['a huge non-JSON body', 'A'.repeat(3_000_000)],
    ['deeply nested JSON', '['.repeat(200_000) + ']'.repeat(200_000)],
    ['deeply nested JSON objects', '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000)],
    ['deeply nested XML', '<a>'.repeat(20_000) + '</a>'.repeat(20_000)],
    ['broken XML', '<Error><Code>AuthenticationFailed<Code><AuthenticationErrorDetail>'],
    ['binary', String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => i % 256))],
    ['JSON of the wrong types', '{"error":{"code":{"x":[1,2,{"y":null}]},"details":"not-an-array","message":42},"errors":{"a":1},"kind":7}'],
    ['an array of nulls', '[null,null,1,"x"]'],
    ['only whitespace', '   \n\t  '],
  ];

  for (const [name, body] of garbage) {
    it(`does not throw on ${name}`, () => {
      for (const status of [200, 400, 401, 403, 404, 500]) {
        for (const url of ['https://api.github.com/user', 'https://x.blob.core.windows.net/c', 'https://k8s.local:6443/api', 'not a url']) {
          expect(() => diagnose(PACKS, input({ body, status, url }))).not.toThrow();
        }
      }
    });
  }

  it('never throws for arbitrary bodies, headers and URLs', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.json(), fc.constantFrom('{"kind":"Status","status":"Failure","reason":"Forbidden","message":"', '<Error><Code>')),
        fc.integer({ min: 100, max: 599 }),
        fc.array(fc.tuple(fc.string(), fc.string()), { maxLength: 5 }),
        fc.oneof(fc.webUrl(), fc.string()),
        (body, status, headers, url) => {
          const hs = headers.map(([name, value]) => ({ name, value }));
          diagnose(PACKS, input({ body, status, url, responseHeaders: hs, requestHeaders: hs }));
        },
      ),
      { numRuns: 300 },
    );
  });
});
