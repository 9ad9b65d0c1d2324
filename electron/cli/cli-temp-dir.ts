/**
 * The throw-away data folder of one `rdp-health check`: rdp-health-cli-<pid>-XXXXXX in the temp
 * folder. A run killed with SIGKILL cannot remove its own, so each run first removes the folders of
 * runs whose process is gone — only real folders (not links) owned by this user.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'rdp-health-cli-';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes folders left by killed runs; never throws. Returns what it removed. */
export async function removeStaleCliDirs(parent = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const name of names) {
    const pid = Number(new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!(pid > 0) || pid === process.pid || isAlive(pid)) continue;
    const path = join(parent, name);
    try {
      const stat = lstatSync(path);
      if (!stat.isDirectory() || (process.getuid && stat.uid !== process.getuid())) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Someone else's, or already gone.
    }
  }
  return removed;
}

export function makeCliDir(parent = tmpdir()): Promise<string> {
  return mkdtemp(join(parent, `${PREFIX}${process.pid}-`));
}
