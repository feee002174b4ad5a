import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTokenStore, TokenStoreError } from '../../src/core/token-store.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'authdoctor-store-'));
  await chmod(dir, 0o700);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SECRET = 'at-0123456789-very-secret-access-token';

describe('token store', () => {
  it('writes a store file with mode 0600 and reads the value back', async () => {
    const store = openTokenStore(join(dir, 'tokens.json'));
    await store.write('work', { accessToken: SECRET, refreshToken: 'rt-1' });
    const info = await stat(join(dir, 'tokens.json'));
    expect(info.mode & 0o777).toBe(0o600);
    expect(await store.read('work')).toEqual({ accessToken: SECRET, refreshToken: 'rt-1' });
    expect(await store.read('other')).toBeUndefined();
  });

  it('creates a missing parent directory as 0700', async () => {
    const nested = join(dir, 'config', 'authdoctor');
    const store = openTokenStore(join(nested, 'tokens.json'));
    await store.write('p', { accessToken: 'a' });
    expect((await stat(nested)).mode & 0o777).toBe(0o700);
  });

  it('keeps the previous value until the new one is confirmed', async () => {
    const store = openTokenStore(join(dir, 'tokens.json'));
    await store.write('p', { accessToken: 'first' });
    await store.confirm('p');
    await store.write('p', { accessToken: 'second' });
    let entry = await store.readEntry('p');
    expect(entry?.current).toEqual({ accessToken: 'second' });
    expect(entry?.previous).toEqual({ accessToken: 'first' });
    expect(entry?.confirmed).toBe(false);

    // A further refresh that was never confirmed does not push out the last good value.
    await store.write('p', { accessToken: 'third' });
    entry = await store.readEntry('p');
    expect(entry?.previous).toEqual({ accessToken: 'first' });

    await store.confirm('p');
    entry = await store.readEntry('p');
    expect(entry?.current).toEqual({ accessToken: 'third' });
    expect(entry?.previous).toBeUndefined();
    expect(entry?.confirmed).toBe(true);
  });

  it('reverts to the previous value when the new one did not work', async () => {
    const store = openTokenStore(join(dir, 'tokens.json'));
    await store.write('p', { accessToken: 'good' });
    await store.confirm('p');
    await store.write('p', { accessToken: 'bad' });
    expect(await store.revert('p')).toBe(true);
    expect(await store.read('p')).toEqual({ accessToken: 'good' });
    expect(await store.revert('p')).toBe(false);
  });

  it('keeps entries of other profiles when one is written', async () => {
    const store = openTokenStore(join(dir, 'tokens.json'));
    await Promise.all([store.write('a', { accessToken: 'A' }), store.write('b', { accessToken: 'B' }), store.write('c', { accessToken: 'C' })]);
    expect(await store.read('a')).toEqual({ accessToken: 'A' });
    expect(await store.read('b')).toEqual({ accessToken: 'B' });
    expect(await store.read('c')).toEqual({ accessToken: 'C' });
  });

  it('leaves the old file intact when a write is interrupted between temp file and rename', async () => {
    const path = join(dir, 'tokens.json');
    const good = openTokenStore(path);
    await good.write('p', { accessToken: 'old' });
    await good.confirm('p');
    const before = await readFile(path, 'utf8');

    const crashing = openTokenStore(path, {
      beforeRename: () => {
        throw new Error('simulated crash before rename');
      },
    });
    await expect(crashing.write('p', { accessToken: 'new' })).rejects.toThrow('simulated crash');
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(await good.read('p')).toEqual({ accessToken: 'old' });
    // The aborted temp file is cleaned up.
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves the old file intact when the writing process is killed before the rename', async () => {
    const path = join(dir, 'tokens.json');
    const store = openTokenStore(path);
    await store.write('p', { accessToken: 'old' });
    const before = await readFile(path, 'utf8');

    // A real process that dies (SIGKILL: no cleanup at all) after fsync'ing the temp file.
    const storeModule = fileURLToPath(new URL('../../src/core/token-store.ts', import.meta.url));
    const script = `
      const { openTokenStore } = await import(${JSON.stringify(storeModule)});
      const store = openTokenStore(${JSON.stringify(path)}, { beforeRename: () => process.kill(process.pid, 'SIGKILL') });
      await store.write('p', { accessToken: 'new' });
    `;
    const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('exit', (_code, sig) => resolve(sig));
    });
    expect(signal).toBe('SIGKILL');
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(await store.read('p')).toEqual({ accessToken: 'old' });
    // The temp file the dead process left behind is ignored, and the next write still works.
    expect((await readdir(dir)).some((f) => f.endsWith('.tmp'))).toBe(true);
    await store.write('p', { accessToken: 'newer' });
    expect(await store.read('p')).toEqual({ accessToken: 'newer' });
  });

  it('refuses a store path that is a symbolic link', async () => {
    const target = join(dir, 'elsewhere.json');
    await writeFile(target, JSON.stringify({ version: 1, entries: {} }));
    const link = join(dir, 'tokens.json');
    await symlink(target, link);
    expect(() => openTokenStore(link)).toThrow(TokenStoreError);
    expect(() => openTokenStore(link)).toThrow(/symbolic link/);
  });

  it('refuses a symbolic link that appears after the store was opened', async () => {
    const link = join(dir, 'tokens.json');
    const store = openTokenStore(link);
    const target = join(dir, 'elsewhere.json');
    await writeFile(target, JSON.stringify({ version: 1, entries: {} }));
    await symlink(target, link);
    await expect(store.read('p')).rejects.toThrow(/symbolic link/);
    await expect(store.write('p', { accessToken: SECRET })).rejects.toThrow(/symbolic link/);
    expect((await readFile(target, 'utf8')).includes(SECRET)).toBe(false);
  });

  it('refuses a parent directory that everyone can write to', async () => {
    const open = join(dir, 'shared');
    await mkdir(open);
    await chmod(open, 0o777);
    expect(() => openTokenStore(join(open, 'tokens.json'))).toThrow(/writable by every user/);
    const sticky = join(dir, 'sticky');
    await mkdir(sticky);
    await chmod(sticky, 0o1777);
    expect(() => openTokenStore(join(sticky, 'tokens.json'))).toThrow(/writable by every user/);
  });

  it('reports a corrupt store without quoting its content', async () => {
    const path = join(dir, 'tokens.json');
    await writeFile(path, `{"version":1,"entries":{"p":{"current":{"accessToken":"${SECRET}"`, { mode: 0o600 });
    const store = openTokenStore(path);
    const error = await store.read('p').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenStoreError);
    expect((error as Error).message.includes(SECRET)).toBe(false);
    expect((error as Error).message).toMatch(/not valid JSON/);
  });
});
