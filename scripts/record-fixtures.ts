/**
 * Records probe envelopes for the unit tests: every PowerShell probe in probes/index.ts, run for
 * real in pwsh on every scenario in sim/scenarios, saved as
 * test/fixtures/envelopes/<probe>/<scenario>.json with `recordedAt` (the tests' ctx.now).
 * Fixtures are recorded, never hand-written: re-run this after changing a probe or a scenario.
 *
 *   npm run fixtures                                   # everything
 *   npm run fixtures -- --probe certificate --scenario healthy --scenario cert-expiring-5-days
 *
 * A few pwsh processes, each running a share of the scenarios. `recordedAt` is taken just before
 * the script runs, so relative scenario dates ('now+5d') are at least that far from it. Scenarios
 * with a `hang` fault are skipped: a hang is the session's timeout to report, not an envelope.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { resolveShellExecutable } from '../electron/agent/powershell-executable.js';
import { shippedScenarios } from '../electron/agent/simulated-host.js';
import { PROBES } from '../probes/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'test', 'fixtures', 'envelopes');
const MARK = '@@RECORD ';
const TIMEOUT_MS_PER_RUN = 30_000;

// Runs inside pwsh: one fresh working copy of the scenario per probe run, one marked line per run.
const DRIVER = `
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $env:RDP_HEALTH_RECORD_ROOT 'sim/RdpHealth.Sim.psm1') -Global -Force
foreach ($scenario in @($env:RDP_HEALTH_RECORD_SCENARIOS | ConvertFrom-Json)) {
foreach ($probe in @($env:RDP_HEALTH_RECORD_PROBES | ConvertFrom-Json)) {
    $state = Initialize-SimHost -Scenario $scenario
    $record = [ordered]@{ scenario = $scenario; probe = $probe.id; recordedAt = $null; stdout = $null; skipped = $null; error = $null }
    try {
        $faults = Get-SimSection -Key 'faults'
        $hang = @($faults.Keys | Where-Object { $faults[$_] -is [System.Collections.IDictionary] -and $faults[$_]['kind'] -eq 'hang' })
        if ($hang.Count -gt 0) {
            $record.skipped = "hang fault on $($hang -join ', ')"
        } else {
            $record.recordedAt = [datetime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [System.Globalization.CultureInfo]::InvariantCulture)
            $record.stdout = (@(& (Join-Path $env:RDP_HEALTH_RECORD_ROOT "probes/$($probe.script)")) | ForEach-Object { [string]$_ }) -join [Environment]::NewLine
        }
    } catch {
        $record.error = $_.Exception.Message
    } finally {
        Remove-Item -LiteralPath $state -ErrorAction SilentlyContinue
    }
    [Console]::Out.WriteLine('${MARK}' + (ConvertTo-Json -InputObject $record -Compress -Depth 4))
}
}
`;

interface RunRecord {
  scenario: string;
  probe: string;
  recordedAt: string | null;
  stdout: string | null;
  skipped: string | null;
  error: string | null;
}

interface Options {
  probes: string[];
  scenarios: string[];
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({ args: argv, options: { probe: { type: 'string', multiple: true }, scenario: { type: 'string', multiple: true } }, strict: true, allowPositionals: false });
  return { probes: values.probe ?? [], scenarios: values.scenario ?? [] };
}

/** One pwsh process for a batch of scenarios (pwsh startup costs more than a probe run). */
function runBatch(pwsh: string, scenarios: string[], probes: { id: string; script: string }[]): Promise<RunRecord[]> {
  return new Promise((done, fail) => {
    const encoded = Buffer.from(DRIVER, 'utf16le').toString('base64');
    const child = spawn(pwsh, ['-NoProfile', '-NonInteractive', '-EncodedCommand', encoded], {
      cwd: ROOT,
      env: {
        ...process.env,
        RDP_HEALTH_RECORD_ROOT: ROOT,
        RDP_HEALTH_RECORD_SCENARIOS: JSON.stringify(scenarios),
        RDP_HEALTH_RECORD_PROBES: JSON.stringify(probes),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const expected = scenarios.length * probes.length;
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS_PER_RUN * expected);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const records = stdout
        .split(/\r?\n/)
        .filter((line) => line.startsWith(MARK))
        .map((line) => JSON.parse(line.slice(MARK.length)) as RunRecord);
      if (records.length !== expected) {
        const last = records.at(-1);
        const where = last ? `after ${last.probe}/${last.scenario}` : 'before the first run';
        fail(new Error(`pwsh ended (${signal ?? `exit ${code}`}) ${where}: ${records.length}/${expected} runs recorded.\n${stderr.slice(0, 2000)}`));
        return;
      }
      done(records);
    });
  });
}

async function saveRecord(record: RunRecord): Promise<string> {
  const { scenario } = record;
  if (record.skipped) return `skipped ${record.probe}/${scenario}: ${record.skipped}`;
  if (record.error !== null || record.stdout === null || record.recordedAt === null) {
    throw new Error(`${record.probe}/${scenario}: the script did not run: ${record.error ?? 'no output'}`);
  }
  let envelope: unknown;
  try {
    envelope = JSON.parse(record.stdout);
  } catch {
    envelope = undefined;
  }
  // Output that is not JSON is kept verbatim: it is what the tests must then cope with.
  const fixture = envelope === undefined
    ? { probe: record.probe, scenario, recordedAt: record.recordedAt, stdout: record.stdout }
    : { probe: record.probe, scenario, recordedAt: record.recordedAt, envelope };
  const file = join(OUT, record.probe, `${scenario}.json`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(fixture, null, 2)}\n`, 'utf8');
  return `recorded ${record.probe}/${scenario}${envelope === undefined ? ' (not JSON)' : ''}`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const probes = PROBES.filter((probe) => probe.kind === 'powershell')
    .filter((probe) => options.probes.length === 0 || options.probes.includes(probe.id))
    .map((probe) => ({ id: probe.id, script: probe.script }));
  const known = shippedScenarios();
  const unknown = [...options.probes.filter((id) => !probes.some((probe) => probe.id === id)), ...options.scenarios.filter((name) => !known.includes(name))];
  if (unknown.length > 0) throw new Error(`Unknown probe or scenario: ${unknown.join(', ')}`);
  const scenarios = options.scenarios.length > 0 ? options.scenarios : known;
  // Found the way the agent finds it (PATH, then the .NET global tool folder).
  const pwsh = resolveShellExecutable('pwsh');

  const workers = Math.max(1, Math.min(availableParallelism(), 4, scenarios.length));
  const batches = Array.from({ length: workers }, (_, i) => scenarios.filter((_, j) => j % workers === i));
  const failures: string[] = [];
  await Promise.all(
    batches.map(async (batch) => {
      let records: RunRecord[];
      try {
        records = await runBatch(pwsh, batch, probes);
      } catch (error) {
        failures.push(String(error));
        return;
      }
      for (const record of records) {
        try {
          console.log(await saveRecord(record));
        } catch (error) {
          failures.push(String(error));
        }
      }
    }),
  );
  if (failures.length > 0) {
    console.error(failures.join('\n'));
    process.exitCode = 1;
  }
}

await main();
