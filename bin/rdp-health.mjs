#!/usr/bin/env node
// The `rdp-health` command (package.json "bin"). Runs the TypeScript sources through tsx, so it
// works from a fresh clone after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli.ts');
const { installLastResort } = await import('../electron/agent/last-resort.ts');
// Anything nothing else caught: say so on stderr and exit 3 (UNKNOWN), never hang or die silently.
const stderrLogger = { debug() {}, info() {}, warn() {}, error: (message, meta) => process.stderr.write(`rdp-health: ${message} ${meta?.error ?? ''}\n`) };
installLastResort({ logger: stderrLogger, mode: 'exit' });
process.exitCode = await main(process.argv.slice(2));
