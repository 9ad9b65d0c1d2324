import { afterEach, describe, expect, it } from 'vitest';
import { applyAdminPolicy, readAdminPolicy } from '../../../electron/agent/admin-policy.js';
import { defaultSettings } from '../../../electron/agent/settings.js';
import { openSimSession, type SimSession } from './sim-session.js';

describe('readAdminPolicy through the warm session', () => {
  let sim: SimSession | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('reads the admin-policy scenario and locks what it sets', async () => {
    sim = await openSimSession('admin-policy');
    const result = await readAdminPolicy(sim.session, sim.probesDir);
    expect(result).toEqual({
      present: true,
      problems: [],
      policy: { checkIntervalMinutes: 30, warnDays: [45, 10], notificationsDisabled: true, fixesDisabled: false, hideSecurityLoweringFixes: true },
    });
    const effective = applyAdminPolicy(defaultSettings(), result.policy);
    expect(effective.settings).toMatchObject({ checkIntervalMinutes: 30, warnDays: [45, 10], notifications: false });
    expect(effective.locked).toEqual(['checkIntervalMinutes', 'warnDays', 'notifications']);
  });

  it('reads no policy on a healthy host', async () => {
    sim = await openSimSession('healthy');
    expect(await readAdminPolicy(sim.session, sim.probesDir)).toEqual({ present: false, problems: [], policy: {} });
  });

  it('never throws: a session that fails gives an error the caller can log', async () => {
    const failing = { runScript: () => Promise.reject(new Error('shell died')) };
    const warned: string[] = [];
    const result = await readAdminPolicy(failing, '/probes', { debug() {}, info() {}, error() {}, warn: (m) => warned.push(m) });
    expect(result.error).toMatch(/shell died/);
    expect(warned).toEqual(['administrator policy not read']);
  });
});
