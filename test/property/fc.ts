import fc from 'fast-check';

/**
 * fast-check, configured once for every property test: a fixed seed in CI (`CI` set), so a red
 * build is reproducible and a green one does not turn red on a new random draw; a random seed
 * locally, so each run explores new inputs. `FC_SEED=…` replays a failure (fast-check prints the
 * seed and the path of the shrunk counterexample in its failure message).
 *
 * Import `fc` from here, never from 'fast-check' directly, or the configuration is skipped.
 */
const fromEnv = process.env.FC_SEED !== undefined && process.env.FC_SEED !== '' ? Number(process.env.FC_SEED) : undefined;
export const FIXED_SEED = 42;
export const SEED: number | undefined = Number.isInteger(fromEnv) ? fromEnv : process.env.CI ? FIXED_SEED : undefined;

/** Cases per property: enough to find the usual bugs, small enough for 2 shared cores in CI. */
export const RUNS = Number(process.env.FC_RUNS ?? 150);

fc.configureGlobal({
  numRuns: RUNS,
  ...(SEED !== undefined ? { seed: SEED } : {}),
  // An async property that hangs must fail the test with the seed, not time out the whole file.
  interruptAfterTimeLimit: 60_000,
});

export { fc };

/** Characters that credentials are made of (base64, base64url, hex, JWT, most API key formats). */
export const CREDENTIAL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/=';

/**
 * A random secret of 12–80 credential characters. It always holds a marker that ordinary output
 * cannot contain by chance (`Zq7` then a digit run), so "the output includes the secret" can only
 * mean a leak, never a coincidence with a word of the report.
 */
export function secretArb(alphabet = CREDENTIAL_ALPHABET): fc.Arbitrary<string> {
  const unit = fc.constantFrom(...alphabet);
  return fc
    .tuple(fc.string({ unit, minLength: 4, maxLength: 36 }), fc.string({ unit, minLength: 4, maxLength: 36 }))
    .map(([a, b]) => `${a}Zq7${b}`.slice(0, 80))
    .filter((s) => s.length >= 12);
}

/** Strings that stress text handling: control characters, quotes, backslashes, unicode. */
export const hostileChar = fc.oneof(
  fc.constantFrom('"', "'", '\\', '=', ',', ';', ' ', '\t', '\n', '\r', '\0', '$', '`', '{', '}', '[', ']', ':', '@', '%', '&', '?', '#', '/', '\u00a0', '\u200b', '\ufeff', '\u202e', '…', 'é', '\ud83d\ude00', '\ud800'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
);

/** A string built from hostile characters and ordinary text, up to `max` units. */
export function hostileString(max = 60): fc.Arbitrary<string> {
  return fc.string({ unit: fc.oneof(hostileChar, fc.string({ minLength: 1, maxLength: 6 })), maxLength: max });
}
