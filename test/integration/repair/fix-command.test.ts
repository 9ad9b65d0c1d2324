/**
 * `rdp-health fix` / `rdp-health undo` through the CLI's main(), on simulated hosts: the working
 * copy lives in the data folder (so undo finds it) and the shipped scenario file never changes.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli.js';
import { cliDataDir, scenarioFileName } from '../../../electron/cli/fix-command.js';
import { shippedScenarioPath } from '../../../electron/agent/simulated-host.js';
import { RDP_TCP } from './repair-harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'rdp-cli-fix-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const shipped = (name: string) => createHash('sha256').update(readFileSync(shippedScenarioPath(name))).digest('hex');
const workingCopy = (name: string) => JSON.parse(readFileSync(join(dataDir, 'simulated-host', `${name}.json`), 'utf8')) as { registry: Record<string, Record<string, unknown>> };

describe('rdp-health fix / undo --simulate', () => {
  it('fixes a working copy in the data folder, and undo in a later run puts it back', async () => {
    const shippedBefore = shipped('nla-off-local');
    const preview = await cli('fix', 'nla.enable', '--what-if', '--simulate', 'nla-off-local', '--data-dir', dataDir);
    expect(preview.code).toBe(0);
    expect(preview.out).toMatch(/Would change:\n\s+- Require Network Level Authentication \(UserAuthentication 0 -> 1\)/);
    expect(workingCopy('nla-off-local').registry[RDP_TCP]?.UserAuthentication).toBe(0);

    const fixed = await cli('fix', 'nla.enable', '--simulate', 'nla-off-local', '--data-dir', dataDir);
    expect(fixed.code, fixed.err).toBe(0);
    expect(fixed.out).toMatch(/^Fixed: /m);
    expect(fixed.out).toMatch(/Check now: OK/);
    const recordId = /rdp-health undo (\S+)/.exec(fixed.out)?.[1];
    expect(recordId).toMatch(/^\d{8}T\d{6}Z-nla_enable-[0-9a-f]{8}$/);
    expect(workingCopy('nla-off-local').registry[RDP_TCP]?.UserAuthentication).toBe(1);
    expect(readdirSync(join(dataDir, 'fixes'))).toContain(`${recordId}.undo.json`);

    // Undoing NLA lowers security again: refused without --yes, nothing changed.
    expect(fixed.out).toMatch(/rdp-health undo \S+ --yes \(undoing it lowers security\)/);
    const refused = await cli('undo', recordId!, '--simulate', 'nla-off-local', '--data-dir', dataDir);
    expect(refused.code).toBe(3);
    expect(refused.err).toMatch(/lowers security/);
    expect(workingCopy('nla-off-local').registry[RDP_TCP]?.UserAuthentication).toBe(1);
    const undone = await cli('undo', recordId!, '--yes', '--simulate', 'nla-off-local', '--data-dir', dataDir, '--json');
    expect(undone.code, undone.err).toBe(0);
    expect(JSON.parse(undone.out)).toMatchObject({ fixId: 'nla.enable', outcome: 'fixed', finding: { probeId: 'nla', status: 'warn' } });
    expect(workingCopy('nla-off-local').registry[RDP_TCP]?.UserAuthentication).toBe(0);
    expect(shipped('nla-off-local')).toBe(shippedBefore);
  });

  it('asks for --yes before a fix that lowers security, and changes nothing without it', async () => {
    const result = await cli('fix', 'nla.disable', '--simulate', 'healthy', '--data-dir', dataDir);
    expect(result.code).toBe(3);
    expect(result.out).toMatch(/This lowers security/);
    expect(result.err).toMatch(/--yes/);
    expect(workingCopy('healthy').registry[RDP_TCP]?.UserAuthentication).toBe(1);
  });

  it('refuses a fix the administrator policy forbids, even with --yes', async () => {
    const result = await cli('fix', 'nla.disable', '--yes', '--simulate', 'admin-policy', '--data-dir', dataDir);
    expect(result.code).toBe(3);
    expect(result.err).toMatch(/administrator does not allow repairs that lower security/);
    expect(workingCopy('admin-policy').registry[RDP_TCP]?.UserAuthentication).toBe(1);
  });

  it('refuses unknown fix ids, extra arguments and parameters with exit 3', async () => {
    expect((await cli('fix', 'nla.bogus', '--simulate', 'healthy', '--data-dir', dataDir)).code).toBe(3);
    expect((await cli('fix', 'nla.enable', 'extra', '--simulate', 'healthy', '--data-dir', dataDir)).code).toBe(3);
    expect((await cli('fix', 'nla.enable', '--Action', 'Disable', '--simulate', 'healthy', '--data-dir', dataDir)).code).toBe(3);
    expect((await cli('undo', 'not-a-record', '--simulate', 'healthy', '--data-dir', dataDir)).code).toBe(3);
  });

  it('reports a group policy block as not fixed (exit 2)', async () => {
    const result = await cli('fix', 'nla.enable', '--simulate', 'nla-off-by-policy', '--data-dir', dataDir);
    expect(result.code).toBe(2);
    expect(result.out).toMatch(/Group policy sets UserAuthentication/);
  });

  it('keeps one working copy per scenario, named safely', () => {
    expect(scenarioFileName('healthy')).toBe('healthy.json');
    expect(scenarioFileName('/x/My Case.json')).toMatch(/^my-case-[0-9a-f]{8}\.json$/);
    expect(scenarioFileName('/x/My Case.json')).not.toBe(scenarioFileName('/y/My Case.json'));
    expect(cliDataDir({ RDP_HEALTH_DATA_DIR: '/d' }, 'linux')).toBe('/d');
    expect(cliDataDir({ LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32')).toMatch(/RDP Health/);
  });
});
