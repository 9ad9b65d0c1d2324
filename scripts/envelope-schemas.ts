/**
 * `npm run schemas -- write <dir>`: one JSON Schema per PowerShell probe (<probe>.envelope.json).
 * `npm run schemas -- validate <dir>...`: validates every `<probe>.json` envelope in each <dir> against
 * its schema (Ajv, draft 2020-12), prints one JSON line per file and exits 1 if any is invalid.
 * The real-host Pester suite (test/pester/realhost) and its simulated-host twin
 * (test/pester/contract) both validate through this, so PowerShell and TypeScript agree.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { PROBES } from '../probes/index.js';
import type { PowerShellProbe } from '../probes/common/probe.js';
import { envelopeJsonSchema } from '../probes/common/envelope-json-schema.js';

const powerShellProbes = PROBES.filter((probe): probe is PowerShellProbe => probe.kind === 'powershell');

export interface EnvelopeCheck {
  file: string;
  probe: string;
  valid: boolean;
  errors: string[];
}

export function validateEnvelopeFile(path: string): EnvelopeCheck {
  const probeId = basename(path).replace(/\.json$/i, '');
  const probe = powerShellProbes.find((p) => p.id === probeId);
  if (!probe) return { file: path, probe: probeId, valid: false, errors: [`no PowerShell probe is called "${probeId}"`] };
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    return { file: path, probe: probeId, valid: false, errors: [`not JSON: ${(error as Error).message}`] };
  }
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(envelopeJsonSchema(probe));
  const valid = validate(document);
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`);
  return { file: path, probe: probeId, valid, errors };
}

function main(argv: string[]): number {
  const [command, dir, ...more] = argv;
  if (command === 'write' && dir && more.length === 0) {
    mkdirSync(dir, { recursive: true });
    for (const probe of powerShellProbes) writeFileSync(join(dir, `${probe.id}.envelope.json`), `${JSON.stringify(envelopeJsonSchema(probe), null, 2)}\n`);
    console.log(`${powerShellProbes.length} schemas written to ${dir}`);
    return 0;
  }
  if (command === 'validate' && dir) {
    const files = [dir, ...more].flatMap((folder) => readdirSync(folder).filter((name) => name.endsWith('.json')).sort().map((name) => join(folder, name)));
    if (files.length === 0) {
      console.error(`No envelopes (<probe>.json) in ${[dir, ...more].join(', ')}.`);
      return 1;
    }
    const checks = files.map(validateEnvelopeFile);
    for (const check of checks) console.log(JSON.stringify(check));
    return checks.every((check) => check.valid) ? 0 : 1;
  }
  console.error('Usage: npm run schemas -- write <dir> | validate <dir-of-envelopes>...');
  return 2;
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) process.exitCode = main(process.argv.slice(2));
