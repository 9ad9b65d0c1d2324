// The Windows workflow cannot run here, so what can be checked here is: it parses and converts with
// GitHub's own parser (@actions/workflow-parser), each step that calls a repository script, npm
// script or test names one that exists, and the checklist the README promises is in it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter, convertWorkflowTemplate, isLiteral, isMapping, isSequence, parseWorkflow, type WorkflowTemplate } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const workflowPath = join(root, '.github/workflows/windows.yml');
const packageScripts = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

/** A token as plain JSON-like data (expressions as their source text). */
function plain(token: TemplateToken | undefined): unknown {
  if (token === undefined) return undefined;
  if (isMapping(token)) return Object.fromEntries([...token].map((pair) => [String(plain(pair.key)), plain(pair.value)]));
  if (isSequence(token)) return Array.from({ length: token.count }, (_, i) => plain(token.get(i)));
  if (isLiteral(token)) return (token as unknown as { value: unknown }).value;
  return token.toString();
}

interface PlainStep {
  name: string;
  run?: string;
  uses?: string;
  if?: string;
  shell?: string;
  env: Record<string, unknown>;
}

function stepsOf(template: WorkflowTemplate, jobId: string): PlainStep[] {
  const job = template.jobs.find((j) => j.id.value === jobId);
  if (!job || job.type !== 'job') throw new Error(`no job ${jobId}`);
  return job.steps.map((step) => {
    const s = step as unknown as Record<string, TemplateToken | undefined> & { if?: { expression: string } };
    const uses = s.uses ? String(plain(s.uses)) : undefined;
    const run = s.run ? String(plain(s.run)) : undefined;
    return { name: String(plain(s.name) ?? uses ?? run ?? ''), run, uses, if: s.if?.expression, env: (plain(s.env) ?? {}) as Record<string, unknown> };
  });
}

/** Repository files a run: script names (scripts/, test/, bin/, .ci/), with either slash. */
function repositoryFiles(run: string): string[] {
  return [...run.matchAll(/(?<![\w.-])((?:scripts|test|bin|\.ci)[\\/][\w.\\/-]+\.(?:ps1|ts|mjs|sh))/g)].map((m) => m[1]!.replace(/\\/g, '/'));
}

let template: WorkflowTemplate;
let raw: string;

beforeAll(async () => {
  raw = readFileSync(workflowPath, 'utf8');
  const parsed = parseWorkflow({ name: 'windows.yml', content: raw }, new NoOperationTraceWriter());
  expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
  template = await convertWorkflowTemplate(parsed.context, parsed.value!);
});

describe('.github/workflows/windows.yml', () => {
  it('is a valid workflow to GitHub\'s own parser', () => {
    expect(template.errors ?? []).toEqual([]);
    expect(template.jobs.map((j) => j.id.value)).toEqual(['real-host', 'installer']);
  });

  it('runs every job on windows-2022 and windows-2025, with Node from package.json and npm caching', () => {
    for (const job of template.jobs) {
      const strategy = plain(job.strategy) as { matrix: { os: string[] } };
      expect(strategy.matrix.os).toEqual(['windows-2022', 'windows-2025']);
      const setupNode = stepsOf(template, job.id.value).find((s) => s.uses?.startsWith('actions/setup-node@'));
      expect(setupNode).toBeDefined();
    }
    expect(raw.match(/node-version-file: package\.json/g)).toHaveLength(2);
    expect(raw.match(/cache: npm/g)).toHaveLength(2);
  });

  it('names only repository scripts, npm scripts and tests that exist', () => {
    const runs = template.jobs.flatMap((job) => stepsOf(template, job.id.value)).flatMap((s) => (s.run ? [s.run] : []));
    const files = runs.flatMap(repositoryFiles);
    expect(files.length).toBeGreaterThan(8);
    expect(files.filter((file) => !existsSync(join(root, file)))).toEqual([]);
    const npmScripts = runs.flatMap((run) => [...run.matchAll(/npm run (\S+)/g)].map((m) => m[1]!));
    expect(npmScripts.filter((name) => !packageScripts.includes(name))).toEqual([]);
    const pesterPaths = runs.flatMap((run) => [...run.matchAll(/run\.ps1 (\S+)/g)].map((m) => m[1]!));
    expect(pesterPaths.filter((path) => !existsSync(join(root, path)))).toEqual([]);
  });

  it('runs the real-host suite in Windows PowerShell 5.1 and in PowerShell 7, and the assumptions check', () => {
    const steps = stepsOf(template, 'real-host');
    const suites = steps.filter((s) => s.env.RDPHEALTH_PESTER_TAG === 'RealHost');
    expect(suites.map((s) => /Windows PowerShell 5\.1|PowerShell 7/.exec(s.name)?.[0])).toEqual(['Windows PowerShell 5.1', 'PowerShell 7']);
    expect(raw).toMatch(/shell: powershell\n\s+env:\n\s+RDPHEALTH_PESTER_TAG: RealHost/);
    expect(raw).toMatch(/shell: pwsh\n\s+env:\n\s+RDPHEALTH_PESTER_TAG: RealHost/);
    expect(steps.some((s) => s.run?.includes('scripts/Test-RdpHealthAssumptions.ps1'))).toBe(true);
  });

  it('builds the installer, launches the installed app and runs the installer suite', () => {
    const runs = stepsOf(template, 'installer').map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('electron-builder --win --x64');
    expect(runs).toContain('RDPHEALTH_ELECTRON_APP');
    expect(runs).toContain('test/e2e/electron-app.test.ts');
    expect(stepsOf(template, 'installer').some((s) => s.env.RDPHEALTH_PESTER_TAG === 'Installer')).toBe(true);
  });

  it('uploads logs, screenshots and the assumptions JSON on every run, failed or not', () => {
    for (const job of template.jobs) {
      const uploads = stepsOf(template, job.id.value).filter((s) => s.uses?.startsWith('actions/upload-artifact@'));
      expect(uploads).toHaveLength(1);
      expect(uploads[0]!.if).toBe('always()');
    }
  });

  it('finds the scripts a run step names with either slash (the check above can fail)', () => {
    expect(repositoryFiles('./scripts/ci/Enable-RemoteDesktop.ps1')).toEqual(['scripts/ci/Enable-RemoteDesktop.ps1']);
    expect(repositoryFiles('-File "$PWD\\scripts\\Test-RdpHealthAssumptions.ps1" -OutDir x')).toEqual(['scripts/Test-RdpHealthAssumptions.ps1']);
    expect(repositoryFiles('npx vitest run test/e2e/electron-app.test.ts')).toEqual(['test/e2e/electron-app.test.ts']);
  });
});
