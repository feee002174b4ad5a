/**
 * How a config problem is written (`<file>: <key.path>: <what is wrong>`) and what counts as a path
 * in `plugins`. Shared by validation (schema.ts) and profile resolution (resolve.ts); kept apart from
 * schema.ts so that resolving a profile does not load zod.
 */

/** `profiles.stripe.request.headers["X Bad"]`, `plugins[0]`, `rules.oauth2/token-expired`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const text = String(segment);
      if (/^[A-Za-z0-9_$@/-]+$/.test(text)) out += out === '' ? text : `.${text}`;
      else out += `[${JSON.stringify(text)}]`;
    }
  }
  return out;
}

export function problem(file: string, path: readonly PropertyKey[], message: string): string {
  return path.length === 0 ? `${file}: ${message}` : `${file}: ${formatPath(path)}: ${message}`;
}

/** Plugin entries that are files rather than package names: `./x`, `../x`, `/x`, `~/x`, `C:\x`. */
export function isPathLike(entry: string): boolean {
  return /^(\.{1,2}([/\\]|$)|[/\\]|~([/\\]|$)|[A-Za-z]:[/\\]|file:)/.test(entry);
}
