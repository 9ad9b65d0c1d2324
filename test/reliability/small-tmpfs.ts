/**
 * A real filesystem that fills: a tmpfs of a few kilobytes, mounted where this machine lets the
 * test (root, or password-less sudo as on CI runners). undefined elsewhere; callers fall back to a
 * failure through their seam.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const mounted: string[] = [];

function run(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

export function smallTmpfs(sizeKiB = 64): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'tmpfs-'));
  const args = ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir];
  if (!(run('mount', args) || run('sudo', ['-n', 'mount', ...args]))) return undefined;
  mounted.push(dir);
  return dir;
}

export function unmountAll(): void {
  for (const dir of mounted.splice(0)) if (!run('umount', [dir])) run('sudo', ['-n', 'umount', dir]);
}
