/**
 * The Connect view's actions: the user's RDP history cut down to what the window shows (no file
 * contents, no certificate hashes), and a connect check. No Electron here.
 */
import type { ClientHistoryView, ConnectReportView } from '../client-contract.js';
import type { HistoryResult } from '../agent/client/history.js';

/** What the window needs of the client side (electron/agent/client/client-service.ts satisfies it). */
export interface ClientPort {
  history(): Promise<HistoryResult>;
  check(target: string): Promise<ConnectReportView>;
  /** The scheduled checks of the history's computers, when this agent has them. */
  scheduled?(): NonNullable<ClientHistoryView['scheduled']>;
}

export function historyView(result: HistoryResult, scheduled?: ClientHistoryView['scheduled']): ClientHistoryView {
  if (!result.ok) return { targets: [], unusableFiles: [], problem: result.problem, ...(scheduled ? { scheduled } : {}) };
  const note = (file: { name: string; problem: string | null }) => ({ name: file.name, problem: file.problem });
  return {
    targets: result.history.targets.map((entry) => ({ target: entry.target, sources: entry.sources, usernameHint: entry.usernameHint, rdpFiles: entry.rdpFiles.map(note) })),
    unusableFiles: result.history.unusableFiles.map(note),
    problem: null,
    ...(scheduled ? { scheduled } : {}),
  };
}

export function clientActions(client: ClientPort) {
  return {
    clientHistory: async () => historyView(await client.history(), client.scheduled?.()),
    connect: ({ target }: { target: string }) => client.check(target),
  };
}
