import { processRedactor } from '../core/redact.ts';

/**
 * The only way the CLI writes to the terminal: every line passes the process redactor, so no
 * secret reaches stdout or stderr in clear, whatever code produced the text.
 */
export function out(text: string): void {
  process.stdout.write(processRedactor.text(text));
}

export function err(text: string): void {
  process.stderr.write(processRedactor.text(text));
}
