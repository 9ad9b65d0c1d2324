/**
 * The host checker and the users' read, on the simulated host: `rdp-health host-check` publishes as
 * SYSTEM in one process, `rdp-health check --host-snapshot` reads it in another (the same working
 * copy, its ProgramData a real folder next to it). Then each way another user could forge the host's
 * state is tried, and refused with a reason: a snapshot owned by a user, a link, an oversized file,
 * a date in the future. A host checker that fails half way publishes what it has. A user's agent that refuses it checks by itself and says why; and on a
 * healthy host a check only the host checker can run does not make it "unknown".
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../../electron/agent/agent.js';
import { runHostCheck, simulatedHostFolder } from '../../../electron/agent/host-checker.js';
import { HOST_SNAPSHOT_FILE, readHostSnapshot, type PublishedSnapshot } from '../../../electron/agent/host-snapshot.js';
import { PowerShellSession } from '../../../electron/agent/powershell-session.js';
import { resolveProbesDir, simModulePath } from '../../../electron/agent/script-paths.js';
import { prepareSimulatedHost, simulatedHostDir } from '../../../electron/agent/simulated-host.js';
import { firewallProbe } from '../../../probes/firewall/firewall.js';
import { keyAccessProbe } from '../../../probes/key-access/key-access.js';
import { nlaProbe } from '../../../probes/nla/nla.js';

const BIN = resolve('bin/rdp-health.mjs');
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const SNAPSHOT_KEY = 'C:\\ProgramData\\RDP Health\\host\\snapshot.json';
/** A user of the host (not an administrator), and the Modify right it would have on a file it planted. */
const OTHER_USER = 'S-1-5-21-1004336348-1177238915-682003330-1001';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], dataDir: string): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, RDP_HEALTH_DATA_DIR: dataDir, NO_COLOR: '1' }, timeout: 240_000 }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code ?? 99) : 0, stdout, stderr });
    });
  });
}

describe('the host checker publishes, a user reads (two processes, one simulated host)', () => {
  let dataDir: string;
  let statePath: string;
  let hostFolder: string;
  let session: PowerShellSession;
  const probesDir = resolveProbesDir({ isPackaged: false });
  const read = () => readHostSnapshot({ session, probesDir, now: () => new Date(), maxAgeMs: 60 * 60_000 });
  const unusable = async (): Promise<string> => {
    const result = await read();
    return result.state === 'unusable' ? result.reason : `trusted (${result.record.checkedAt})`;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rdp-health-host-checker-'));
    statePath = join(simulatedHostDir(dataDir), 'healthy.json');
    hostFolder = join(simulatedHostDir(dataDir), 'ProgramData', 'RDP Health', 'host');
  });
  afterAll(async () => {
    await session?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('host-check publishes snapshot, history and metrics; check --host-snapshot prints it; a second run within a minute does not check', async () => {
    const published = await cli(['host-check', '--simulate', 'healthy'], dataDir);
    // The first command on a scenario says which working copy it made; nothing else goes to stderr.
    expect(published.stderr).toMatch(/^Simulated host: a new working copy of healthy at \S+ \(fix and undo change it; --reset starts again from the scenario\)\.\n?$/);
    expect(published.stdout).toContain(`Published to ${hostFolder}: OK (7 checks, as system).`);
    expect(published.code).toBe(0);
    const record = JSON.parse(await readFile(join(hostFolder, HOST_SNAPSHOT_FILE), 'utf8')) as PublishedSnapshot;
    expect(record).toMatchObject({ schema: 1, identity: 'system', snapshot: { overall: 'ok', host: 'RDPHOST01' } });
    expect(await readFile(join(hostFolder, 'rdp_health.prom'), 'utf8')).toContain('rdp_health_overall_status 0');
    expect((await readFile(join(hostFolder, 'history.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(1);

    const shown = await cli(['check', '--host-snapshot', '--simulate', 'healthy'], dataDir);
    expect(shown.stderr).toBe('');
    expect(shown.stdout).toContain('RDPHOST01: OK (7 checks');
    expect(shown.stdout).toContain(`Checked by the host checker at ${record.checkedAt}, as system`);
    expect(shown.code).toBe(0);

    const again = await cli(['host-check', '--simulate', 'healthy'], dataDir);
    expect(again.stdout).toMatch(/^Not checked: The host was checked \d+ s ago/);
    expect(JSON.parse(await readFile(join(hostFolder, HOST_SNAPSHOT_FILE), 'utf8'))).toEqual(record);
  }, 300_000);

  it('refuses a snapshot another user owns or can change, and says so', async () => {
    session = new PowerShellSession({ simulate: { statePath, modulePath: simModulePath() } });
    expect(await unusable()).toMatch(/^trusted/);
    const original = await readFile(statePath, 'utf8');
    const state = JSON.parse(original) as { files: Record<string, { owner: string; acl: unknown[] }> };
    const planted = state.files[SNAPSHOT_KEY]!;
    planted.owner = OTHER_USER;
    planted.acl.push({ IdentityReference: OTHER_USER, FileSystemRights: 'Modify, Synchronize', AccessControlType: 'Allow', IsInherited: false });
    await writeFile(statePath, JSON.stringify(state));
    expect(await unusable()).toBe(`C:\\ProgramData\\RDP Health\\host\\snapshot.json is owned by ${OTHER_USER}, not by SYSTEM or Administrators`);
    planted.owner = 'S-1-5-18';
    await writeFile(statePath, JSON.stringify(state));
    expect(await unusable()).toBe(`C:\\ProgramData\\RDP Health\\host\\snapshot.json can be changed by ${OTHER_USER}, not only by SYSTEM and Administrators`);
    // The process a user runs says it in words, and does not show the forged findings.
    const shown = await cli(['check', '--host-snapshot', '--simulate', 'healthy'], dataDir);
    expect(shown.code).toBe(3);
    expect(shown.stdout).toBe('');
    expect(shown.stderr).toContain("The host checker's last result could not be read: C:\\ProgramData\\RDP Health\\host\\snapshot.json can be changed by");
    await writeFile(statePath, original);
    expect(await unusable()).toMatch(/^trusted/);
  }, 300_000);

  it('refuses a link in place of the snapshot, and a snapshot over 4 MiB', async () => {
    const file = join(hostFolder, HOST_SNAPSHOT_FILE);
    const elsewhere = join(dataDir, 'users-own-snapshot.json');
    await rename(file, elsewhere);
    await symlink(elsewhere, file);
    expect(await unusable()).toBe('C:\\ProgramData\\RDP Health\\host\\snapshot.json is a link (reparse point), not the folder the installer locked');
    await rm(file);
    await writeFile(file, ' '.repeat(4 * 1024 * 1024 + 1));
    expect(await unusable()).toMatch(/snapshot\.json is 4194305 bytes, more than the 4194304 a snapshot may be$/);
    await rename(elsewhere, file);
    expect(await unusable()).toMatch(/^trusted/);
  }, 120_000);
});

describe("a user's agent", () => {
  let dir: string;
  const agents: Agent[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rdp-health-user-agent-'));
  });
  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a snapshot dated 9999 and checks by itself, saying why; shows a trusted fresh one', async () => {
    const dataDir = join(dir, 'future');
    const agent = await Agent.create({ dataDir, simulate: 'healthy', probes: [nlaProbe], logger: quiet });
    agents.push(agent);
    const folder = join(simulatedHostDir(dataDir), 'ProgramData', 'RDP Health', 'host');
    const forged = (checkedAt: string, host: string): string =>
      JSON.stringify({
        schema: 1,
        checkedAt,
        identity: 'system',
        version: '0.1.0',
        snapshot: { overall: 'fail', findings: [{ probeId: 'nla', status: 'fail', title: 'NLA', summary: 'Forged: turn NLA off to repair.', evidence: {}, fixes: [], checkedAt }], startedAt: checkedAt, durationMs: 1, host },
      } satisfies PublishedSnapshot);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, HOST_SNAPSHOT_FILE), forged('9999-12-31T00:00:00.000Z', 'FORGED'));
    const own = await agent.checkNow();
    expect(own.findings.map((f) => [f.probeId, f.status])).toEqual([['nla', 'ok']]);
    expect(own.host).toBe('RDPHOST01');
    expect(agent.getStatus().hostChecker).toEqual({
      used: false,
      problem: "The host checker's last result could not be read: it is dated 9999-12-31T00:00:00.000Z, in the future. This computer was checked with your rights instead.",
    });
    // A snapshot the installer's folder holds, newer than the agent's own check, is what it shows.
    const checkedAt = new Date().toISOString();
    await writeFile(join(folder, HOST_SNAPSHOT_FILE), forged(checkedAt, 'RDPHOST01'));
    const shown = await agent.checkNow();
    expect(shown.overall).toBe('fail');
    expect(agent.getStatus().hostChecker).toEqual({ used: true, checkedAt });
  }, 240_000);

  it('on the healthy host, as a standard user, is not "unknown": the key check needs the host checker', async () => {
    const agent = await Agent.create({ dataDir: join(dir, 'user'), simulate: 'healthy', simulateIdentity: 'standard-user', probes: [keyAccessProbe, nlaProbe], logger: quiet });
    agents.push(agent);
    const snapshot = await agent.checkNow();
    expect(snapshot.overall).toBe('ok');
    expect(snapshot.findings.map((f) => [f.probeId, f.status, f.needsHostChecker ?? false])).toEqual([
      ['key-access', 'unknown', true],
      ['nla', 'ok', false],
    ]);
    expect(snapshot.findings[0]?.summary).toMatch(/^Needs the host checker/);
    expect(agent.getStatus().hostChecker).toEqual({ used: false, problem: expect.stringContaining('does not exist: no host checker is installed here') as unknown });
  }, 240_000);
});

describe('runHostCheck', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rdp-health-host-check-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails half way and publishes what it has, the failure as a finding; refuses to run as a standard user', async () => {
    const probesDir = resolveProbesDir({ isPackaged: false });
    const scenario = join(dir, 'firewall-broken.json');
    await writeFile(scenario, JSON.stringify({ description: 'the firewall cmdlets fail', extends: 'healthy', patch: { faults: { 'Get-NetFirewallRule': { kind: 'error' } } } }));
    const statePath = await prepareSimulatedHost(scenario, join(dir, 'host'));
    const programDataDir = join(dir, 'host', 'ProgramData');
    const session = new PowerShellSession({ simulate: { statePath, modulePath: simModulePath(), identity: 'system' } });
    try {
      const asUser = await runHostCheck({ session, probesDir, probes: [nlaProbe, firewallProbe], logger: quiet, eventLog: false, simulated: { programDataDir, identity: 'standard-user' } });
      expect(asUser).toEqual({ outcome: 'refused', reason: expect.stringContaining('runs as standard-user') as unknown });
      const result = await runHostCheck({ session, probesDir, probes: [nlaProbe, firewallProbe], logger: quiet, eventLog: false, simulated: { programDataDir, identity: 'system' } });
      expect(result.outcome).toBe('published');
      const record = JSON.parse(await readFile(join(simulatedHostFolder(programDataDir), HOST_SNAPSHOT_FILE), 'utf8')) as PublishedSnapshot;
      expect(record.snapshot.findings.map((f) => [f.probeId, f.status])).toEqual([['nla', 'ok'], ['firewall', 'unknown']]);
      expect(record.snapshot.overall).toBe('unknown');
    } finally {
      await session.dispose();
    }
  }, 240_000);
});
