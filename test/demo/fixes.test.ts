import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCloud, type DemoCloud } from '../../src/demo/cloud.ts';
import { SCENARIOS } from '../../src/demo/scenarios/index.ts';
import { listedActions } from '../../src/ui/detail-lines.ts';
import { selectedCheck } from '../../src/core/session.ts';
import { runScenario } from './harness.ts';

/*
 * Each scenario's fix, exactly as the picker tells it: the keys of `scenario.fix`, pressed through
 * the TUI's key registry into the session controller (what the screen runs), until the retried
 * request is accepted. A scenario whose instructions drift from what the keys do fails here.
 */

let cloud: DemoCloud;
beforeAll(async () => {
  cloud = await startDemoCloud();
});
afterAll(async () => {
  await cloud?.close();
});

describe('fixing each demo scenario from the keyboard', () => {
  for (const scenario of SCENARIOS) {
    const steps = scenario.fix.filter((f, i) => i === 0 || !f.or);
    const keys = steps.map((f) => f.keys).join(' ');
    it(`${scenario.name}: pressing ${keys} ends in ${scenario.name === 'proxy-strips-auth' ? 'a direct 200 that blames the proxy' : 'a 200'}`, async () => {
      const run = await runScenario(cloud, scenario.name);
      try {
        expect(run.state().attempt?.response?.status ?? null).not.toBe(200);
        for (const step of steps) await run.press(step.keys);
        const state = await run.idle();
        const last = state.history.entries.at(-1)!;
        expect(last.status).toBe(200);
        expect(last.cause).toBe('none');
        if (scenario.name === 'proxy-strips-auth') {
          // The probe goes around the proxy; the request on screen still went through it.
          expect(last.direct).toBe(true);
          expect(state.attempt?.verdict?.cause).toBe('proxy_auth');
        } else {
          expect(state.attempt?.response?.status).toBe(200);
          expect(state.attempt?.verdict?.cause).toBe('none');
        }
      } finally {
        run.dispose();
      }
    }, 40_000);
  }

  it('key-file-newline, the other way: fix the file and press r, and the profile is read again', async () => {
    const run = await runScenario(cloud, 'key-file-newline');
    try {
      const file = path.join(cloud.dir, 'key-file-newline', 'api-key');
      const { readFile } = await import('node:fs/promises');
      await writeFile(file, (await readFile(file, 'utf8')).trimEnd());
      await run.press('r');
      const state = await run.idle();
      expect(state.attempt?.response?.status).toBe(200);
      expect(state.history.entries.at(-1)?.change).toMatch(/re-read profile key-file-newline/);
    } finally {
      run.dispose();
    }
  }, 40_000);

  it('r on an AWS scenario re-reads the demo key files, never the AWS credential chain of this machine', async () => {
    const run = await runScenario(cloud, 'access-denied');
    try {
      expect(run.controller.engine!.actions().map((a) => a.id)).not.toContain('aws-sigv4/refresh-credentials');
      expect(run.state().capabilities.refresh?.label).toBe('Re-read profile access-denied from its sources');
      await run.press('r');
      // Re-read from the key files: the same demo key, so still AccessDenied (not an unknown key).
      const last = run.state().history.entries.at(-1);
      expect(last?.change ?? run.state().notice?.text).toMatch(/re-read profile access-denied|credentials are unchanged/i);
      expect(run.state().attempt?.verdict?.cause).toBe('insufficient_permissions');
    } finally {
      run.dispose();
    }
  }, 40_000);

  it('oauth-revoked: the refresh fails with refresh_failed before the device sign-in', async () => {
    const run = await runScenario(cloud, 'oauth-revoked');
    try {
      await run.press('r');
      const state = run.state();
      expect(state.history.entries).toHaveLength(1);
      expect(state.overlay.kind).toBe('text');
      expect(JSON.stringify(state.overlay)).toMatch(/invalid_grant/);
      expect(state.notice?.tone).toBe('error');
    } finally {
      run.dispose();
    }
  }, 40_000);

  it('the numbered actions the picker names are the ones on screen', async () => {
    for (const scenario of SCENARIOS) {
      const numbered = scenario.fix.flatMap((f) => f.keys.split(/\s+/)).filter((k) => /^[1-9]$/.test(k));
      if (numbered.length === 0) continue;
      const run = await runScenario(cloud, scenario.name);
      try {
        // Numbers run the actions listed for the selected check; after a failed refresh the
        // selection is where it was, so the first screen's list is the one that counts.
        const state = run.state();
        const listed = listedActions(selectedCheck(state)?.finding, state.actions).map((a) => a.action.id);
        const wanted: Record<string, string> = { 'oauth-revoked': 'oauth2/reauth-device', 'wrong-header': 'demo/move-key', 'basic-to-bearer': 'demo/basic-as-bearer', 'access-denied': 'demo/grant-permission' };
        expect(listed[Number(numbered[0]) - 1], scenario.name).toBe(wanted[scenario.name]);
      } finally {
        run.dispose();
      }
    }
  }, 60_000);
});
