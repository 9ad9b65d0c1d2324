import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeScriptPath, resolveProbesDir, resolveSimDir, simModulePath } from '../../../electron/agent/script-paths.js';

const repoRoot = resolve(import.meta.dirname, '../../..');

describe('resolveProbesDir', () => {
  it('in the packaged app is resources/probes (extraResources, outside the asar)', () => {
    expect(resolveProbesDir({ isPackaged: true, resourcesPath: 'C:\\Program Files\\RDP Health\\resources' })).toBe(
      join('C:\\Program Files\\RDP Health\\resources', 'probes'),
    );
  });

  it('guesses packaged from Electron process fields when not told', () => {
    expect(resolveProbesDir({ resourcesPath: '/opt/rdp-health/resources' })).toBe(join('/opt/rdp-health/resources', 'probes'));
  });

  it('in development is the repository probes/ folder, from the source tree', () => {
    const dir = resolveProbesDir({ isPackaged: false });
    expect(dir).toBe(join(repoRoot, 'probes'));
    expect(existsSync(join(dir, 'common', 'RdpHealth.Common.psm1'))).toBe(true);
    expect(existsSync(join(dir, 'sim'))).toBe(false);
  });

  it('in development is found from a bundle folder too (out/main)', () => {
    expect(resolveProbesDir({ isPackaged: false, fromDir: join(repoRoot, 'out', 'main') })).toBe(join(repoRoot, 'probes'));
  });

  it('ignores a folder merely named probes', () => {
    const root = mkdtempSync(join(tmpdir(), 'probes-'));
    mkdirSync(join(root, 'app', 'probes'), { recursive: true });
    writeFileSync(join(root, 'app', 'probes', 'index.ts'), '');
    expect(() => resolveProbesDir({ isPackaged: false, fromDir: join(root, 'app', 'deep') })).toThrow(/No probes folder/);
  });

  it('packaged without a resources path is an error, not a guess', () => {
    expect(() => resolveProbesDir({ isPackaged: true, resourcesPath: undefined as unknown as string })).toThrow();
  });
});

describe('resolveSimDir', () => {
  it('is the repository sim/ folder, beside probes/ and outside it, from the source tree and from a bundle', () => {
    expect(resolveSimDir()).toBe(join(repoRoot, 'sim'));
    expect(resolveSimDir(join(repoRoot, 'out', 'main'))).toBe(join(repoRoot, 'sim'));
    expect(simModulePath()).toBe(join(repoRoot, 'sim', 'RdpHealth.Sim.psm1'));
    expect(existsSync(simModulePath())).toBe(true);
  });

  it('is not found where there is no repository (an installed app ships no simulated host)', () => {
    const root = mkdtempSync(join(tmpdir(), 'sim-'));
    mkdirSync(join(root, 'resources', 'sim'), { recursive: true });
    mkdirSync(join(root, 'resources', 'probes', 'common'), { recursive: true });
    writeFileSync(join(root, 'resources', 'probes', 'common', 'RdpHealth.Common.psm1'), '');
    expect(() => resolveSimDir(join(root, 'resources', 'app.asar', 'out', 'main'))).toThrow(/No sim folder found .*never of an installed app/);
  });
});

describe('probeScriptPath', () => {
  it('joins a catalogue script path (forward slashes) to the probes folder', () => {
    expect(probeScriptPath('/app/probes', 'nla/Get-RdpNla.ps1')).toBe(join('/app/probes', 'nla', 'Get-RdpNla.ps1'));
  });
});

describe('probeScriptPath with an absolute script (test-only probes)', () => {
  it('keeps the absolute path as it is', () => {
    expect(probeScriptPath('/app/probes', '/repo/test/fixtures/probes/Get-TestHang.ps1')).toBe('/repo/test/fixtures/probes/Get-TestHang.ps1');
  });
});
