/**
 * `rdp-health fix <fix-id> [--what-if] [--yes] [--simulate <scenario|path>]` and
 * `rdp-health undo <record-id> [--simulate <scenario|path>]`: the repair flow without a window.
 * fix previews (-WhatIf), then applies with elevation and re-checks; --what-if stops after the
 * preview. A fix that lowers security or ends sessions needs --yes. With --simulate the fixes change
 * a working copy of the scenario kept in the data folder (never the shipped file), so a later
 * `undo --simulate <same scenario>` finds both the copy and the undo record.
 * Exit codes: 0 fixed / undone / previewed, 1 cancelled at the elevation prompt, 2 still failing or
 * failed, 3 refused or a usage error.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROBES } from '../../probes/index.js';
import { fixRefusal, readAdminPolicy } from '../agent/admin-policy.js';
import { createElevator, createSession, createUserRunner } from '../agent/agent-assembly.js';
import { CheckRunner } from '../agent/check-runner.js';
import { ClientService } from '../agent/client/client-service.js';
import { connectTargetOf } from '../domain/connect-target.js';
import type { AgentLogger } from '../agent/logging.js';
import { RepairRequestError, RepairService, type RepairOutcome, type RepairPreview } from '../agent/repair/repair-service.js';
import { resolveProbesDir } from '../agent/script-paths.js';
import { verboseLogger, type CliCommand, type CliIo } from './cli-io.js';
import { cliDataDir, simulatedWorkingCopy } from './sim-working-copy.js';

export { cliDataDir, scenarioFileName } from './sim-working-copy.js';

const EXIT = { fixed: 0, cancelled: 1, 'still-failing': 2, failed: 2, skipped: 0, refused: 3 } as const;

interface Repairs {
  service: RepairService;
  /** The client side: a fix on this PC is verified by its settings and by a connect re-check of --target. */
  client: ClientService;
  statePath?: string;
  dispose(): Promise<void>;
}

async function openRepairs(values: RepairValues, dataDir: string, io: CliIo, logger: AgentLogger): Promise<Repairs> {
  const probesDir = resolveProbesDir();
  // Kept between runs: the fix changes it, a later check sees it, and undo must find the change.
  const statePath = values.simulate === undefined ? undefined : await simulatedWorkingCopy(values.simulate, io, { dataDir, reset: values.reset, verbose: values.verbose });
  const host = { dataDir, probesDir, simulatedHostPath: statePath };
  const session = createSession({ ...host, logger });
  const elevator = createElevator(host);
  const runner = new CheckRunner({ session, probesDir, probes: PROBES, logger });
  // The administrator's fix policy binds the CLI as it binds the window (an unreadable policy counts as none, as in the agent).
  const { policy } = await readAdminPolicy(session, probesDir, logger);
  const client = new ClientService({ session, probesDir });
  const service = new RepairService({
    session,
    probesDir,
    elevator,
    userRunner: createUserRunner(host),
    recheck: (probeIds) => runner.run({ probeIds }),
    snapshot: async () => runner.latest() ?? runner.run(),
    refuse: (fix) => fixRefusal(fix, policy),
    // A fix on this PC is verified by re-reading this PC's client settings and re-checking --target, when named.
    client: client.fixes,
    logger,
  });
  return { service, client, ...(statePath ? { statePath } : {}), dispose: () => session.dispose() };
}

function formatPreview(preview: RepairPreview): string {
  const lines = [`${preview.title} (${preview.fixId})`];
  if (preview.blocked) lines.push(`  ${preview.blocked}`);
  else if (preview.nothingToDo) lines.push('  Nothing to change: it is already so.');
  else lines.push('  Would change:', ...preview.changes.map((change) => `    - ${change}`));
  if (preview.lowersSecurity) lines.push('  ! This lowers security.');
  if (preview.disruptsSessions) lines.push('  ! This ends every open Remote Desktop session.');
  for (const session of preview.sessions ?? []) lines.push(`    session ${String(session.id ?? '?')}: ${session.user}${session.state ? ` (${session.state})` : ''}`);
  for (const note of preview.notes) lines.push(`  Note: ${note}`);
  return lines.join('\n');
}

function formatOutcome(outcome: RepairOutcome, undo = false): string {
  const heading = { fixed: 'Fixed', 'still-failing': 'Still failing', cancelled: 'Cancelled', failed: 'Failed', skipped: 'Not run' }[outcome.outcome];
  // An undo that worked says "Undone — ..." itself.
  const lines = [undo && outcome.outcome === 'fixed' ? outcome.message : `${heading}: ${outcome.message}`];
  if (outcome.finding) lines.push(`Check now: ${outcome.finding.status.toUpperCase()} — ${outcome.finding.summary}`);
  if (outcome.recordId) lines.push(`Undo with: rdp-health undo ${outcome.recordId}${outcome.undoLowersSecurity ? ' --yes (undoing it lowers security)' : ''}`);
  return lines.join('\n');
}

const COMMON_OPTIONS = {
  simulate: { type: 'string' },
  'data-dir': { type: 'string' },
  reset: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  verbose: { type: 'boolean', default: false },
} as const;

function notOnWindows(io: CliIo, example: string): number {
  io.err(`Repairs change a Windows Remote Desktop host, and this computer runs ${process.platform}. Try it on a simulated host:\n  ${example}`);
  return EXIT.refused;
}

/** Runs a repair command body; a refused request is exit 3 with its reason, not a stack trace. */
interface RepairValues {
  simulate?: string | undefined;
  'data-dir'?: string | undefined;
  reset: boolean;
  verbose: boolean;
}

async function withRepairs(values: RepairValues, io: CliIo, body: (repairs: Repairs) => Promise<number>): Promise<number> {
  const dataDir = values['data-dir'] !== undefined ? resolve(values['data-dir']) : cliDataDir();
  const repairs = await openRepairs(values, dataDir, io, verboseLogger(io, values.verbose));
  try {
    return await body(repairs);
  } catch (error) {
    if (!(error instanceof RepairRequestError)) throw error;
    io.err(error.message);
    return EXIT.refused;
  } finally {
    await repairs.dispose();
  }
}

export const fixCommand: CliCommand = {
  usage: 'fix <fix-id> [--target <host[:port]>] [--what-if] [--yes] [--simulate <scenario|path> [--reset]] [--json]',
  summary: 'Previews a repair (-WhatIf), then applies it with elevation and checks again (a fix on this PC: for the --target computer, checked first). Exit 0 fixed, 1 cancelled, 2 not fixed, 3 refused.',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...COMMON_OPTIONS, 'what-if': { type: 'boolean', default: false }, yes: { type: 'boolean', default: false }, target: { type: 'string' } },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length !== 1) {
      io.err(`Usage: rdp-health ${fixCommand.usage}`);
      return EXIT.refused;
    }
    const fixId = positionals[0]!;
    if (values.simulate === undefined && process.platform !== 'win32') return notOnWindows(io, `rdp-health fix ${fixId} --simulate nla-off-local`);
    const target = values.target === undefined ? undefined : connectTargetOf(values.target);
    if (values.target !== undefined && target === undefined) {
      io.err('--target is a computer name or address (host, host:port or [IPv6]:port).');
      return EXIT.refused;
    }
    return withRepairs(values, io, async ({ service, client }) => {
      // A fix on this PC is for what a connect check of the target finds: that check first (it connects to the target).
      if (target) await client.check(target);
      const preview = await service.preview(fixId);
      const print = (outcome?: RepairOutcome) => io.out(values.json ? JSON.stringify({ preview, ...(outcome ? { outcome } : {}) }, null, 2) : formatPreview(preview));
      if (values['what-if'] || preview.blocked || preview.nothingToDo) {
        print();
        return preview.blocked ? EXIT.failed : EXIT.fixed;
      }
      if ((preview.lowersSecurity || preview.disruptsSessions) && !values.yes) {
        print();
        io.err('This repair lowers security or ends sessions: run it again with --yes to apply it.');
        return EXIT.refused;
      }
      // Reached only for a safe fix or with --yes: the person confirmed it.
      const outcome = await service.apply(fixId, preview.previewId, { confirmed: true });
      if (values.json) print(outcome);
      else io.out(`${formatPreview(preview)}\n\n${formatOutcome(outcome)}`);
      return EXIT[outcome.outcome];
    });
  },
};

export const undoCommand: CliCommand = {
  usage: 'undo <record-id> [--yes] [--simulate <scenario|path> [--reset]] [--json]',
  summary: 'Puts back what a repair changed (with elevation), as its undo record says; --yes when that lowers security. Exit 0 undone, 1 cancelled, 2 failed, 3 refused.',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args: [...args], options: { ...COMMON_OPTIONS, yes: { type: 'boolean', default: false } }, strict: true, allowPositionals: true });
    if (positionals.length !== 1) {
      io.err(`Usage: rdp-health ${undoCommand.usage}`);
      return EXIT.refused;
    }
    const recordId = positionals[0]!;
    if (values.simulate === undefined && process.platform !== 'win32') return notOnWindows(io, `rdp-health undo ${recordId} --simulate <the scenario the fix ran on>`);
    return withRepairs(values, io, async ({ service }) => {
      const outcome = await service.undo(recordId, { confirmed: values.yes });
      io.out(values.json ? JSON.stringify(outcome, null, 2) : formatOutcome(outcome, true));
      return EXIT[outcome.outcome];
    });
  },
};
