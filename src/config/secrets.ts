import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { SecretRef } from './types.ts';

/** A secret file holds one credential; anything bigger is a wrong path (or /dev/zero). */
const MAX_SECRET_FILE_BYTES = 1024 * 1024;

export interface SecretSource {
  env: NodeJS.ProcessEnv;
  /** Directory that relative file paths are relative to: the config file's. */
  baseDir: string;
  homeDir: string;
}

/** The outcome of reading one reference: the value, or why it could not be read (never the value). */
export type SecretRead = { ok: true; value: string; fromRef: boolean } | { ok: false; reason: string };

/** `~` and `~/x` are the home directory; `~user` is not expanded (it is rare in configs and needs a passwd lookup). */
export function expandTilde(path: string, homeDir: string): string {
  if (path === '~') return homeDir;
  if (path.startsWith('~/') || path.startsWith('~\\')) return resolve(homeDir, path.slice(2));
  return path;
}

/** A config path as an absolute path: tilde expanded, relative paths against `baseDir`. */
export function configPath(path: string, baseDir: string, homeDir: string): string {
  const expanded = expandTilde(path, homeDir);
  return isAbsolute(expanded) ? expanded : resolve(baseDir, expanded);
}

export function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === 'object' && value !== null && ('env' in value || 'file' in value);
}

/**
 * Reads a secret at use time (not at load time), so that a TUI "re-read the credential" action
 * sees a rotated value. A literal string is returned as is.
 *
 * File content is kept byte for byte as UTF-8 — a trailing newline included — unless `trim: true`:
 * `echo token > file` writes one, a naive client sends it, and a rule is there to diagnose it.
 */
export async function readSecret(value: string | SecretRef, source: SecretSource): Promise<SecretRead> {
  if (typeof value === 'string') return { ok: true, value, fromRef: false };
  const trim = (text: string) => (value.trim === true ? text.trim() : text);
  if ('env' in value) {
    const text = source.env[value.env];
    if (text === undefined) return { ok: false, reason: `environment variable ${value.env} is not set` };
    return { ok: true, value: trim(text), fromRef: true };
  }
  const shown = value.file;
  const path = configPath(value.file, source.baseDir, source.homeDir);
  const where = shown === path ? path : `${shown} (${path})`;
  try {
    // stat before reading: opening a FIFO or a device would block or never end.
    const info = await stat(path);
    if (info.isDirectory()) return { ok: false, reason: `cannot read file ${where}: it is a directory` };
    if (!info.isFile()) return { ok: false, reason: `cannot read file ${where}: not a regular file` };
    if (info.size > MAX_SECRET_FILE_BYTES) return { ok: false, reason: `file ${where} is ${info.size} bytes; a secret file holds one credential (at most 1 MiB)` };
    const text = await readFile(path, { encoding: 'utf8' });
    return { ok: true, value: trim(text), fromRef: true };
  } catch (error) {
    return { ok: false, reason: `cannot read file ${where}: ${describeFsError(error)}` };
  }
}

/** The error code in words (the path is already in the message). */
function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a parent of it is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return code ?? 'unknown error';
  }
}
