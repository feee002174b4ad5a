import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { peekTarget, runTui, withoutOptions } from '../../src/cli/tui.ts';
import { UsageError } from '../../src/core/errors.ts';
import { jwt, startApi, type Api } from './fixtures.ts';

let api: Api;
let dir: string;

beforeAll(async () => {
  api = await startApi();
  dir = await mkdtemp(path.join(tmpdir(), 'authdoctor-tui-cli-'));
  await writeFile(path.join(dir, '.authdoctorrc.json'), '{}');
});
afterAll(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs `authdoctor tui …` with stdout (not) a terminal, capturing what it writes. */
async function tui(argv: string[], stdoutIsTty: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const wasTty = process.stdout.isTTY;
  Object.defineProperty(process.stdout, 'isTTY', { value: stdoutIsTty, configurable: true });
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  try {
    const code = await runTui(argv);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    Object.defineProperty(process.stdout, 'isTTY', { value: wasTty, configurable: true });
  }
}

describe('authdoctor tui without a terminal', () => {
  it('prints the check text report instead, says why on stderr, and exits like check', async () => {
    const token = jwt(-600);
    const { code, stdout, stderr } = await tui([`${api.origin}/v1/me`, '-H', `Authorization: Bearer ${token}`, '--config', path.join(dir, '.authdoctorrc.json'), '--watch', '--interval', '5'], false);
    expect(stderr).toContain('stdout is not a terminal, so "tui" prints the check report instead');
    expect(stdout).toContain('401');
    expect(stdout.includes(token)).toBe(false);
    expect(code).toBe(1);
  });

  it('--help prints the tui usage', async () => {
    const { code, stdout } = await tui(['--help'], false);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: authdoctor tui');
    expect(stdout).toContain('--interval SECONDS');
  });

  it('refuses a bad --interval before anything is sent', async () => {
    await expect(tui(['http://127.0.0.1:1/', '--interval', 'soon'], false)).rejects.toThrow(UsageError);
  });
});

describe('argv helpers', () => {
  it('drops the tui-only options when handing over to check', () => {
    expect(withoutOptions(['URL', '--watch', '--interval', '5', '-H', 'a: b', '--interval=3', '--', '--watch'], new Set(['watch', 'interval']))).toEqual(['URL', '-H', 'a: b', '--', '--watch']);
  });

  it('peeks at the target for the first frame, masking secrets in the URL', () => {
    expect(peekTarget({}, ['https://api.test/v1/me?api_key=abcdefghijklmnop', '-X', 'post'])).toMatchObject({ method: 'POST', mode: 'unknown' });
    expect(peekTarget({}, ['https://api.test/v1/me?api_key=abcdefghijklmnop']).url).not.toContain('abcdefghijklmnop');
    expect(peekTarget({ curl: "curl -X DELETE 'https://api.test/x'" }, [])).toMatchObject({ method: 'DELETE', url: 'https://api.test/x' });
    expect(peekTarget({ har: 'c.har' }, [])).toMatchObject({ mode: 'offline', describe: 'c.har (HAR capture, offline)' });
    expect(peekTarget({ profile: 'billing' }, [])).toMatchObject({ profile: 'billing', describe: 'profile billing' });
  });
});
