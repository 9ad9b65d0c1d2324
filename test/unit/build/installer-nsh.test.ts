/**
 * build/installer.nsh compiles with the real NSIS compiler (Debian package nsis, installed by
 * .ci/run), as the installer and as the uninstaller, with warnings as errors like the real build.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const harness = join(root, 'test/fixtures/fleet/installer-harness.nsi');
const work = mkdtempSync(join(tmpdir(), 'rdp-health-nsis-'));

function makensis(nsh: string, uninstaller: boolean): { status: number | null; output: string } {
  const args = ['-WX', '-V2', `-DNSH=${nsh}`, `-DOUT=${join(work, uninstaller ? 'uninstaller.exe' : 'installer.exe')}`];
  if (uninstaller) args.push('-DBUILD_UNINSTALLER');
  const result = spawnSync('makensis', [...args, harness], { encoding: 'utf8', cwd: work });
  if (result.error) throw new Error(`makensis is not installed (apt-get install nsis): ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('build/installer.nsh', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each([
    ['installer', false],
    ['uninstaller', true],
  ])('compiles into the %s without a warning', (_name, uninstaller) => {
    const { status, output } = makensis(join(root, 'build/installer.nsh'), uninstaller);
    expect(output).not.toMatch(/warning/i);
    expect(status).toBe(0);
  });

  it('fails the build on a mistake the real build would also reject', () => {
    const broken = join(work, 'broken.nsh');
    copyFileSync(join(root, 'build/installer.nsh'), broken);
    writeFileSync(broken, readFileSync(broken, 'utf8').replace('Var RdphAutoStartBox', 'Var RdphAutoStartBox\n  Var RdphNeverUsed'));
    expect(makensis(broken, false).status).not.toBe(0);
  });
});
