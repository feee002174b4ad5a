import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type TestServer } from '../helpers/server.ts';
import { runCli } from '../helpers/cli.ts';

/** Every kind of bad input: one clear line (no stack trace) and the documented exit code. */
let dir: string;
let silent: TestServer;
let huge: TestServer;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'authdoctor-bad-'));
  await writeFile(path.join(dir, 'not-har.json'), JSON.stringify({ hello: 'world' }));
  await writeFile(path.join(dir, 'not-json.har'), '{ this is not json');
  await writeFile(path.join(dir, 'empty.har'), JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: [] } }));
  await writeFile(path.join(dir, 'unknown-key.json'), JSON.stringify({ profiles: {}, colour: 'blue' }));
  await writeFile(path.join(dir, 'wrong-type.json'), JSON.stringify({ timeouts: { connect: 'soon' } }));
  await writeFile(path.join(dir, 'syntax.json'), '{ "profiles": { ');
  await writeFile(path.join(dir, 'throws.ts'), 'throw new Error("acme plugin needs ACME_URL");\nexport default {};\n');
  await writeFile(path.join(dir, 'plugin-throws.json'), JSON.stringify({ plugins: ['./throws.ts'] }));
  await writeFile(path.join(dir, 'short-timeout.json'), JSON.stringify({ timeouts: { connect: 2000, response: 300 } }));
  silent = await startServer(() => { /* never answers */ });
  huge = await startServer((_req, res) => { res.writeHead(401, { 'Content-Type': 'text/plain' }); res.end(Buffer.alloc(3 * 1024 * 1024, 'x')); });
});
afterAll(async () => { await silent.close(); await huge.close(); });

const cases: [string, () => Promise<string[]> | string[], number, RegExp][] = [
  ['a malformed curl command', () => ['check', '--curl', "curl -H 'Authorization: Bearer abc https://api.example.com"], 2, /quote/i],
  ['an unsupported curl flag', () => ['check', '--curl', 'curl --frobnicate https://api.example.com'], 2, /--frobnicate/],
  ['a JSON file that is not HAR', () => ['check', '--har', path.join(dir, 'not-har.json')], 2, /not a HAR/i],
  ['a file that is not JSON', () => ['check', '--har', path.join(dir, 'not-json.har')], 2, /not JSON/i],
  ['a HAR without entries', () => ['check', '--har', path.join(dir, 'empty.har')], 2, /no entries/i],
  ['a missing HAR file', () => ['check', '--har', path.join(dir, 'nope.har')], 2, /nope\.har/],
  ['a config with an unknown key', () => ['check', '--config', path.join(dir, 'unknown-key.json'), 'http://127.0.0.1:9/'], 2, /unknown-key\.json.*colour/s],
  ['a config with a wrong type', () => ['check', '--config', path.join(dir, 'wrong-type.json'), 'http://127.0.0.1:9/'], 2, /wrong-type\.json.*timeouts\.connect/s],
  ['a config with a syntax error', () => ['check', '--config', path.join(dir, 'syntax.json'), 'http://127.0.0.1:9/'], 2, /syntax\.json/],
  ['a plugin that throws at import', () => ['check', '--config', path.join(dir, 'plugin-throws.json'), 'http://127.0.0.1:9/'], 2, /throws\.ts failed to load: acme plugin needs ACME_URL/],
  ['no input at all', () => ['check'], 2, /Nothing to diagnose/],
  ['two inputs', () => ['check', 'https://a.example', '--har', 'x.har'], 2, /one input/],
  ['an unknown format', () => ['check', '--har', 'x.har', '--format', 'yaml'], 2, /--format must be/],
  ['an unknown command', () => ['frobnicate'], 2, /unknown command "frobnicate"/],
  ['a port nobody listens on', async () => ['check', `http://127.0.0.1:${await freePort()}/v1/me`], 3, /refused/i],
  ['a server that never answers', () => ['check', '--config', path.join(dir, 'short-timeout.json'), `${silent.origin}/v1/me`], 3, /Timed out/],
];

describe('bad input', () => {
  it.each(cases)('%s: one clear line and the right exit code', async (_name, args, code, message) => {
    const result = await runCli(await args());
    expect(result.code).toBe(code);
    const said = result.stderr + result.stdout;
    expect(said).toMatch(message);
    expect(said).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  });

  it('caps a body larger than the cap and says so', async () => {
    const result = await runCli(['check', `${huge.origin}/v1/me`, '--format', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { response: { bodyTruncated?: boolean; body: string } };
    expect(report.response.bodyTruncated).toBe(true);
    expect(report.response.body.length).toBeLessThanOrEqual(4096);
  });
});
