import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/demo/scenarios/index.ts';
import { runCli } from '../helpers/cli.ts';

/* The command around the demo: listing, bad usage, and what happens without a terminal. */

describe('authdoctor demo (the command)', () => {
  it('--list prints every scenario with what to expect and the keys that fix it, and starts nothing', async () => {
    const result = await runCli(['demo', '--list']);
    expect(result.code).toBe(0);
    for (const s of SCENARIOS) {
      expect(result.stdout).toContain(s.name);
      expect(result.stdout).toContain(`expect ${s.intended.cause}`);
    }
    expect(result.stdout).toContain('fix: r, then Esc 2');
    expect(result.stdout).toContain('fix: e Enter or r');
    expect(result.stdout).toContain('expect proxy_auth (check with --probe)');
  });

  it('names the scenarios when asked for one that does not exist (exit 2)', async () => {
    const result = await runCli(['demo', '--scenario', 'nope', '--check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('There is no demo scenario "nope"');
    expect(result.stderr).toContain('oauth-expired');
  });

  it('refuses --check without a scenario, check options without --check, and a URL (exit 2)', async () => {
    for (const args of [['demo', '--check'], ['demo', '--format', 'json'], ['demo', 'https://api.example.com']]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^authdoctor: /);
    }
  });

  it('without a terminal and without a scenario, says why and lists the scenarios', async () => {
    const result = await runCli(['demo']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('stdout is not a terminal, so "demo" cannot open its screen');
    expect(result.stdout).toContain('oauth-expired');
  });

  it('without a terminal and with a scenario, prints its check report instead of the screen', async () => {
    const result = await runCli(['demo', '--scenario', 'echo-basic']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('prints the check report of echo-basic instead');
    expect(result.stdout).toContain('malformed_credentials');
    expect(result.stdout).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/echo-basic\/v1\/me/);
  }, 40_000);

  it('is in the main help', async () => {
    const result = await runCli(['--help']);
    expect(result.stdout).toMatch(/^ {2}demo {12}/m);
  });
});
