import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import example from '../../authdoctor.config.example.ts';
import { loadConfig, validateConfig } from '../../src/config/index.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { damage, stringPaths } from './damage.ts';
import { fc, hostileString, secretArb } from './fc.ts';

/**
 * A config file is written by hand. For any content the loader returns a validated config or
 * throws ConfigError (file and key path in every problem line) — never a TypeError, never a
 * stack trace, and never the value of a secret that was mistyped.
 */

const FILE = '/project/authdoctor.config.json';

function outcome(run: () => unknown): 'config' | 'error' {
  try {
    run();
    return 'config';
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.problems.length).toBeGreaterThan(0);
    for (const p of error.problems) expect(p.startsWith(FILE)).toBe(true);
    return 'error';
  }
}

const exampleJson = JSON.parse(JSON.stringify(example)) as unknown;

describe('config validation, property-based', () => {
  it('any value yields a config or a ConfigError', () => {
    fc.assert(fc.property(fc.anything({ maxDepth: 4, withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true, withSparseArray: true }), (value) => { outcome(() => validateConfig(value, FILE)); }));
  });

  it('the example config with any one value damaged yields a config or a ConfigError naming the place', () => {
    const seen = { config: 0, error: 0 };
    fc.assert(
      fc.property(fc.nat(), fc.oneof(fc.anything({ maxDepth: 2 }), fc.constantFrom(undefined, null, '', 0, -1, 1.5, [], {}, 'off', 'x', { env: 'X' }, { file: '~/x' }, { env: 'X', file: 'y' })), (pick, value) => {
        seen[outcome(() => validateConfig(damage(structuredClone(exampleJson), pick, value), FILE))]++;
      }),
    );
    expect(seen.config).toBeGreaterThan(0);
    expect(seen.error).toBeGreaterThan(0);
  });

  it('never quotes a secret value that sits in a wrong place', () => {
    const paths = stringPaths(exampleJson).filter((p) => p[0] === 'profiles');
    fc.assert(
      fc.property(secretArb(), fc.nat(), fc.constantFrom('replace', 'wrap', 'rename'), (secret, pick, how) => {
        const doc = structuredClone(exampleJson) as Record<string, unknown>;
        const at = paths[pick % paths.length]!;
        const parent = at.slice(0, -1).reduce<Record<string | number, unknown>>((node, k) => node[k] as Record<string | number, unknown>, doc as Record<string | number, unknown>);
        const key = at.at(-1)!;
        // A secret where a URL, an enum or a header name belongs; inside an unknown secret-ref key;
        // or a secret whose key is misspelt (`pasword`).
        if (how === 'replace') parent[key] = secret;
        else if (how === 'wrap') parent[key] = { env: 'X', valeu: secret };
        else parent[`${String(key)}x`] = secret;
        try {
          validateConfig(doc, FILE);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          expect(error.message.includes(secret)).toBe(false);
          expect(error.problems.some((p) => p.includes(secret))).toBe(false);
        }
      }),
    );
  });

  it('any bytes in a JSON or YAML config file yield a config or a ConfigError', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'authdoctor-prop-config-'));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('.authdoctorrc.json', '.authdoctorrc.yaml', '.authdoctorrc'),
        fc.oneof(hostileString(200), fc.string({ unit: 'binary', maxLength: 200 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), fc.constantFrom('profiles:\n  a: &x\n    proxy: *x\n', 'a: !!js/function "x"', '%YAML 9.9\n---\n', '{"profiles": {"a": {"request": {"url": 1}}}}')),
        async (name, text) => {
          const file = path.join(dir, name);
          writeFileSync(file, text);
          try {
            await loadConfig({ cwd: dir, configPath: file, homeDir: dir });
          } catch (error) {
            if (!(error instanceof ConfigError)) throw error;
            expect(error.message.length).toBeGreaterThan(0);
            expect(error.message).not.toMatch(/\n\s+at .+:\d+:\d+/);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
