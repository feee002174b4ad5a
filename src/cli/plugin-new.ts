import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError, type ExitCode } from '../core/errors.ts';
import { BUILTIN_PLUGINS } from '../plugins/builtin.ts';
import { VERSION } from '../version.ts';
import { helpFor, splitArgs, type OptionSpec } from './args.ts';
import { out } from './output.ts';

const OPTIONS: readonly OptionSpec[] = [
  { name: 'dir', value: true, valueName: 'PATH', description: 'create the plugin in PATH instead of ./NAME' },
  { name: 'help', short: 'h', description: 'show this help' },
];

export const PLUGIN_HELP = `Usage: authdoctor plugin new NAME [--dir PATH]

Create a plugin folder ./NAME (or PATH) with:
  index.ts            the plugin: definePlugin({ name: 'NAME', rules: [errorCode] })
  error-code.ts       a rule that reads the API's error code from a JSON error body
  error-code.test.ts  its tests, with RuleTester from authdoctor/testing (run: node --test)
  README.md           how to load it, test it and publish it
  package.json        "type": "module", authdoctor as a peer dependency

NAME is the plugin's name (rule ids are NAME/<rule>): lower-case letters, digits, "-", "." and
"_", like an npm package name. An existing folder that is not empty is never overwritten.

Options:
${helpFor(OPTIONS)}

Example:
  authdoctor plugin new acme && cd acme && node --test`;

/** npm's rules for a package name, minus the scope (a plugin name is also a folder name). */
const NAME = /^[a-z0-9][a-z0-9._-]*$/;
const PACKAGE_PREFIX = 'authdoctor-plugin-';

export function validatePluginName(name: string): string {
  if (name.startsWith('@')) {
    throw new UsageError('E_USAGE', `"${name}" is a scoped package name; give the plugin's own name (authdoctor plugin new ${name.split('/').pop() ?? 'NAME'}), and set the scope in its package.json when you publish.`);
  }
  if (!NAME.test(name) || name.length > 214) {
    throw new UsageError('E_USAGE', `"${name}" is not a valid plugin name: use lower-case letters, digits, "-", "." and "_", starting with a letter or a digit (like an npm package name).`);
  }
  const plugin = pluginNameOf(name);
  if (plugin.length === 0) throw new UsageError('E_USAGE', `"${name}" has nothing after "${PACKAGE_PREFIX}": name the plugin, e.g. ${PACKAGE_PREFIX}acme.`);
  if (BUILTIN_PLUGINS.some((b) => b.name === plugin)) {
    throw new UsageError('E_USAGE', `"${plugin}" is the name of a built-in plugin; its rule ids would clash. Choose another name, e.g. ${plugin}-extra.`);
  }
  return plugin;
}

/** `authdoctor-plugin-acme` → `acme`: the package name carries the prefix, the plugin does not. */
function pluginNameOf(name: string): string {
  return name.startsWith(PACKAGE_PREFIX) ? name.slice(PACKAGE_PREFIX.length) : name;
}

export async function runPlugin(argv: readonly string[]): Promise<ExitCode> {
  const [sub, ...tail] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    out(`${PLUGIN_HELP}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'new') throw new UsageError('E_USAGE', `Unknown subcommand "plugin ${sub}". Did you mean "plugin new NAME"?`);
  const { options, rest } = splitArgs(tail, OPTIONS);
  if (options.help) {
    out(`${PLUGIN_HELP}\n`);
    return 0;
  }
  const unknown = rest.find((a) => a.startsWith('-'));
  if (unknown) throw new UsageError('E_USAGE', `Unknown option "${unknown}" for plugin new. Run "authdoctor plugin new --help".`);
  if (rest.length === 0) throw new UsageError('E_USAGE', 'plugin new needs a NAME: authdoctor plugin new NAME [--dir PATH].');
  if (rest.length > 1) throw new UsageError('E_USAGE', `plugin new takes one NAME (got ${rest.map((r) => `"${r}"`).join(', ')}).`);
  const name = rest[0]!;
  const plugin = validatePluginName(name);
  const dir = path.resolve(process.cwd(), typeof options.dir === 'string' ? options.dir : name);
  const shown = path.relative(process.cwd(), dir) || '.';
  await claimFolder(dir, shown);
  const loadPath = `./${path.relative(process.cwd(), path.join(dir, 'index.ts')).split(path.sep).join('/')}`.replace(/^\.\/\.\.\//, '../');
  const files = scaffold(name, plugin, loadPath);
  try {
    for (const [file, content] of Object.entries(files)) await writeFile(path.join(dir, file), content, { flag: 'wx' });
  } catch (error) {
    // Leave nothing half-made behind: the folder was created (or empty) a moment ago.
    for (const file of Object.keys(files)) await rm(path.join(dir, file), { force: true });
    throw error;
  }
  const rel = (f: string) => path.join(shown, f);
  const width = Math.max(...Object.keys(files).map((f) => rel(f).length));
  const describe: Record<string, string> = {
    'index.ts': 'the plugin',
    'error-code.ts': `the rule ${plugin}/error-code`,
    'error-code.test.ts': 'its RuleTester tests (node:test)',
    'README.md': 'how to load, test and publish it',
    'package.json': 'type: module, authdoctor as a peer dependency',
  };
  const lines = [
    `Created the plugin "${plugin}" in ${shown}${path.sep}:`,
    ...Object.keys(files).map((f) => `  ${rel(f).padEnd(width)}  ${describe[f] ?? ''}`),
    '',
    'Next:',
    `  1. Load it: add plugins: ['${loadPath}'] to your authdoctor config.`,
    `  2. Run its tests: cd ${shown} && node --test   (needs authdoctor installed: npm install --save-dev authdoctor)`,
    `  3. Put your API's error codes into ${rel('error-code.ts')}, then: authdoctor explain ${plugin}/error-code`,
  ];
  out(`${lines.join('\n')}\n`);
  return 0;
}

/** Creates the folder, or accepts an empty one; anything else is refused, never overwritten. */
async function claimFolder(dir: string, shown: string): Promise<void> {
  const existing = await stat(dir).catch(() => null);
  if (existing && !existing.isDirectory()) throw new UsageError('E_EXISTS', `${shown} already exists and is a file; refusing to overwrite it. Choose another NAME or --dir PATH.`);
  if (existing && (await readdir(dir)).length > 0) throw new UsageError('E_EXISTS', `${shown} already exists and is not empty; refusing to overwrite it. Choose another NAME or --dir PATH.`);
  await mkdir(dir, { recursive: true });
}

/** The files of a new plugin, by name; `loadPath` is how a config next to the current directory names index.ts. */
export function scaffold(name: string, plugin: string, loadPath = `./${name}/index.ts`): Record<string, string> {
  const pkg = name.startsWith(PACKAGE_PREFIX) ? name : `${PACKAGE_PREFIX}${name}`;
  return {
    'index.ts': indexTs(plugin, loadPath),
    'error-code.ts': errorCodeTs(),
    'error-code.test.ts': testTs(plugin),
    'README.md': readme(plugin, pkg, loadPath),
    'package.json': `${JSON.stringify(
      {
        name: pkg,
        version: '0.1.0',
        description: `authdoctor rules for ${plugin}: why its API rejects a request.`,
        type: 'module',
        private: true,
        exports: './index.ts',
        keywords: ['authdoctor', 'authdoctor-plugin'],
        scripts: { test: 'node --test' },
        peerDependencies: { authdoctor: `^${VERSION}` },
      },
      null,
      2,
    )}\n`,
  };
}

function indexTs(plugin: string, loadPath: string): string {
  return `/**
 * The ${plugin} plugin for authdoctor. Load it from your authdoctor config:
 *
 *   plugins: ['${loadPath}']
 *
 * Add one file per rule and list it in \`rules\`; \`authdoctor rules list\` shows what is loaded.
 */
import { definePlugin } from 'authdoctor';
import errorCode from './error-code.ts';

export default definePlugin({
  name: '${plugin}',
  description: "What ${plugin}'s error answers mean, and how to fix them.",
  rules: [errorCode],
});
`;
}

function errorCodeTs(): string {
  return `/**
 * The API's own error code, read from its JSON error body, turned into the cause it documents.
 *
 * Many APIs answer a rejected request with the bearer-token error codes of RFC 6750 §3.1
 * (https://www.rfc-editor.org/rfc/rfc6750#section-3.1) in the body, either flat —
 * {"error": "insufficient_scope", "scope": "orders:write"} — or nested —
 * {"error": {"code": "invalid_token", "message": "…"}}. ERROR_CODES starts with those two codes;
 * add the codes YOUR API documents (with a link to where it documents them), and drop the ones it
 * does not use.
 */
import { defineRule } from 'authdoctor';
import type { Confidence, FailureCause, RuleContext } from 'authdoctor';

interface ErrorCode {
  cause: FailureCause;
  /**
   * 'definitive' when the code names the cause exactly; 'likely' when it is certain the request
   * was refused but the code covers several causes (the verdict then prefers a more specific
   * finding of another rule).
   */
  confidence: Confidence;
  messageId: string;
  /** What the code means, for the message. */
  meaning: string;
  /** What to do, as a full sentence with the exact thing to change. */
  fix: (details: { scope?: string | undefined }) => string;
}

export const ERROR_CODES: Record<string, ErrorCode> = {
  // RFC 6750 §3.1: "expired, revoked, malformed, or invalid for other reasons" — refused for sure,
  // but which of those is not said, so other rules (e.g. oauth2/token-expired) may be more specific.
  invalid_token: {
    cause: 'invalid_credentials',
    confidence: 'likely',
    messageId: 'invalid-token',
    meaning: 'the access token is expired, revoked, malformed or otherwise invalid',
    fix: () => 'Get a new access token (refresh it, or sign in again) and send it as \`Authorization: Bearer <token>\`.',
  },
  // RFC 6750 §3.1: "the request requires higher privileges than provided by the access token";
  // the server may name the scope it needs in a "scope" field.
  insufficient_scope: {
    cause: 'insufficient_permissions',
    confidence: 'definitive',
    messageId: 'insufficient-scope',
    meaning: 'the token is valid but lacks the scope this request needs',
    fix: ({ scope }) => (scope ? \`Request a token that includes the scope \${scope} (add it to the scope parameter of your authorization request), or ask an administrator to grant it.\` : 'Request a token with the scope this endpoint needs (the API reference lists it), or ask an administrator to grant it.'),
  },
};

interface ApiError {
  code: string;
  description?: string | undefined;
  scope?: string | undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** {"error": "code", "error_description": "…"} or {"error": {"code": "…", "message": "…"}}. */
function apiError(ctx: RuleContext<any>): ApiError | null {
  const body = ctx.helpers.responseJson();
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const b = body as Record<string, unknown>;
  if (typeof b.error === 'string') return { code: b.error, description: text(b.error_description), scope: text(b.scope) };
  if (b.error && typeof b.error === 'object' && !Array.isArray(b.error)) {
    const e = b.error as Record<string, unknown>;
    const code = text(e.code);
    return code ? { code, description: text(e.message), scope: text(e.scope) ?? text(b.scope) } : null;
  }
  return null;
}

export default defineRule({
  meta: {
    id: 'error-code',
    title: "The API's error code",
    description: "Reads the API's error code from a JSON error body (RFC 6750 codes, and the API's own) and reports the cause it documents.",
    causes: ['invalid_credentials', 'insufficient_permissions'],
  },
  appliesTo: (ctx) => ctx.response !== null,
  check(ctx) {
    const error = apiError(ctx);
    const known = error ? ERROR_CODES[error.code] : undefined;
    // An error code on a successful response is not a rejection: leave it alone.
    if (!error || !known || (ctx.response?.status ?? 0) < 400) return [];
    const said = error.description ? \` ("\${error.description}")\` : '';
    return [
      {
        status: 'fail',
        cause: known.cause,
        confidence: known.confidence,
        messageId: known.messageId,
        message: \`The API answered \${ctx.response?.status} with error code \${error.code}\${said}: \${known.meaning}\${error.scope ? \` (it needs the scope \${error.scope})\` : ''}.\`,
        evidence: { code: error.code, ...(error.scope ? { scope: error.scope } : {}) },
        fixes: [known.fix({ scope: error.scope })],
      },
    ];
  },
});
`;
}

function testTs(plugin: string): string {
  return `/**
 * Tests for ${plugin}/error-code with authdoctor's RuleTester. Run them with \`node --test\` (Node
 * 22.18+ runs TypeScript directly). With vitest, import describe and it from 'vitest' instead.
 */
import { describe, it } from 'node:test';
import { RuleTester } from 'authdoctor/testing';
import errorCode from './error-code.ts';

// node:test does not put describe/it in the global scope, so RuleTester is told which to use.
RuleTester.describe = describe;
RuleTester.it = it;

const request = { url: 'https://api.example.com/v1/orders', headers: { Authorization: 'Bearer tok_4f9a1c7e2b8d6053e1a9' } };

new RuleTester({ plugin: '${plugin}' }).run('${plugin}/error-code', errorCode, {
  valid: [
    { name: 'a successful call', request, response: { status: 200, body: { orders: [] } } },
    { name: 'an error code the rule does not know', request, response: { status: 429, body: { error: 'rate_limited' } } },
  ],
  invalid: [
    {
      name: 'insufficient_scope names the missing scope',
      request: { ...request, method: 'POST' },
      response: { status: 403, body: { error: 'insufficient_scope', error_description: 'Missing scope', scope: 'orders:write' } },
      findings: [{ cause: 'insufficient_permissions', messageId: 'insufficient-scope', confidence: 'definitive', evidence: { code: 'insufficient_scope', scope: 'orders:write' } }],
    },
    {
      name: 'invalid_token in a nested error object',
      request,
      response: { status: 401, body: { error: { code: 'invalid_token', message: 'The access token expired' } } },
      findings: [{ cause: 'invalid_credentials', messageId: 'invalid-token', confidence: 'likely' }],
    },
  ],
});
`;
}

function readme(plugin: string, pkg: string, loadPath: string): string {
  return `# ${plugin} — an authdoctor plugin

Rules that tell why the ${plugin} API rejected a request, for [authdoctor](https://www.npmjs.com/package/authdoctor).

| rule | what it checks |
| --- | --- |
| \`${plugin}/error-code\` | the API's error code in a JSON error body (\`{"error": "insufficient_scope"}\`, \`{"error": {"code": "invalid_token"}}\`) and the cause it documents |

## Use it

Add the plugin to your authdoctor config (\`authdoctor.config.ts\`, \`.authdoctorrc\` …). The path is
relative to the config file; this one assumes the config is in the folder where
\`authdoctor plugin new\` was run:

\`\`\`ts
import { defineConfig } from 'authdoctor';

export default defineConfig({
  plugins: ['${loadPath}'],
});
\`\`\`

Or put this folder inside the folder your config names as \`rulesDir\`: each sub-folder with an
\`index.ts\` is loaded. TypeScript loads without a build step (Node 22.18+ or 24).

\`authdoctor rules list\` shows the plugin and where it was loaded from;
\`authdoctor explain ${plugin}/error-code\` prints what the rule checks.

## Test it

The tests use authdoctor's \`RuleTester\` (\`authdoctor/testing\`) under \`node:test\`:

\`\`\`sh
npm install --save-dev authdoctor   # once, in the project that holds this folder
node --test                          # in this folder (or: npm test)
\`\`\`

Each \`valid\` case is an exchange the rule must accept, each \`invalid\` case one it must report,
with the findings expected by \`cause\` and \`messageId\`. The tester fails a case whose findings show a
credential of the request in clear, and denies network access unless the case declares a local
\`server\`. With vitest, import \`describe\` and \`it\` from \`vitest\` instead of \`node:test\`.

## Make it yours

- Put the error codes your API documents into \`ERROR_CODES\` in \`error-code.ts\`, with a link to
  where the API documents each one, and a test case for each.
- One rule per file; list each in \`index.ts\`. Every failing finding has a \`cause\`, a
  \`confidence\` and a \`messageId\`; fixes are full sentences with the exact thing to change.

The plugin API, the context a rule receives and how to publish this folder as the npm package
\`${pkg}\` are in authdoctor's docs/writing-plugins.md. Publish compiled JavaScript (Node does not
strip types inside node_modules), and keep \`authdoctor\` a peer dependency.
`;
}
