import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach } from 'vitest';
import { ConfigError } from '../../src/core/errors.ts';

/** Absolute file URL of the repo's defineConfig, for TS configs written into temp dirs. */
export const DEFINE_URL = pathToFileURL(join(import.meta.dirname, '../../src/config/define.ts')).href;

export interface Sandbox {
  /** The temp dir everything lives in. */
  base: string;
  /** A project root: `base/repo`, marked with a `.git` directory. */
  repo: string;
  /** An empty home directory (`base/home`), so that the developer's own ~/.authdoctorrc never leaks in. */
  home: string;
  /** Writes a file (creating folders) under `base`; returns its absolute path. */
  write(relative: string, content: string): Promise<string>;
}

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

export async function sandbox(): Promise<Sandbox> {
  const base = await mkdtemp(join(tmpdir(), 'authdoctor-config-'));
  made.push(base);
  const repo = join(base, 'repo');
  const home = join(base, 'home');
  await mkdir(join(repo, '.git'), { recursive: true });
  await mkdir(home, { recursive: true });
  return {
    base,
    repo,
    home,
    async write(relative, content) {
      const path = join(base, relative);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
      return path;
    },
  };
}

/** Runs `fn` and returns the ConfigError it throws (failing the test if it throws anything else or nothing). */
export async function configError(fn: () => Promise<unknown>): Promise<ConfigError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}
