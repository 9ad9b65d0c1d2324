/**
 * `npm run test:pester`: runs test/pester/run.ps1 in pwsh, found the way the agent finds it
 * (PATH, then the .NET global tool folder `npm run setup` installs into).
 * Extra arguments name test files or folders.
 */
import { spawnSync } from 'node:child_process';
import { resolveShellExecutable, ShellUnavailableError } from '../electron/agent/powershell-executable.js';

try {
  const pwsh = resolveShellExecutable('pwsh');
  const run = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', 'test/pester/run.ps1', ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
} catch (error) {
  if (!(error instanceof ShellUnavailableError)) throw error;
  console.error(error.message);
  process.exit(1);
}
