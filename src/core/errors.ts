/**
 * Errors that end a command with a one-line message and a documented exit code (DESIGN.md §3).
 * Anything else that escapes is a bug; the CLI still prints one masked line for it.
 */
export type ExitCode = 0 | 1 | 2 | 3;

export class AuthdoctorError extends Error {
  /** Stable code for tests and scripts (`E_CURL_SYNTAX`, `E_HAR_INVALID` …). */
  readonly code: string;
  readonly exitCode: ExitCode;
  /** An extra line of advice printed under the message. */
  readonly hint?: string | undefined;
  constructor(code: string, message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AuthdoctorError';
    this.code = code;
    this.exitCode = options.exitCode ?? 2;
    this.hint = options.hint;
  }
}

/** Bad command line or input file: exit 2, nothing sent. */
export class UsageError extends AuthdoctorError {
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, { ...options, exitCode: 2 });
    this.name = 'UsageError';
  }
}

/** Bad configuration (file path and key path in the message): exit 2. */
export class ConfigError extends AuthdoctorError {
  /** Every problem found, each "file: key.path: what is wrong". */
  readonly problems: string[];
  constructor(message: string, problems: string[] = [], options: { hint?: string; cause?: unknown } = {}) {
    super('E_CONFIG', message, { ...options, exitCode: 2 });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** A plugin that could not be loaded (which plugin, why): exit 2. */
export class PluginLoadError extends AuthdoctorError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('E_PLUGIN_LOAD', message, { ...options, exitCode: 2 });
    this.name = 'PluginLoadError';
  }
}
