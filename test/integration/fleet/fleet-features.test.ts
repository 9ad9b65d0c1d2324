import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckRunner } from '../../../electron/agent/check-runner.js';
import { FleetFeatures } from '../../../electron/agent/fleet.js';
import { METRICS_FILE_NAME } from '../../../electron/agent/metrics.js';
import { defaultSettings } from '../../../electron/agent/settings.js';
import { fix } from '../../../probes/common/fixes.js';
import { nlaProbe } from '../../../probes/nla/nla.js';
import { finding, snapshot } from '../../unit/fleet/snapshots.js';
import { openSimSession, type SimSession } from './sim-session.js';

/** A whole cycle with every fleet feature on, through the real session on the simulated host. */
describe('FleetFeatures on the simulated host', () => {
  let dir: string;
  let sim: SimSession;
  let fleet: FleetFeatures;
  let runner: CheckRunner;
  const warnings: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rdp-health-fleet-features-'));
    const metricsDir = join(dir, 'textfile');
    await mkdir(metricsDir);
    const scenario = join(dir, 'policy-with-metrics.json');
    await writeFile(scenario, JSON.stringify({ description: 'admin policy and a metrics folder', extends: 'admin-policy', patch: { registry: { 'HKLM:\\SOFTWARE\\Policies\\RDP Health': { MetricsTextfileDirectory: metricsDir } } } }));
    sim = await openSimSession(scenario);
    runner = new CheckRunner({ session: sim.session, probesDir: sim.probesDir, probes: [nlaProbe] });
    fleet = new FleetFeatures({
      session: sim.session,
      probesDir: sim.probesDir,
      logger: { debug() {}, info() {}, error() {}, warn: (m) => warnings.push(m) },
      certificates: () => [{ probeId: 'certificate', thumbprint: 'AB12', notAfter: '2027-01-01T00:00:00.000Z' }],
    });
  });
  afterAll(async () => {
    await fleet.dispose();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the policy, and applies it to settings and fixes', async () => {
    const policy = await fleet.refreshPolicy();
    expect(policy).toMatchObject({ checkIntervalMinutes: 30, warnDays: [45, 10], notificationsDisabled: true, hideSecurityLoweringFixes: true, metricsTextfileDirectory: join(dir, 'textfile') });
    const effective = fleet.effective({ ...defaultSettings(), checkIntervalMinutes: 60 });
    expect(effective.settings.checkIntervalMinutes).toBe(30);
    expect(effective.locked).toContain('checkIntervalMinutes');
    expect(() => fleet.assertPatchAllowed({ checkIntervalMinutes: 15 }, defaultSettings())).toThrow(/administrator/);
    const lowering = fix('nla.disable', 'Turn NLA off', { lowersSecurity: true });
    expect(fleet.fixRefusal(lowering)).toMatch(/lower security/);
    const shown = fleet.visible(snapshot([finding('nla', 'fail', { fixes: [lowering, fix('nla.enable', 'Turn NLA on', {})] })]));
    expect(shown.findings[0]?.fixes.map((f) => f.id)).toEqual(['nla.enable']);
  });

  it('after a cycle, writes the status change to the Event Log and the metrics file (the host checker\'s side)', async () => {
    const previous = snapshot([finding('nla', 'fail')]);
    const checked = await runner.run();
    expect(checked.findings.map((f) => f.status)).toEqual(['ok']);
    expect(await fleet.afterCycle(previous, { snapshot: checked, source: 'checked' })).toEqual([]);

    const events = ((await sim.state()).eventLog ?? []) as Array<{ EventId: number; Message: string }>;
    expect(events.map((e) => e.EventId)).toEqual([1001]);
    expect(events[0]?.Message).toContain('is now OK (was failing)');

    expect(await readdir(join(dir, 'textfile'))).toEqual([METRICS_FILE_NAME]);
    const metrics = await readFile(join(dir, 'textfile', METRICS_FILE_NAME), 'utf8');
    expect(metrics).toContain('rdp_health_probe_status{probe="nla"} 0\n');
    expect(metrics).toContain(`rdp_health_certificate_expiry_timestamp_seconds{probe="certificate",thumbprint="AB12"} ${Date.parse('2027-01-01T00:00:00.000Z') / 1000}\n`);
    // A user's agent showing the host checker's snapshot gets the certificates it published, for its notifications.
    const published = { snapshot: checked, source: 'host' as const, facts: { certificates: [{ probeId: 'certificate', thumbprint: 'AB12', notAfter: '2027-01-01T00:00:00.000Z' }] } };
    expect(fleet.certificatesFor(published)).toEqual([{ probeId: 'certificate', thumbprint: 'AB12', notAfter: '2027-01-01T00:00:00.000Z' }]);
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: metrics, encoding: 'utf8' });
    expect(promtool.status).toBe(0);
  });

  it('writes a declined repair to the Event Log', async () => {
    await fleet.afterFix('apply', { fixId: 'nla.enable', outcome: 'cancelled', message: 'Cancelled — nothing was changed.' }, { host: 'RDPHOST01', fixTitle: 'Turn NLA on' });
    const events = ((await sim.state()).eventLog ?? []) as Array<{ EventId: number; Message: string }>;
    expect(events.map((e) => e.EventId)).toEqual([1001, 1014]);
    expect(events[1]?.Message).toContain('Cancelled — nothing was changed.');
    expect(warnings).toEqual([]);
  });
});
