/**
 * electron-builder.yml, checked the way the build would read it: against the JSON schema
 * electron-builder ships (app-builder-lib/scheme.json) and through electron-builder's own file
 * matchers. The installer itself cannot be built here (it downloads NSIS and Electron), so what
 * must hold is asserted on the config: every script the agent runs ships outside the asar, nothing
 * of the simulated host or the tests does, the fuses are set, the app id never changes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADMIN_POLICY_SCRIPT } from '../../../electron/agent/admin-policy.js';
import { WRITE_EVENT_SCRIPT } from '../../../electron/agent/event-log.js';
import { UNDO_SCRIPT } from '../../../electron/agent/repair/elevator.js';
import { FixCatalog, PENDING_SCRIPTS } from '../../../electron/agent/repair/fix-catalog.js';
import { LAUNCHER_SCRIPT } from '../../../electron/agent/repair/windows-elevator.js';
import { APP_ID, HIDDEN_ARG, PRODUCT_NAME } from '../../../electron/shell/app-identity.js';
import { trayIconPath } from '../../../electron/shell/tray.js';
import { PROBES } from '../../../probes/index.js';
import { loadBuilderConfig, placedFiles, wouldPlace } from './shipped-files.js';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const config = loadBuilderConfig(join(root, 'electron-builder.yml'));

type Validate = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };
function schemaValidator(): Validate {
  const Ajv = require('ajv') as new (options: object) => { compile(schema: unknown): Validate };
  const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as unknown;
  return new Ajv({ allowUnionTypes: true, strict: false, allErrors: true }).compile(schema);
}

/** Scripts the agent runs, relative to probes/: probes, fixes, launcher, undo, policy, events. */
function scriptsTheAgentRuns(): { existing: string[]; pending: string[] } {
  const catalog = new FixCatalog();
  const all = new Set<string>([
    ...PROBES.flatMap((probe) => (probe.kind === 'powershell' ? [probe.script] : [])),
    ...catalog.entries.map((entry) => entry.script),
    LAUNCHER_SCRIPT,
    UNDO_SCRIPT,
    ADMIN_POLICY_SCRIPT,
    WRITE_EVENT_SCRIPT,
  ]);
  const pending = [...all].filter((script) => PENDING_SCRIPTS.has(script));
  // ...and every module those scripts load, transitively (Import-Module (Join-Path $PSScriptRoot '...')).
  const queue = [...all].filter((script) => !PENDING_SCRIPTS.has(script));
  const existing = new Set(queue);
  while (queue.length > 0) {
    const script = queue.pop() as string;
    const text = readFileSync(join(root, 'probes', script), 'utf8');
    for (const match of text.matchAll(/Join-Path \$PSScriptRoot '([^']+\.ps[m]?1)'/g)) {
      const loaded = posix.normalize(posix.join(posix.dirname(script), match[1] ?? ''));
      if (!existing.has(loaded)) {
        existing.add(loaded);
        queue.push(loaded);
      }
    }
  }
  return { existing: [...existing].sort(), pending };
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => posix.join(dirname(join(entry.parentPath, entry.name)).slice(root.length).split('\\').join('/'), entry.name).replace(/^\//, ''));
}

describe('electron-builder.yml', () => {
  it('is valid against the schema electron-builder ships', () => {
    const validate = schemaValidator();
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('is checked by a schema that does reject mistakes', () => {
    const validate = schemaValidator();
    expect(validate({ ...config, nsis: { ...config.nsis, perMachine: 'yes' } })).toBe(false);
    expect(validate({ ...config, electronFuses: { runAsNodeX: false } })).toBe(false);
    expect(validate({ ...config, win: { ...config.win, requestedExecutionLevel: 'root' } })).toBe(false);
  });

  it('keeps the app id the app registers as its AppUserModelID, and the product name', () => {
    expect(config.appId).toBe('com.rdphealth.agent');
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe(PRODUCT_NAME);
  });

  it('builds a per-machine NSIS installer of an asInvoker app, named with version and arch', () => {
    const win = config.win as { target: Array<{ target: string; arch: string[] }>; requestedExecutionLevel: string; icon: string };
    expect(win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(win.requestedExecutionLevel).toBe('asInvoker');
    const nsis = config.nsis as Record<string, unknown>;
    expect(nsis.perMachine).toBe(true);
    expect(nsis.include).toBe('build/installer.nsh');
    expect(existsSync(join(root, 'build/installer.nsh'))).toBe(true);
    for (const name of [config.artifactName, nsis.artifactName]) {
      expect(name).toContain('${version}');
      expect(name).toContain('${arch}');
    }
  });

  it('sets the Electron fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    });
  });

  it('uses an icon with every size Windows asks for, 256 px included', () => {
    const icons = [(config.win as { icon: string }).icon, config.nsis?.installerIcon, config.nsis?.uninstallerIcon] as string[];
    for (const icon of icons) {
      const bytes = readFileSync(join(root, icon));
      expect(bytes.readUInt16LE(2)).toBe(1); // ICO
      const sizes = Array.from({ length: bytes.readUInt16LE(4) }, (_, i) => bytes[6 + 16 * i] || 256);
      expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
    }
  });
});

describe('what the installer ships', () => {
  const resources = placedFiles(config, root, 'extraResources');
  const shippedSources = new Set(resources.map((p) => p.source));
  const asar = placedFiles(config, root, 'files');

  it('ships every script the agent runs to resources/probes, keeping its path', () => {
    const { existing } = scriptsTheAgentRuns();
    expect(existing).toContain('common/RdpHealth.Common.psm1');
    expect(existing).toContain('common/RdpHealth.Fix.psm1');
    for (const script of existing) {
      expect(resources, script).toContainEqual({ source: `probes/${script}`, destination: `probes/${script}` });
    }
  });

  it('will ship each fix script still being written, once it exists at its catalog path', () => {
    const { pending } = scriptsTheAgentRuns();
    for (const script of pending) expect(wouldPlace(config, root, 'extraResources', `probes/${script}`), script).toBe(true);
  });

  it('ships every PowerShell file under probes/, and nothing else from there', () => {
    const expected = filesUnder('probes').filter((path) => /\.psm?1$/.test(path));
    expect(resources.filter((p) => p.source.startsWith('probes/')).map((p) => p.source).sort()).toEqual(expected.sort());
  });

  it('ships nothing of the simulated host, the tests, or the TypeScript sources', () => {
    const simFiles = filesUnder('sim');
    expect(simFiles).toContain('sim/RdpHealth.Sim.psm1');
    const simNames = new Set(simFiles.map((path) => posix.basename(path)));
    for (const placed of [...resources, ...asar]) {
      expect(placed.source).not.toMatch(/^(sim|test)\//);
      expect(placed.destination).not.toMatch(/(^|\/)sim\//);
      expect(placed.source).not.toMatch(/\.tsx?$/);
      // Not copied in under another folder either: no shipped file has a sim file's name.
      if (/\.psm?1$/.test(placed.source)) expect(simNames, placed.source).not.toContain(posix.basename(placed.source));
    }
    for (const path of simFiles) {
      expect(wouldPlace(config, root, 'extraResources', path), path).toBe(false);
      expect(wouldPlace(config, root, 'files', path), path).toBe(false);
    }
    expect(wouldPlace(config, root, 'files', 'test/pester/SimHost.ps1')).toBe(false);
  });

  it('ships no script that loads the simulated host', () => {
    for (const placed of resources.filter((p) => /\.psm?1$/.test(p.source))) {
      expect(readFileSync(join(root, placed.source), 'utf8'), placed.source).not.toMatch(/RdpHealth\.Sim|Use-SimHost|Initialize-SimHost/);
    }
  });

  it('keeps every script out of the asar, where PowerShell could not read it', () => {
    expect(asar.filter((p) => /\.psm?1$/.test(p.source))).toEqual([]);
    expect(wouldPlace(config, root, 'files', 'probes/nla/Get-RdpNla.ps1')).toBe(false);
    expect(wouldPlace(config, root, 'files', 'out/main/main.js')).toBe(true);
    expect(wouldPlace(config, root, 'files', 'package.json')).toBe(true);
  });

  it('ships the tray and app icons where the app loads them from', () => {
    for (const icon of ['ok', 'warn', 'fail', 'unknown', 'checking'] as const) {
      const path = trayIconPath('assets', icon, 'win32').split('\\').join('/');
      expect(shippedSources, path).toContain(path);
    }
    expect(shippedSources).toContain('assets/icon.ico');
  });
});

describe('build/installer.nsh', () => {
  const nsh = readFileSync(join(root, 'build/installer.nsh'), 'utf8');

  it('sets the data folder ACLs by SID, never by a localized account name', () => {
    // One SDDL with the well-known SID aliases SY, BA, BU (installer-acl.test.ts checks the sequence).
    expect(nsh).toMatch(/!define RDPH_FOLDER_SDDL "O:BAG:SYD:PAI\(A;OICI;FA;;;SY\)\(A;OICI;FA;;;BA\)\(A;OICI;0x1200a9;;;BU\)"/);
    expect(nsh).not.toMatch(/\b(Users|Administrators|SYSTEM|Everyone):\(/);
  });

  it('starts the app hidden at sign-in with the argument the app reads', () => {
    expect(nsh).toContain(`!define RDPH_HIDDEN_ARG "${HIDDEN_ARG}"`);
  });

  it('registers the event source the agent writes under', () => {
    expect(nsh).toContain('EventLog\\Application\\RDP Health');
  });
});
