import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { pluginSpecifiers, resolveProfile, ruleSettings, timeouts, tokenStorePath } from '../../src/config/resolve.ts';
import { Redactor } from '../../src/core/redact.ts';
import { sandbox } from './helpers.ts';

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLE = join(ROOT, 'authdoctor.config.example.ts');

describe('authdoctor.config.example.ts', () => {
  test('loads through loadConfig and validates without warnings', async () => {
    const box = await sandbox();
    const loaded = await loadConfig({ cwd: ROOT, configPath: 'authdoctor.config.example.ts', homeDir: box.home });
    expect(loaded?.filepath).toBe(EXAMPLE);
    expect(loaded?.warnings).toEqual([]);
    const schemes = Object.values(loaded?.config.profiles ?? {}).map((p) => p.auth?.scheme);
    expect(new Set(schemes)).toEqual(new Set(['oauth2', 'aws-sigv4', 'api-key', 'basic']));
    expect(pluginSpecifiers(loaded)).toEqual([join(ROOT, 'rules-local', 'acme.ts')]);
    expect(ruleSettings(loaded?.config)).toEqual({ 'http/status': 'off', 'oauth2/token-expired': { leewaySeconds: 30 } });
    expect(timeouts(loaded?.config)).toEqual({ connect: 5_000, response: 20_000, rule: 3_000 });
    expect(tokenStorePath(loaded)).toBe(join(box.home, '.config', 'authdoctor', 'tokens.json'));
  });

  test('its profiles resolve once their env variables and files exist', async () => {
    const box = await sandbox();
    await box.write('home/.config/acme/access-token', 'acme-access-token-123\n');
    await box.write('home/.config/acme/refresh-token', 'acme-refresh-token-456\n');
    await box.write('home/.config/corp/proxy-url', 'http://proxy.corp.example:3128\n');
    const loaded = await loadConfig({ cwd: ROOT, configPath: EXAMPLE, homeDir: box.home });
    if (!loaded) throw new Error('example config not loaded');
    const env = {
      ACME_CLIENT_SECRET: 'acme-client-secret',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLE',
      STRIPE_KEY: 'sk_test_0123456789abcdef',
      MAPS_API_KEY: 'AIzaSyExampleExampleExample',
      JIRA_API_TOKEN: 'ATATT3xFfGF0example',
    };
    const redactor = new Redactor();
    for (const name of Object.keys(loaded.config.profiles ?? {})) {
      const resolved = await resolveProfile(loaded, name, { env, redactor });
      expect(resolved.spec.url.startsWith('https://')).toBe(true);
    }
    const acme = await resolveProfile(loaded, 'acme', { env, redactor });
    expect(acme.spec.headers).toContainEqual({ name: 'Authorization', value: 'Bearer acme-access-token-123' });
    const jira = await resolveProfile(loaded, 'jira', { env, redactor });
    expect(jira.spec.proxy).toBe('http://proxy.corp.example:3128');
  });
});
