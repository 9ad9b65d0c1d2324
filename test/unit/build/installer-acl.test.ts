/**
 * The installer's ACL sequence on %ProgramData%\RDP Health (issue 10 item 5), read from
 * build/installer.nsh (installer-nsh.test.ts compiles the same file with makensis): the root is
 * locked before any child is looked at or made; a pre-existing child that is not admin-owned is
 * removed whole without following links, then made fresh with its descriptor in the same call; no
 * icacls at all (it follows junctions, and a path a user could swap is never handed to it); no
 * folder is writable by Users; the uninstaller never deletes through a link.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const nsh = readFileSync(`${root}build/installer.nsh`, 'utf8');
/** The file without its comments (NSIS comments start with ; or # at a line's start). */
const code = nsh
  .split('\n')
  .filter((line) => !/^\s*[;#]/.test(line))
  .join('\n');

function macro(name: string): string {
  const start = code.indexOf(`!macro ${name}`);
  expect(start, `macro ${name}`).toBeGreaterThanOrEqual(0);
  return code.slice(start, code.indexOf('!macroend', start));
}

/** The folder paths the install touches, in order, with what it does to each. */
function steps(body: string): Array<{ action: string; path: string }> {
  return [...body.matchAll(/!insertmacro (rdph\w+) "(\$R9[^"]*)"/g)].map((m) => ({ action: m[1]!, path: m[2]! }));
}

describe('build/installer.nsh: the data folder ACL sequence', () => {
  it('locks the root before it looks at or creates any child', () => {
    const install = macro('customInstall');
    const sequence = steps(install);
    expect(sequence[0]).toEqual({ action: 'rdphLockedFolder', path: '$R9' });
    const firstChild = install.indexOf('$R9\\');
    expect(firstChild).toBeGreaterThan(install.indexOf('!insertmacro rdphLockedFolder "$R9"'));
    expect(sequence.slice(1)).toEqual([
      { action: 'rdphLockedFolder', path: '$R9\\host' },
      { action: 'rdphLockedFolder', path: '$R9\\fixes' },
      { action: 'rdphRemove', path: '$R9\\logs' },
      { action: 'rdphRemove', path: '$R9\\shared' },
    ]);
  });

  it('takes ProgramData from Windows (CSIDL_COMMON_APPDATA), not from the installing user’s environment', () => {
    expect(macro('rdphDataFolder')).toMatch(/SHGetSpecialFolderPathW\(p 0, w \.R9, i 0x23, i 0\)/);
    expect(code).not.toMatch(/ReadEnvStr/);
  });

  it('never runs icacls (it follows a junction to its target)', () => {
    expect(code).not.toMatch(/icacls/i);
  });

  it('gives every folder one protected descriptor: owner Administrators, SYSTEM and Administrators full, Users read only', () => {
    const sddl = /!define RDPH_FOLDER_SDDL "([^"]+)"/.exec(code)?.[1];
    expect(sddl).toBe('O:BAG:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)');
    const aces = [...sddl!.matchAll(/\(([^)]+)\)/g)].map((m) => m[1]!.split(';'));
    for (const [type, , rights, , , sid] of aces) {
      expect(type).toBe('A');
      if (sid === 'BU') expect(rights).toBe('0x1200a9'); // FILE_GENERIC_READ | FILE_EXECUTE: no write, no create, no delete
      else expect(['SY', 'BA']).toContain(sid);
    }
    // Nothing is granted anywhere else: no other descriptor, no CREATOR OWNER, no Everyone.
    expect(code.match(/D:P?A?I?\(/g)).toHaveLength(1);
    expect(code).not.toMatch(/S-1-3-0|S-1-1-0|\bWD\b/);
  });

  it('keeps only a real admin-owned folder; anything else is removed whole and made fresh with its descriptor in one call', () => {
    const locked = macro('rdphLockedFolder');
    const removeAt = locked.indexOf('!insertmacro rdphRemove');
    const createAt = locked.indexOf('kernel32::CreateDirectoryW');
    expect(locked.indexOf('${If} $4 != "admin"')).toBeLessThan(removeAt);
    expect(removeAt).toBeLessThan(createAt);
    // The descriptor goes into CreateDirectoryW (SECURITY_ATTRIBUTES), never set afterwards on a path a user could swap.
    expect(locked).toMatch(/System::Call '\*\(i \$\{RDPH_SA_SIZE\}, p r5, i 0\) p \.r6'/);
    expect(locked).toMatch(/CreateDirectoryW\(w "\$\{PATH\}", p r6\)/);
    // An existing admin-owned folder: its own descriptor only (SetFileSecurityW does not walk into children).
    expect(locked).toMatch(/SetFileSecurityW\(w "\$\{PATH\}", i 0x80000005, p r5\)/);
    expect(locked).not.toMatch(/SetNamedSecurityInfo/);
    // Checked again at the end; the install stops if it is not a real admin-owned folder.
    const last = locked.lastIndexOf('!insertmacro rdphInspect');
    expect(last).toBeGreaterThan(createAt);
    expect(locked.slice(last)).toMatch(/Abort/);
  });

  it('tells a link from a folder by its reparse-point attribute, and an admin owner by SID', () => {
    const inspect = macro('rdphInspect');
    expect(inspect).toMatch(/IntOp \$1 \$0 & 0x400/);
    expect(inspect).toMatch(/StrCpy \$4 "link"/);
    expect(macro('rdphAdminOwned')).toMatch(/IsWellKnownSid\(p r2, i 26\)[\s\S]*IsWellKnownSid\(p r2, i 22\)/);
  });

  it('removes without following links: a link is only unlinked, a folder goes by rd /s (junctions inside are not entered)', () => {
    const remove = macro('rdphRemove');
    const link = remove.indexOf('${If} $4 == "link"');
    const rd = remove.indexOf('rd /s /q');
    expect(link).toBeGreaterThanOrEqual(0);
    expect(link).toBeLessThan(rd);
    expect(remove.slice(link, remove.indexOf('${ElseIf}'))).toMatch(/RMDir "\$\{PATH\}"\n/);
    expect(remove).toMatch(/"\$SYSDIR\\cmd\.exe" \/d \/c rd \/s \/q "\$\{PATH\}"/);
  });

  it('the uninstaller deletes only through rdphRemove, inside a root it checked is a real admin-owned folder', () => {
    const uninstall = macro('customUnInstall');
    expect(uninstall).not.toMatch(/RMDir \/r/);
    expect(uninstall).not.toMatch(/Delete "/);
    expect(code).not.toMatch(/RMDir \/r/);
    const admin = uninstall.indexOf('${ElseIf} $4 == "admin"');
    expect(uninstall.indexOf('!insertmacro rdphInspect "$R9"')).toBeLessThan(admin);
    for (const child of ['logs', 'shared', 'host', 'fixes']) {
      const at = uninstall.indexOf(`!insertmacro rdphRemove "$R9\\${child}"`);
      expect(at, child).toBeGreaterThan(admin);
    }
    // /KEEPDATA keeps the fix records and the host checker's results.
    expect(uninstall.indexOf('/KEEPDATA')).toBeLessThan(uninstall.indexOf('rdphRemove "$R9\\host"'));
  });

  it('registers the host checker task when installing and unregisters it when uninstalling, with the shipped script', () => {
    const script = /!define RDPH_REGISTER_TASK "([^"]+)"/.exec(code)?.[1];
    expect(script).toBe('resources\\probes\\common\\Register-RdpHealthHostChecker.ps1');
    expect(existsSync(`${root}probes/common/Register-RdpHealthHostChecker.ps1`)).toBe(true);
    expect(macro('rdphHostCheckerTask')).toMatch(/"\$SYSDIR\\WindowsPowerShell\\v1\.0\\powershell\.exe" -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "\$INSTDIR\\\$\{RDPH_REGISTER_TASK\}"/);
    expect(macro('customInstall')).toMatch(/!insertmacro rdphHostCheckerTask ""/);
    expect(macro('customUnInstall')).toMatch(/!insertmacro rdphHostCheckerTask "-Unregister"/);
  });
});
