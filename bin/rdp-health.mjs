#!/usr/bin/env node
// The `rdp-health` command (package.json "bin"). Runs the TypeScript sources through tsx, so it
// works from a fresh clone after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli.ts');
process.exitCode = await main(process.argv.slice(2));
