import { parse as shellParse } from 'shell-quote';
import { UsageError } from '../core/errors.ts';

/**
 * Turns a pasted command line (`curl -H 'a: b' \⏎ https://…`) into an argv array.
 *
 * Word splitting, quote removal and `$VAR` expansion are shell-quote's (`parse`). A small pre-pass
 * handles what shell-quote does not do, or does differently from bash, for text people paste:
 *
 * - it silently drops an unterminated quote (we must reject it: the request would be wrong);
 * - it does not know line continuations (`\`⏎, PowerShell's `` ` ``⏎);
 * - it starts a comment at any unquoted `#`, even inside a word (`https://x/#frag`), and then
 *   swallows the rest of the input, including the following lines;
 * - it cannot tell a newline that ends a command from whitespace;
 * - command substitution (`$(…)`, backticks) needs a shell we do not run.
 *
 * Windows `cmd.exe` text (Chrome's "Copy as cURL (cmd)": `^"…^"` and `^`⏎ continuations) follows
 * other rules entirely — caret escapes and the MSVC argv quoting curl.exe sees — which shell-quote
 * does not implement, so that dialect has its own small tokenizer below.
 */

export type Env = Record<string, string | undefined>;

interface ScanState {
  quote: 'none' | 'single' | 'double' | 'ansi';
  openedAt: number;
}

function lineCol(text: string, index: number): string {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const col = index - before.lastIndexOf('\n');
  return `line ${line} col ${col}`;
}

/** True when the text is Windows cmd.exe syntax: caret continuations or caret-escaped quotes. */
export function looksLikeCmd(text: string): boolean {
  // Only a caret outside bash quotes counts: in `-d '^⏎'` or `-H "x: '^"` it is data of a bash
  // command. cmd.exe text meets its first `^"` or `^`⏎ before any bash quote opens.
  let quote: 'none' | 'single' | 'double' = 'none';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === 'single') {
      if (c === "'") quote = 'none';
    } else if (quote === 'double') {
      if (c === '\\') i++;
      else if (c === '"') quote = 'none';
    } else if (c === '^') {
      const next = text[i + 1];
      if (next === '"' || next === '\n' || (next === '\r' && text[i + 2] === '\n')) return true;
    } else if (c === '\\') i++;
    else if (c === "'") quote = 'single';
    else if (c === '"') quote = 'double';
  }
  return false;
}

/**
 * The bash pre-pass (see the module comment). Returns the text with continuations and comments
 * removed and mid-word `#` escaped, ready for shell-quote.
 */
function prepareBash(text: string): { text: string; breaks: number[] } {
  let out = '';
  /** Offsets in `out` of newlines outside quotes: where one shell command line ends. */
  const breaks: number[] = [];
  const state: ScanState = { quote: 'none', openedAt: 0 };
  let wordStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (state.quote === 'single') {
      out += c;
      if (c === "'") state.quote = 'none';
      continue;
    }
    if (state.quote === 'ansi') {
      out += c;
      if (c === '\\' && next !== undefined) {
        out += next;
        i++;
      } else if (c === "'") state.quote = 'none';
      continue;
    }
    if (state.quote === 'double') {
      if (c === '\\' && (next === '\n' || (next === '\r' && text[i + 2] === '\n'))) {
        i += next === '\r' ? 2 : 1;
        continue;
      }
      if (c === '\\' && next === '`') {
        // bash: \` inside double quotes is a literal backtick; shell-quote would keep the backslash.
        out += next;
        i++;
        continue;
      }
      if (c === '\\' && next !== undefined) {
        out += c + next;
        i++;
        continue;
      }
      if (c === '`') throw substitutionError(text, i);
      if (c === '$' && next === '(') throw substitutionError(text, i);
      out += c;
      if (c === '"') state.quote = 'none';
      continue;
    }
    // Unquoted.
    if ((c === '\\' || c === '`') && (next === '\n' || (next === '\r' && text[i + 2] === '\n'))) {
      // Line continuation: the backslash (bash) or backtick (PowerShell) and the newline vanish.
      i += next === '\r' ? 2 : 1;
      continue;
    }
    if (c === '\\' && next !== undefined) {
      out += c + next;
      i++;
      wordStart = false;
      continue;
    }
    if (c === '\\') continue; // a lone backslash at the very end: nothing to escape
    if (c === "'") {
      state.quote = 'single';
      state.openedAt = i;
      out += c;
      wordStart = false;
      continue;
    }
    if (c === '$' && next === "'") {
      state.quote = 'ansi';
      state.openedAt = i;
      out += "$'";
      i++;
      wordStart = false;
      continue;
    }
    if (c === '"') {
      state.quote = 'double';
      state.openedAt = i;
      out += c;
      wordStart = false;
      continue;
    }
    if (c === '`') throw substitutionError(text, i);
    if (c === '$' && next === '(') throw substitutionError(text, i);
    if (c === '#') {
      if (wordStart) {
        // A comment runs to the end of the line; the line break itself stays.
        while (i + 1 < text.length && text[i + 1] !== '\n') i++;
        continue;
      }
      out += '\\#'; // bash reads a `#` inside a word literally; shell-quote would start a comment
      continue;
    }
    if (c === '\n' || c === '\r') {
      if (c === '\n') breaks.push(out.length);
      out += ' ';
      wordStart = true;
      continue;
    }
    wordStart = c === ' ' || c === '\t' || c === ';' || c === '|' || c === '&' || c === '(' || c === ')';
    out += c;
  }
  if (state.quote !== 'none') {
    const kind = state.quote === 'double' ? 'double quote (")' : "single quote (')";
    throw new UsageError('E_CURL_SYNTAX', `The curl command has an unterminated ${kind} opened at ${lineCol(text, state.openedAt)}.`, {
      hint: 'Close the quote, or paste the whole command again: a quote inside a single-quoted value is written as \'\\\'\'.',
    });
  }
  return { text: out, breaks };
}

function substitutionError(text: string, index: number): UsageError {
  return new UsageError(
    'E_CURL_SUBSTITUTION',
    `The curl command uses command substitution ($(…) or backticks) at ${lineCol(text, index)}; authdoctor does not run a shell.`,
    { hint: 'Run the inner command yourself and paste its output, or export it first and write "$NAME".' },
  );
}

/** `${NAME:-default}` and `${NAME-default}` as bash has them; other forms keep their literal text. */
function lookup(env: Env, key: string): string {
  const value = env[key];
  if (value !== undefined) return value;
  const withDefault = /^([A-Za-z_][A-Za-z0-9_]*)(:?)-(.*)$/s.exec(key);
  if (withDefault) {
    const [, name, colon, fallback] = withDefault as unknown as [string, string, string, string];
    const v = env[name];
    if (v === undefined || (colon === ':' && v === '')) return fallback;
    return v;
  }
  // Unset: keep the placeholder text so that a rule can say "an unexpanded $TOKEN was sent".
  return key === '' ? '$' : `$${/^[A-Za-z_][A-Za-z0-9_]*$|^[0-9@*#?$!-]$/.test(key) ? key : `{${key}}`}`;
}

const OPERATOR_ADVICE: Record<string, string> = {
  '|': 'a pipe (|)',
  '||': 'an "or" list (||)',
  '&&': 'an "and" list (&&)',
  ';': 'a command separator (;)',
  ';;': 'a case terminator (;;)',
  '&': 'a background operator (&)',
  '>': 'an output redirection (>)',
  '>>': 'an output redirection (>>)',
  '<': 'an input redirection (<)',
  '>&': 'a redirection (>&)',
  '<(': 'a process substitution (<(…))',
  '(': 'a subshell or command substitution',
  ')': 'a subshell or command substitution',
};

function operatorError(op: string): UsageError {
  const what = OPERATOR_ADVICE[op] ?? `the shell operator ${op}`;
  return new UsageError('E_CURL_SHELL_OPERATOR', `The pasted text contains ${what}; paste only the curl command itself (authdoctor does not run a shell).`, {
    hint: 'Remove everything after the curl arguments, e.g. "| jq" or "> out.json".',
  });
}

function bashToArgv(text: string, env: Env): string[] {
  const prepared = prepareBash(text);
  // A newline outside quotes ends a command in a shell. A following line that starts with a flag
  // or a URL is almost always a continuation whose backslash was lost in copying, so it is joined;
  // anything else would be a second command, which authdoctor refuses rather than guess.
  const lines: string[] = [];
  let start = 0;
  for (const at of [...prepared.breaks, prepared.text.length]) {
    lines.push(prepared.text.slice(start, at));
    start = at;
  }
  const argv: string[] = [];
  lines.forEach((line, index) => {
    let parsed;
    try {
      parsed = shellParse(line, (key: string) => lookup(env, key));
    } catch (error) {
      // shell-quote throws for `${}` and unbalanced `${`; its message quotes only the bad part.
      throw new UsageError('E_CURL_SYNTAX', `The curl command has a bad variable reference: ${(error as Error).message.replace(/^Bad substitution: /, '')}.`, {
        hint: 'Write variables as $NAME or ${NAME}.',
      });
    }
    const words: string[] = [];
    for (const entry of parsed) {
      if (typeof entry === 'string') words.push(entry);
      else if ('op' in entry && entry.op === 'glob') words.push(entry.pattern);
      else if ('op' in entry) throw operatorError(entry.op);
      // Comments were removed by the pre-pass; shell-quote reports none.
    }
    if (words.length === 0) return;
    if (index > 0 && argv.length > 0 && !/^(?:-|https?:\/\/)/i.test(words[0] ?? '')) {
      throw new UsageError('E_CURL_MULTIPLE_COMMANDS', 'The pasted text has more than one command (a new line that does not start with a flag); paste a single curl command.', {
        hint: 'End every line but the last with a backslash (\\) when a command spans several lines.',
      });
    }
    argv.push(...words);
  });
  return argv;
}

/**
 * cmd.exe: `^` escapes the next character (and `^`⏎ continues the line), `%NAME%` expands; then
 * curl.exe splits its command line with the MSVC rules: whitespace separates arguments outside
 * double quotes, `\"` is a literal quote, backslashes are literal unless they precede a quote.
 */
function cmdToArgv(text: string, env: Env): string[] {
  const chars: { c: string; escaped: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '^') {
      const next = text[i + 1];
      if (next === '\n' || (next === '\r' && text[i + 2] === '\n')) {
        i += next === '\r' ? 2 : 1;
        continue;
      }
      if (next !== undefined) {
        chars.push({ c: next, escaped: true });
        i++;
      }
      continue;
    }
    chars.push({ c, escaped: false });
  }
  // %NAME% expansion on unescaped percent signs; an unset name stays literal, like cmd.exe does.
  let expanded = '';
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as { c: string; escaped: boolean };
    if (ch.c === '%' && !ch.escaped) {
      let j = i + 1;
      let name = '';
      while (j < chars.length && (chars[j] as { c: string }).c !== '%' && /[A-Za-z0-9_]/.test((chars[j] as { c: string }).c)) {
        name += (chars[j] as { c: string }).c;
        j++;
      }
      const closing = chars[j];
      if (name && closing && closing.c === '%' && !closing.escaped && env[name] !== undefined) {
        expanded += env[name];
        i = j;
        continue;
      }
    }
    expanded += ch.c;
  }
  const argv: string[] = [];
  let current = '';
  let inWord = false;
  let inQuotes = false;
  for (let i = 0; i < expanded.length; i++) {
    const c = expanded[i] as string;
    if (c === '\\') {
      let n = 0;
      while (expanded[i + n] === '\\') n++;
      if (expanded[i + n] === '"') {
        current += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) current += '"';
        else inQuotes = !inQuotes;
        i += n;
      } else {
        current += '\\'.repeat(n);
        i += n - 1;
      }
      inWord = true;
      continue;
    }
    if (c === '"') {
      inQuotes = !inQuotes;
      inWord = true;
      continue;
    }
    if (!inQuotes && /\s/.test(c)) {
      if (inWord) argv.push(current);
      current = '';
      inWord = false;
      continue;
    }
    if (!inQuotes && (c === '|' || c === '>' || c === '<' || c === '&')) throw operatorError(c);
    current += c;
    inWord = true;
  }
  if (inQuotes) {
    throw new UsageError('E_CURL_SYNTAX', 'The curl command has an unterminated double quote (").', {
      hint: 'Close the quote, or copy the command again.',
    });
  }
  if (inWord) argv.push(current);
  return argv;
}

/** Splits a pasted command into argv (the leading `curl`, if any, is kept). */
export function tokenizeCommand(command: string, env: Env = {}): string[] {
  const text = command.replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    throw new UsageError('E_CURL_EMPTY', 'The curl command is empty.', { hint: "Pass the whole command, e.g. --curl 'curl https://api.example.com/v1/me -H \"Authorization: Bearer $TOKEN\"'." });
  }
  return looksLikeCmd(text) ? cmdToArgv(text, env) : bashToArgv(text, env);
}
