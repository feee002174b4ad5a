import { describe, expect, it } from 'vitest';
import { replaceHeader, suggestFixes, typedValue } from '../../src/ui/credential-fixes.ts';

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('suggested fixes for a damaged credential', () => {
  it.each<[string, string, string, { label: string; value: string }[]]>([
    ['a stray newline', 'Authorization', 'Bearer abc.def\n', [{ label: 'trim the stray newline', value: 'Bearer abc.def' }]],
    ['a doubled Bearer', 'Authorization', 'Bearer Bearer abc', [{ label: 'drop the doubled "Bearer"', value: 'Bearer abc' }]],
    ['quotes around the token', 'Authorization', 'Bearer "abc"', [{ label: 'remove the quotes around the credential', value: 'Bearer abc' }]],
    ['a Basic value encoded with a newline', 'Authorization', basic('user:pass\n'), [{ label: 're-encode the Basic value without the stray newline', value: basic('user:pass') }]],
    ['a JWT without its scheme word', 'Authorization', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig', [{ label: 'add the missing "Bearer " in front of the token', value: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig' }]],
    ['a quoted API key', 'X-API-Key', "'k-123'", [{ label: 'remove the quotes around the value', value: 'k-123' }]],
    ['nothing wrong', 'Authorization', 'Bearer abc', []],
  ])('%s', (_name, header, value, expected) => {
    expect(suggestFixes(header, value)).toEqual(expected);
  });

  it('fixes pile up: a newline and a doubled scheme give both steps, the last one fixing both', () => {
    const fixes = suggestFixes('Authorization', 'Bearer Bearer abc\r\n');
    expect(fixes.map((f) => f.label)).toEqual(['trim the stray carriage return and newline', 'drop the doubled "Bearer"']);
    expect(fixes.at(-1)!.value).toBe('Bearer abc');
  });
});

describe('typed values', () => {
  it('keep the scheme word of the current value unless one is typed', () => {
    expect(typedValue('Bearer old', 'new')).toBe('Bearer new');
    expect(typedValue('Bearer old', 'Basic eA==')).toBe('Basic eA==');
    expect(typedValue('k-123', 'k-456')).toBe('k-456');
  });

  it('replace the header in place, keeping its spelling and position', () => {
    expect(replaceHeader([{ name: 'Accept', value: '*/*' }, { name: 'authorization', value: 'x' }], 'Authorization', 'y')).toEqual([
      { name: 'Accept', value: '*/*' },
      { name: 'authorization', value: 'y' },
    ]);
  });
});
