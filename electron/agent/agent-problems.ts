/**
 * Problems with the agent itself (not the host): its settings file, its log, its data folder.
 * Each is said once, in plain words, in the window and the tray; the agent computes them here.
 */
import { randomBytes } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';

export type AgentProblemKind = 'settings' | 'logging' | 'data-folder';

export interface AgentProblem {
  kind: AgentProblemKind;
  /** One or two sentences for a person: what happened and what it means. */
  message: string;
}

export interface ProblemSources {
  settingsProblem?: string | undefined;
  loggingProblem?: string | undefined;
  dataFolderProblem?: string | undefined;
}

export function agentProblems(sources: ProblemSources): AgentProblem[] {
  const problems: AgentProblem[] = [];
  if (sources.settingsProblem) problems.push({ kind: 'settings', message: sources.settingsProblem });
  if (sources.loggingProblem) problems.push({ kind: 'logging', message: sources.loggingProblem });
  if (sources.dataFolderProblem) problems.push({ kind: 'data-folder', message: sources.dataFolderProblem });
  return problems;
}

const reason = (error: unknown) => ((error as NodeJS.ErrnoException).code ?? String(error));

export function dataFolderMessage(dataDir: string, error: unknown): string {
  return `RDP Health cannot save in its data folder ${dataDir} (${reason(error)}): the history is not kept, and notifications may be shown again after a restart.`;
}

/** Whether the data folder takes a new file and the history file an append; the plain-words problem if not. */
export async function checkDataFolder(dataDir: string, historyPath: string): Promise<string | undefined> {
  const probe = join(dataDir, `.write-check-${randomBytes(4).toString('hex')}`);
  try {
    await (await open(probe, 'wx')).close();
    await rm(probe, { force: true });
    await (await open(historyPath, 'a')).close();
    return undefined;
  } catch (error) {
    await rm(probe, { force: true }).catch(() => undefined);
    return dataFolderMessage(dataDir, error);
  }
}
