import { randomBytes } from 'node:crypto';
import { constants, lstatSync, statSync } from 'node:fs';
import { chmod, lstat, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AuthdoctorError } from './errors.ts';
import type { TokenStoreHandle } from './plugin.ts';

/**
 * The token store (DESIGN.md §4 "Nothing is lost"): where refreshed OAuth2 tokens are kept between
 * runs, opt-in through `tokenStore` in the config. One JSON file, keyed by profile:
 *
 * ```json
 * { "version": 1,
 *   "entries": { "<profile>": { "current": {…}, "previous": {…}, "confirmed": false,
 *                               "updatedAt": "…", "confirmedAt": "…" } } }
 * ```
 *
 * How "confirmed" works. A refresh writes the new tokens as `current`, unconfirmed; the last value
 * that is known to have worked stays in `previous`. Only when the request retried with the new
 * token succeeds does the session call `confirm(key)`, which drops `previous`. Writing again before
 * a confirmation keeps the same `previous` (the last confirmed value), so a chain of refreshes that
 * never worked cannot push out the last good one. `revert(key)` puts `previous` back as `current`
 * (for a new token that the API refused). `read(key)` always returns `current`: under refresh-token
 * rotation the newest refresh token is the only one the server will still honour.
 *
 * Safety: every write goes to a temporary file in the same directory (created with O_EXCL and mode
 * 0600), is fsync'ed, then renamed over the store — so a crash at any point leaves either the old
 * file or the new one, never half of one — and the directory is fsync'ed so the rename survives a
 * power cut. The store refuses a path that is a symbolic link (a link could redirect the secrets
 * to a file someone else reads) and a parent directory anyone may write to (anyone could then swap
 * the file). Values are never printed: errors name the path and the problem only.
 *
 * Writes within one process are serialised. Two processes writing at the same instant do not
 * corrupt the file (each rename is atomic), but the later one wins.
 */

export class TokenStoreError extends AuthdoctorError {
  readonly path: string;
  constructor(path: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('E_TOKEN_STORE', message, { ...options, exitCode: 2 });
    this.name = 'TokenStoreError';
    this.path = path;
  }
}

export interface TokenStoreEntry {
  current: Record<string, unknown>;
  /** The last value known to have worked, kept until `current` is confirmed. */
  previous?: Record<string, unknown> | undefined;
  confirmed: boolean;
  updatedAt: string;
  confirmedAt?: string | undefined;
}

interface TokenStoreFile {
  version: 1;
  entries: Record<string, TokenStoreEntry>;
}

export interface TokenStore extends TokenStoreHandle {
  readonly path: string;
  /** The newest value for a key (`current`), or undefined. */
  read(key: string): Promise<Record<string, unknown> | undefined>;
  /** The whole entry, with `previous` and the confirmation state. */
  readEntry(key: string): Promise<TokenStoreEntry | undefined>;
  /** Stores a new value as `current`, unconfirmed, keeping the last confirmed value as `previous`. */
  write(key: string, value: Record<string, unknown>): Promise<void>;
  /** The new value worked: drop `previous`. Does nothing for an unknown key. */
  confirm(key: string): Promise<void>;
  /** The new value did not work: make `previous` current again. Returns false when there is none. */
  revert(key: string): Promise<boolean>;
}

export interface TokenStoreOptions {
  /**
   * Called after the temporary file is written and fsync'ed, just before the rename. Tests use it
   * to interrupt a write at the worst moment; nothing else should.
   */
  beforeRename?: (tempPath: string) => void | Promise<void>;
  /** Clock for `updatedAt`/`confirmedAt` (tests inject one). */
  now?: () => Date;
}

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/**
 * Opens (does not create) the store at `path`. Checks what can be checked now — the path is not a
 * symbolic link, an existing parent directory is not writable by everyone — and again before every
 * write, since either can change while authdoctor runs.
 */
export function openTokenStore(path: string, options: TokenStoreOptions = {}): TokenStore {
  const file = resolve(path);
  const now = options.now ?? (() => new Date());
  checkPathSync(file);
  let queue: Promise<unknown> = Promise.resolve();
  /** Runs one read-modify-write at a time, so two refreshes in one session never lose each other's tokens. */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  const load = async (): Promise<TokenStoreFile> => {
    let handle;
    try {
      // O_NOFOLLOW: a symlink swapped in after the check above is refused by the kernel (ELOOP).
      handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { version: 1, entries: {} };
      if (code === 'ELOOP') throw symlinkError(file);
      throw new TokenStoreError(file, `Cannot read the token store ${file} (${code ?? 'error'}).`, { cause: error });
    }
    let text: string;
    try {
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
    if (text.trim() === '') return { version: 1, entries: {} };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Never quote the content: it holds tokens.
      throw new TokenStoreError(file, `The token store ${file} is not valid JSON.`, {
        hint: 'Move the file away (authdoctor will write a new one on the next refresh); do not paste its content anywhere, it holds tokens.',
      });
    }
    if (!isStoreFile(parsed)) {
      throw new TokenStoreError(file, `The token store ${file} does not have the expected shape ({ "version": 1, "entries": { … } }).`, {
        hint: 'Move the file away; authdoctor will write a new one on the next refresh.',
      });
    }
    return parsed;
  };

  const save = async (data: TokenStoreFile): Promise<void> => {
    const dir = dirname(file);
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    await checkPath(file);
    const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, FILE_MODE);
    let renamed = false;
    try {
      try {
        await handle.writeFile(`${JSON.stringify(data, null, 2)}\n`, 'utf8');
        // The umask may have narrowed the mode further; it must not have widened it. Set it exactly.
        await handle.chmod(FILE_MODE);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await options.beforeRename?.(temp);
      // Checked again right before the rename: rename() would replace a link rather than follow
      // it, but a link appearing here means someone is tampering with the directory.
      await checkPath(file);
      await rename(temp, file);
      renamed = true;
      await syncDirectory(dir);
    } finally {
      if (!renamed) await unlink(temp).catch(() => undefined);
    }
    // A store created by an older version or by hand may be wider; the rename replaced it, but be sure.
    await chmod(file, FILE_MODE).catch(() => undefined);
  };

  return {
    path: file,
    async read(key) {
      const data = await serial(load);
      return data.entries[key]?.current;
    },
    async readEntry(key) {
      const data = await serial(load);
      return data.entries[key];
    },
    write(key, value) {
      return serial(async () => {
        const data = await load();
        const existing = data.entries[key];
        // `previous` holds the last value that worked: the existing current one if it was confirmed,
        // otherwise whatever was already kept (a never-confirmed value is not worth keeping).
        const previous = existing ? (existing.confirmed ? existing.current : existing.previous) : undefined;
        data.entries[key] = {
          current: value,
          ...(previous ? { previous } : {}),
          confirmed: false,
          updatedAt: now().toISOString(),
        };
        await save(data);
      });
    },
    confirm(key) {
      return serial(async () => {
        const data = await load();
        const entry = data.entries[key];
        if (!entry || (entry.confirmed && !entry.previous)) return;
        data.entries[key] = { current: entry.current, confirmed: true, updatedAt: entry.updatedAt, confirmedAt: now().toISOString() };
        await save(data);
      });
    },
    revert(key) {
      return serial(async () => {
        const data = await load();
        const entry = data.entries[key];
        if (!entry?.previous) return false;
        data.entries[key] = { current: entry.previous, confirmed: true, updatedAt: now().toISOString() };
        await save(data);
        return true;
      });
    },
  };
}

function isStoreFile(value: unknown): value is TokenStoreFile {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  if (v.version !== 1 || v.entries === null || typeof v.entries !== 'object' || Array.isArray(v.entries)) return false;
  for (const entry of Object.values(v.entries as Record<string, unknown>)) {
    if (entry === null || typeof entry !== 'object') return false;
    const e = entry as Record<string, unknown>;
    if (e.current === null || typeof e.current !== 'object' || typeof e.confirmed !== 'boolean') return false;
  }
  return true;
}

function symlinkError(file: string): TokenStoreError {
  return new TokenStoreError(file, `Refusing to use the token store ${file}: it is a symbolic link.`, {
    hint: 'Point tokenStore at the real file (a link could send your tokens to a file someone else reads).',
  });
}

function worldWritableError(file: string, dir: string): TokenStoreError {
  return new TokenStoreError(file, `Refusing to use the token store ${file}: its directory ${dir} is writable by every user, so anyone could replace the file.`, {
    hint: `Keep the store in a directory only you can write to, e.g. ~/.config/authdoctor/tokens.json, or run \`chmod o-w ${dir}\`.`,
  });
}

function checkPathSync(file: string): void {
  try {
    if (lstatSync(file).isSymbolicLink()) throw symlinkError(file);
  } catch (error) {
    if (error instanceof TokenStoreError) throw error;
  }
  const dir = dirname(file);
  try {
    if ((statSync(dir).mode & 0o002) !== 0) throw worldWritableError(file, dir);
  } catch (error) {
    if (error instanceof TokenStoreError) throw error;
  }
}

async function checkPath(file: string): Promise<void> {
  const link = await lstat(file).catch(() => null);
  if (link?.isSymbolicLink()) throw symlinkError(file);
  const dir = dirname(file);
  const dirStat = await stat(dir);
  // World-writable is refused even with the sticky bit (/tmp): another user could still pre-create
  // or hold the name between runs.
  if ((dirStat.mode & 0o002) !== 0) throw worldWritableError(file, dir);
}

async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch {
    // Some file systems (and Windows) cannot fsync a directory; the rename is still atomic.
  } finally {
    await handle?.close();
  }
}
