/**
 * How a secret could still be read in an output, beyond appearing verbatim: percent-encoded (a URL),
 * base64-encoded with a user name (Basic), escaped for Markdown, split by a line wrap, or partly
 * (a 12-character piece of it). Each check returns a short label of the form found — never the
 * secret itself, so that a failing assertion cannot print it.
 */
export function leakForms(secret: string, user = 'alice'): [string, string][] {
  return [
    ['verbatim', secret],
    ['percent-encoded', encodeURIComponent(secret)],
    ['form-encoded', new URLSearchParams({ x: secret }).toString().slice(2)],
    ['base64 of user:secret', Buffer.from(`${user}:${secret}`).toString('base64')],
    ['base64url of user:secret', Buffer.from(`${user}:${secret}`).toString('base64url')],
  ];
}

/** Undoes what the Markdown reporter does to text: backslash escapes, entities, <br>. */
export function unMarkdown(text: string): string {
  return text
    .replace(/<br>/g, '\n')
    .replace(/\\([\\`*_[\]|~#+=.)(!-])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The labels of every way `output` reveals `secret` (empty: no leak). */
export function leaks(output: string, secret: string, user = 'alice'): string[] {
  const found: string[] = [];
  const views: [string, string][] = [
    ['as printed', output],
    ['with Markdown escapes removed', unMarkdown(output)],
    // A secret split by a line wrap is readable to anyone who joins the lines.
    ['with line breaks and indentation removed', output.replace(/\r?\n[ \t]*/g, '')],
    ['with all whitespace removed', unMarkdown(output).replace(/\s+/g, '')],
  ];
  for (const [view, text] of views) {
    for (const [form, value] of leakForms(secret, user)) {
      if (text.includes(value)) found.push(`${form} ${view}`);
    }
    // Part of a secret is a secret too (a token cut at a size limit): no 12-character window.
    for (let i = 0; i + 12 <= secret.length; i++) {
      if (text.includes(secret.slice(i, i + 12))) {
        found.push(`a 12-character piece at ${i} ${view}`);
        break;
      }
    }
  }
  return [...new Set(found)];
}

/** Masks must stay whole on one line: `…(` of a mask is always followed by its length and fingerprint. */
export function brokenMasks(output: string): number {
  let broken = 0;
  for (const line of output.split('\n')) {
    const opened = (line.match(/…\((?!\+)/g) ?? []).length;
    const whole = (line.match(/…\(\d+ chars, sha256:[0-9a-f]{8}\)/g) ?? []).length;
    broken += opened - whole;
  }
  return broken;
}
