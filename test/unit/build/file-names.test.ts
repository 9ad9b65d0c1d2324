// One file-naming convention, so a newcomer finds a file by its name: every TypeScript, JavaScript and
// CSS file (React components included) is kebab-case; PowerShell keeps PowerShell's own convention
// (Verb-Noun scripts, dotted module names) and a Pester file is named after what it tests, in the
// kebab-case of its probe or subject.
import { execFileSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);

const KEBAB = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const SCRIPT_EXTENSIONS = /\.(?:ts|tsx|mts|mjs|cjs|js|css)$/;

function misnamedScripts(paths: readonly string[]): string[] {
  return paths.filter((path) => SCRIPT_EXTENSIONS.test(path)).filter((path) => !KEBAB.test(basename(path).replace(SCRIPT_EXTENSIONS, '')));
}

function misnamedPesterFiles(paths: readonly string[]): string[] {
  return paths.filter((path) => path.endsWith('.Tests.ps1')).filter((path) => !KEBAB.test(basename(path, '.Tests.ps1')));
}

describe('file names', () => {
  it('TypeScript, JavaScript and CSS files are kebab-case, React components too', () => {
    expect(misnamedScripts(['renderer/components/StatusHeader.tsx', 'renderer/app.tsx'])).toEqual(['renderer/components/StatusHeader.tsx']);
    expect(misnamedScripts(tracked)).toEqual([]);
  });

  it('a Pester file is the kebab-case name of what it tests', () => {
    expect(misnamedPesterFiles(['test/pester/fixes/Nla.Tests.ps1', 'test/pester/probes/nla.Tests.ps1'])).toEqual(['test/pester/fixes/Nla.Tests.ps1']);
    expect(misnamedPesterFiles(tracked)).toEqual([]);
  });
});
